"""Progress updates, their evidence and the plan's target dates. Each service checks access
with the plan's policies, validates, saves with history and records the act."""

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import User
from actions import permissions
from actions.models import (
    ActionItem,
    Evidence,
    ProgressUpdate,
    RagStatus,
)
from audit.models import AccessEvent
from audit.services import access_event_record
from cases.identifying_text import identifying_text_error
from partnership.periods import Period
from records.services import set_history_user

ERROR_REMEDIAL_REQUIRED = (
    "Enter the remedial action: it is required when the status is red or amber."
)
ERROR_EVIDENCE_TYPE = (
    "The evidence must be a PDF, Word (.docx), Excel (.xlsx), PNG, JPEG or CSV file."
)
ERROR_EVIDENCE_SIZE = "The evidence file must be smaller than {limit}."
ERROR_EVIDENCE_EMPTY = "The evidence file is empty."
ERROR_NOT_ALLOWED = "You cannot update this item."
ERROR_FUTURE_PERIOD = "You cannot update a period that has not started."
ERROR_NO_AGENCY = "You need an agency to record activity."

NEEDS_REMEDIAL_ACTION = {RagStatus.RED, RagStatus.AMBER}

# Extension -> (content type we serve it as, test on the first bytes). The client's content
# type is never trusted: the file must look like what its name says.
EVIDENCE_TYPES: dict[str, tuple[str, Any]] = {
    "pdf": ("application/pdf", lambda head: head.startswith(b"%PDF")),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        lambda head: head.startswith(b"PK\x03\x04"),
    ),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        lambda head: head.startswith(b"PK\x03\x04"),
    ),
    "png": ("image/png", lambda head: head.startswith(b"\x89PNG\r\n\x1a\n")),
    "jpg": ("image/jpeg", lambda head: head.startswith(b"\xff\xd8\xff")),
    "jpeg": ("image/jpeg", lambda head: head.startswith(b"\xff\xd8\xff")),
    "csv": ("text/csv", lambda head: b"\x00" not in head),
}

# Cells starting with these are formulas to a spreadsheet (OWASP CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class UpdateConflict(Exception):  # noqa: N818 - a domain outcome, not a programming error
    """Someone changed the update since the form was opened; nothing was saved."""

    def __init__(self, current: ProgressUpdate) -> None:
        super().__init__("The update was changed by someone else.")
        self.current = current


@dataclass(frozen=True)
class EvidenceCheck:
    extension: str
    content_type: str
    sha256: str
    size: int


def _size_label(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit} bytes"


def evidence_file_check(*, upload: UploadedFile) -> EvidenceCheck:
    """Type (by name and first bytes) and size limits, and the SHA-256 of the content."""
    limit = settings.CSE_EVIDENCE_MAX_BYTES
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in EVIDENCE_TYPES:
        raise ValidationError({"evidence_file": ERROR_EVIDENCE_TYPE})
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            {"evidence_file": ERROR_EVIDENCE_SIZE.format(limit=_size_label(limit))}
        )
    content_type, looks_right = EVIDENCE_TYPES[extension]
    digest = hashlib.sha256()
    size = 0
    head = b""
    upload.seek(0)
    for chunk in upload.chunks():
        if len(head) < 16:
            head += chunk[:16]
        digest.update(chunk)
        size += len(chunk)
        if size > limit:
            raise ValidationError(
                {"evidence_file": ERROR_EVIDENCE_SIZE.format(limit=_size_label(limit))}
            )
    upload.seek(0)
    if size == 0:
        raise ValidationError({"evidence_file": ERROR_EVIDENCE_EMPTY})
    if not looks_right(head):
        raise ValidationError({"evidence_file": ERROR_EVIDENCE_TYPE})
    return EvidenceCheck(
        extension=extension, content_type=content_type, sha256=digest.hexdigest(), size=size
    )


def _validate_update(*, status: str, remedial_action: str, narrative: str = "") -> None:
    if status in NEEDS_REMEDIAL_ACTION and not remedial_action.strip():
        raise ValidationError({"remedial_action": ERROR_REMEDIAL_REQUIRED})
    # Both texts are printed in public committee reports: refuse any that identifies a child.
    errors = {}
    for field, label, text in (
        ("narrative", "Progress in the period", narrative),
        ("remedial_action", "Remedial action", remedial_action),
    ):
        message = identifying_text_error(field_label=label, text=text)
        if message:
            errors[field] = message
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def progress_update_save(
    *,
    actor: User,
    item: ActionItem,
    period: Period,
    status: str,
    narrative: str,
    remedial_action: str = "",
    evidence_link: str = "",
    milestone_done: bool | None = None,
    milestone_date: dt.date | None = None,
    evidence_file: UploadedFile | None = None,
    expected_version: int | None = None,
) -> ProgressUpdate:
    """Write the item's update for a period (create, or edit the one that exists).

    `expected_version` is the version the author saw (None: they saw no update). If the row
    has moved on since, nothing is saved and UpdateConflict carries the current version.
    Late = first submitted after the period closed. Red and amber need a remedial action.
    """
    if not permissions.action_item_policy.can_edit(actor, item):
        raise PermissionDenied(ERROR_NOT_ALLOWED)
    now = timezone.now()
    if period.start_datetime() > now:
        raise ValidationError(ERROR_FUTURE_PERIOD)
    _validate_update(status=status, remedial_action=remedial_action, narrative=narrative)
    check = evidence_file_check(upload=evidence_file) if evidence_file else None
    existing = (
        ProgressUpdate.objects.select_for_update().filter(item=item, period=period.code).first()
    )
    if existing is not None and existing.version != expected_version:
        raise UpdateConflict(existing)
    if existing is None and expected_version is not None:
        # The author edited an update that has since been deleted: do not silently recreate.
        raise ValidationError("The update you were editing no longer exists.")
    update = existing or ProgressUpdate(
        item=item,
        period=period.code,
        author=actor,
        author_agency_id=actor.agency_id,  # type: ignore[misc]  # updaters have an agency
        submitted_at=now,
        is_late=now >= period.end_datetime_exclusive(),
        version=0,
    )
    update.status = status
    update.narrative = narrative
    update.remedial_action = remedial_action
    update.evidence_link = evidence_link
    update.milestone_done = milestone_done
    update.milestone_date = milestone_date
    update.version += 1
    # One update per item and period is the database's to enforce: a colleague's first save
    # committing between our SELECT and here must end as the UpdateConflict below, not as a
    # "already exists" form error (full_clean's own uniqueness check would say that).
    update.full_clean(
        exclude=["author", "author_agency"] if existing else None,
        validate_unique=False,
        validate_constraints=False,
    )
    set_history_user(update, actor)
    try:
        with transaction.atomic():
            update.save()
    except IntegrityError:
        # Two first updates raced past the empty SELECT: the other one won.
        raise UpdateConflict(ProgressUpdate.objects.get(item=item, period=period.code)) from None
    if check is not None and evidence_file is not None:
        _evidence_store(actor=actor, update=update, upload=evidence_file, check=check)
    access_event_record(
        actor=actor,
        action=AccessEvent.Action.CHANGE if existing else AccessEvent.Action.CREATE,
        instance=update,
        detail={"item": item.number, "period": period.code, "status": status},
    )
    return update


def _evidence_store(
    *, actor: User, update: ProgressUpdate, upload: UploadedFile, check: EvidenceCheck
) -> Evidence:
    evidence = Evidence(
        update=update,
        original_name=(upload.name or "")[:255],
        content_type=check.content_type,
        size=check.size,
        sha256=check.sha256,
        uploaded_by=actor,
    )
    # A random stored name: the author's file name never reaches the file system.
    evidence.file.save(f"{uuid.uuid4().hex}.{check.extension}", upload, save=False)
    set_history_user(evidence, actor)
    evidence.save()
    return evidence


def evidence_download_record(
    *, actor: User, evidence: Evidence, request: HttpRequest | None = None
) -> None:
    """Put an evidence download on record (callers have re-checked access)."""
    access_event_record(
        actor=actor,
        action=AccessEvent.Action.DOWNLOAD,
        instance=evidence,
        request=request,
        detail={"item": evidence.update.item.number, "sha256": evidence.sha256},
    )


ERROR_TARGET_DATE_PAST = "The target date must be today or later."


@transaction.atomic
def action_item_set_target_date(
    *, actor: User, item: ActionItem, target_date: dt.date | None
) -> ActionItem:
    """Set (or clear) an item's target date; the change is in the item's history."""
    if not permissions.action_item_policy.can_set_target_date(actor):
        raise PermissionDenied(ERROR_NOT_ALLOWED)
    if target_date == item.target_date:
        return item  # nothing changed: no history row
    if target_date is not None and target_date < timezone.localdate():
        raise ValidationError({"target_date": ERROR_TARGET_DATE_PAST})
    item.target_date = target_date
    set_history_user(item, actor)
    item.save(update_fields=["target_date"])
    return item
