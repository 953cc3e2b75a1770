"""Writes to the action plan and the activity register. Each write records its author in
simple-history and, where the act should be on record, in the access log; emails go out from
Celery tasks after the transaction commits."""

import csv
import datetime as dt
import hashlib
import io
import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from actions import permissions
from actions.models import (
    ActionItem,
    Evidence,
    ProgressUpdate,
    RagStatus,
    ReminderLog,
    UpdateRequest,
)
from actions.selectors import action_plan_export_rows
from audit.models import AccessEvent
from audit.services import access_event_record
from cases.identifying_text import identifying_text_error
from partnership.models import Agency
from partnership.periods import Period, current_period, period_from_code
from partnership.policy import EDIT
from partnership.roles import Role
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
    update.full_clean(exclude=["author", "author_agency"] if existing else None)
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


@transaction.atomic
def update_request_create(
    *, actor: User, item: ActionItem, period: Period, message: str = ""
) -> UpdateRequest:
    """The VAP chair asks the item's lead agencies for an update; they are emailed on commit."""
    if not permissions.action_item_policy.can_request_update(actor):
        raise PermissionDenied(ERROR_NOT_ALLOWED)
    request = UpdateRequest(item=item, period=period.code, message=message, requested_by=actor)
    set_history_user(request, actor)
    request.full_clean()
    request.save()
    access_event_record(
        actor=actor,
        action=AccessEvent.Action.NOTIFY,
        instance=request,
        detail={"item": item.number, "period": period.code},
    )
    from actions.tasks import update_request_notify_task

    update_request_notify_task.delay_on_commit(request.pk)
    return request


def _manager_emails(agency_ids: list[int]) -> dict[int, list[str]]:
    """Email addresses of the active managers of each agency, one query."""
    emails: dict[int, list[str]] = defaultdict(list)
    rows = (
        User.objects.filter(
            agency_id__in=agency_ids,
            is_active=True,
            groups__name=Role.AGENCY_MANAGER.value,
        )
        .exclude(email="")
        .values_list("agency_id", "email")
        .order_by("email")
        .distinct()
    )
    for agency_id, email in rows:
        emails[agency_id].append(email)
    return emails


def _absolute(path: str) -> str:
    base = getattr(settings, "CSE_SITE_URL", "").rstrip("/")
    return f"{base}{path}"


@transaction.atomic
def update_request_notify(*, update_request_id: int) -> int:
    """Email the lead agencies' managers about a request, once. Returns emails sent."""
    request = (
        UpdateRequest.objects.select_for_update()
        .select_related("item", "requested_by")
        .filter(pk=update_request_id)
        .first()
    )
    if request is None or request.notified_at is not None:
        return 0
    item = request.item
    agency_ids = list(item.lead_agencies.values_list("pk", flat=True))
    recipients = sorted(
        {email for emails in _manager_emails(agency_ids).values() for email in emails}
    )
    link = _absolute(reverse("actions:update_form", args=[item.number, request.period]))
    body = (
        f"{request.requested_by} (VAP chair) asks for a progress update on action plan item "
        f"{item.number} for {request.period}:\n\n{item.action}\n\n"
        + (f"Message: {request.message}\n\n" if request.message else "")
        + f"Write the update here: {link}\n"
    )
    if recipients:
        send_mail(
            subject=f"CSE action plan: update requested on item {item.number} ({request.period})",
            message=body,
            from_email=None,
            recipient_list=recipients,
        )
    request.notified_at = timezone.now()
    set_history_user(request, request.requested_by)
    request.save(update_fields=["notified_at"])
    return len(recipients)


def items_lacking_update(*, period: Period) -> list[ActionItem]:
    """Items with no update for the period, except those already complete."""
    latest_status = Subquery(
        ProgressUpdate.objects.filter(item=OuterRef("pk")).order_by("-period").values("status")[:1]
    )
    return list(
        ActionItem.objects.annotate(
            has_update=Exists(
                ProgressUpdate.objects.filter(item=OuterRef("pk"), period=period.code)
            ),
            latest_status=latest_status,
        )
        # Spelled out: NOT (NULL = 'complete') is NULL in SQL, which would drop the items
        # that never had an update.
        .filter(Q(latest_status__isnull=True) | ~Q(latest_status=RagStatus.COMPLETE))
        .filter(has_update=False)
        .prefetch_related("lead_agencies")
        .order_by("number")
    )


def plan_reminders_send(*, period_code: str, stage: str) -> int:
    """Tell each lead agency's managers which of its items lack an update for the period.

    Idempotent: one ReminderLog row per period, stage and agency; an agency already reminded
    is skipped. Returns the number of agencies emailed now.
    """
    period = period_from_code(period_code)
    stage = ReminderLog.Stage(stage)
    by_agency: dict[int, list[ActionItem]] = defaultdict(list)
    agencies: dict[int, Agency] = {}
    for item in items_lacking_update(period=period):
        for agency in item.lead_agencies.all():
            by_agency[agency.pk].append(item)
            agencies[agency.pk] = agency
    already = set(
        ReminderLog.objects.filter(period=period.code, stage=stage).values_list(
            "agency_id", flat=True
        )
    )
    emails = _manager_emails([pk for pk in by_agency if pk not in already])
    sent = 0
    for agency_id, items in sorted(by_agency.items()):
        if agency_id in already or not emails.get(agency_id):
            continue
        with transaction.atomic():
            _, created = ReminderLog.objects.get_or_create(
                period=period.code,
                stage=stage,
                agency_id=agency_id,
                defaults={
                    "item_numbers": [item.number for item in items],
                    "recipients": len(emails[agency_id]),
                },
            )
            if not created:
                continue
            # Inside the atomic block: if sending fails the log row goes too, and a retry sends.
            send_mail(
                subject=_reminder_subject(period, stage, agencies[agency_id]),
                message=_reminder_body(period, stage, items),
                from_email=None,
                recipient_list=emails[agency_id],
            )
            sent += 1
    return sent


def _reminder_subject(period: Period, stage: str, agency: Agency) -> str:
    when = "closes in a month" if stage == ReminderLog.Stage.CLOSING else "has closed"
    return f"CSE action plan: {period.code} {when} - {agency.short_name} items need an update"


def _reminder_body(period: Period, stage: str, items: list[ActionItem]) -> str:
    if stage == ReminderLog.Stage.CLOSING:
        opening = (
            f"The reporting period {period.code} ({period.label}) closes on {period.end:%-d %B %Y}."
        )
    else:
        opening = (
            f"The reporting period {period.code} ({period.label}) has closed. Updates written "
            "now are marked late."
        )
    lines = [
        opening,
        "",
        "These action plan items your agency leads have no progress update for the period yet:",
        "",
    ]
    for item in items:
        link = _absolute(reverse("actions:update_form", args=[item.number, period.code]))
        lines.append(f"{item.number}. {item.action}\n   {link}")
    return "\n".join(lines) + "\n"


def reminder_due(*, today: dt.date) -> tuple[str, str] | None:
    """Which reminder is due on `today`: (period code, stage), or None.

    Closing: from one month before the period's last day up to its end. Closed: the first month
    of the next period, about the previous one. The log makes repeated daily runs send once.
    """
    current = current_period()
    closes_on = current.end + dt.timedelta(days=1)
    month_before = (closes_on.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    if today >= month_before:
        return current.code, ReminderLog.Stage.CLOSING.value
    month_after = (current.start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    if today < month_after:
        return current.previous().code, ReminderLog.Stage.CLOSED.value
    return None


def csv_cell(value: object) -> str:
    """A cell a spreadsheet will not run: formula-looking text gets a leading apostrophe."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def plan_export_csv(*, actor: User, request: HttpRequest | None = None) -> str:
    """The plan with its latest updates as CSV; the export is put on record."""
    rows = action_plan_export_rows(user=actor)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([csv_cell(cell) for cell in row])
    access_event_record(
        actor=actor,
        action=AccessEvent.Action.EXPORT,
        object_type=ActionItem._meta.label_lower,
        request=request,
        detail={"rows": len(rows) - 1, "format": "csv"},
    )
    return buffer.getvalue()


@transaction.atomic
def activity_record(*, actor: User, kind: str, data: dict[str, Any]) -> models.Model:
    """Record one entry of the activity register, for the recorder's own agency."""
    if not permissions.activity_policy.user_has_permission(actor, EDIT):
        raise PermissionDenied(ERROR_NO_AGENCY)
    model = permissions.activity_policy_or_404(kind).model
    entry = model(**data, agency_id=actor.agency_id, recorded_by=actor)
    entry.full_clean()
    set_history_user(entry, actor)
    entry.save()
    access_event_record(
        actor=actor, action=AccessEvent.Action.CREATE, instance=entry, detail={"kind": kind}
    )
    return entry
