"""Writes to the action plan and the activity register (a package: ``progress`` for updates,
evidence and target dates; ``requests`` for update requests, reminders, the CSV export and the
activity register). Each write records its author in simple-history and, where the act should
be on record, in the access log; emails go out from Celery tasks after the transaction
commits."""

from actions.services.progress import (
    ERROR_EVIDENCE_EMPTY,
    ERROR_EVIDENCE_SIZE,
    ERROR_EVIDENCE_TYPE,
    ERROR_FUTURE_PERIOD,
    ERROR_NO_AGENCY,
    ERROR_NOT_ALLOWED,
    ERROR_REMEDIAL_REQUIRED,
    ERROR_TARGET_DATE_PAST,
    EVIDENCE_TYPES,
    FORMULA_PREFIXES,
    NEEDS_REMEDIAL_ACTION,
    EvidenceCheck,
    UpdateConflict,
    action_item_set_target_date,
    evidence_download_record,
    evidence_file_check,
    progress_update_save,
)
from actions.services.requests import (
    activity_record,
    csv_cell,
    items_lacking_update,
    plan_export_csv,
    plan_reminders_send,
    reminder_due,
    update_request_create,
    update_request_notify,
)

__all__ = [
    "ERROR_EVIDENCE_EMPTY",
    "ERROR_EVIDENCE_SIZE",
    "ERROR_EVIDENCE_TYPE",
    "ERROR_FUTURE_PERIOD",
    "ERROR_NOT_ALLOWED",
    "ERROR_NO_AGENCY",
    "ERROR_REMEDIAL_REQUIRED",
    "ERROR_TARGET_DATE_PAST",
    "EVIDENCE_TYPES",
    "EvidenceCheck",
    "FORMULA_PREFIXES",
    "NEEDS_REMEDIAL_ACTION",
    "UpdateConflict",
    "action_item_set_target_date",
    "activity_record",
    "csv_cell",
    "evidence_download_record",
    "evidence_file_check",
    "items_lacking_update",
    "plan_export_csv",
    "plan_reminders_send",
    "progress_update_save",
    "reminder_due",
    "update_request_create",
    "update_request_notify",
]
