"""Writes to case records (a package; callers import from here). Each service checks access,
validates (raising ValidationError with field keys so forms show the message next to the
field), saves with the acting user as the history author, and records the act, all in one
transaction.

Creating and editing a record goes through the generic services (``records.services``): each
record type is declared once in ``case_records`` (editable fields, ownership, validation), and
``young_person_create``, ``referral_update``, ... are those declarations' ``create`` and
``update``. Risk assessments (``assessment``) and sharing (``sharing``) have services of their
own.
"""

from django.core.exceptions import ValidationError

from cases.services.assessment import (
    _add_months,
    risk_assessment_create,
    risk_score,
)
from cases.services.case_records import (
    CASE_TRUSTED_FIELDS,
    FEEDBACK,
    MARKER,
    MISSING_EPISODE,
    REFERRAL,
    RISK_ASSESSMENT,
    SUPPORT,
    YOUNG_PERSON,
    case_record_type,
    feedback_create,
    marker_create,
    marker_update,
    missing_episode_create,
    missing_episode_update,
    new_case_record,
    referral_create,
    referral_create_with_young_person,
    referral_update,
    support_create,
    support_update,
    young_person_create,
    young_person_update,
)
from cases.services.common import (
    ERROR_AGE_18,
    ERROR_ALREADY_SHARED,
    ERROR_COMPLETED_AT,
    ERROR_DECLINED_REASON,
    ERROR_DOB_FUTURE,
    ERROR_END_BEFORE_START,
    ERROR_FUTURE_DATE,
    ERROR_LOCATED_BEFORE_MISSING,
    ERROR_NOT_LOCATED,
    ERROR_OUTCOME_DATE_BEFORE_RECEIVED,
    ERROR_OUTCOME_DATE_NEEDED,
    ERROR_OVERRIDE_REASON,
    ERROR_REASON_REQUIRED,
    ERROR_RISK_ANSWERS,
    ERROR_SHARE_OWN_AGENCY,
    save,
)
from cases.services.sharing import (
    case_share,
    case_share_revoke,
    case_transfer,
)
from records.services import (
    EditConflict,
    RecordType,
    record_create,
    record_update,
)

__all__ = [
    "CASE_TRUSTED_FIELDS",
    "ERROR_AGE_18",
    "ERROR_ALREADY_SHARED",
    "ERROR_COMPLETED_AT",
    "ERROR_DECLINED_REASON",
    "ERROR_DOB_FUTURE",
    "ERROR_END_BEFORE_START",
    "ERROR_FUTURE_DATE",
    "ERROR_LOCATED_BEFORE_MISSING",
    "ERROR_NOT_LOCATED",
    "ERROR_OUTCOME_DATE_BEFORE_RECEIVED",
    "ERROR_OUTCOME_DATE_NEEDED",
    "ERROR_OVERRIDE_REASON",
    "ERROR_REASON_REQUIRED",
    "ERROR_RISK_ANSWERS",
    "ERROR_SHARE_OWN_AGENCY",
    "EditConflict",
    "FEEDBACK",
    "MARKER",
    "MISSING_EPISODE",
    "REFERRAL",
    "RISK_ASSESSMENT",
    "RecordType",
    "SUPPORT",
    "ValidationError",
    "YOUNG_PERSON",
    "_add_months",
    "case_share",
    "case_share_revoke",
    "case_transfer",
    "feedback_create",
    "marker_create",
    "marker_update",
    "missing_episode_create",
    "missing_episode_update",
    "case_record_type",
    "new_case_record",
    "record_create",
    "record_update",
    "referral_create",
    "referral_create_with_young_person",
    "referral_update",
    "risk_assessment_create",
    "risk_score",
    "save",
    "support_create",
    "support_update",
    "young_person_create",
    "young_person_update",
]
