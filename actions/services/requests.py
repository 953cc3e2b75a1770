"""Update requests, reminders, the plan's CSV export and the activity register."""

import csv
import datetime as dt
import io
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from actions import permissions
from actions.models import (
    ActionItem,
    ProgressUpdate,
    RagStatus,
    ReminderLog,
    UpdateRequest,
)
from actions.selectors import action_plan_export_rows
from actions.services.progress import ERROR_NO_AGENCY, ERROR_NOT_ALLOWED, FORMULA_PREFIXES
from audit.models import AccessEvent
from audit.services import access_event_record
from partnership.models import Agency
from partnership.periods import Period, current_period, period_from_code, update_window_end
from partnership.policy import EDIT
from partnership.roles import Role
from records.services import set_history_user


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
            log, created = ReminderLog.objects.get_or_create(
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
            # On record with the items it names, in the same transaction as the log row.
            access_event_record(
                actor=None,
                action=AccessEvent.Action.NOTIFY,
                instance=log,
                detail={
                    "period": period.code,
                    "stage": stage.value,
                    "agency": agencies[agency_id].code,
                    "items": log.item_numbers,
                    "recipients": log.recipients,
                },
            )
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
            "now are marked late. Write them by "
            f"{update_window_end(period):%-d %B %Y}: the committees' draft reports are made "
            "the day after."
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

    Closing: from one month before the period's last day up to its end. Closed: inside the
    update window of the previous period (`CSE_UPDATE_WINDOW_DAYS` after its end), when the
    committees' drafts are still to come. The log makes repeated daily runs send once.
    """
    current = current_period()
    closes_on = current.end + dt.timedelta(days=1)
    month_before = (closes_on.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    if today >= month_before:
        return current.code, ReminderLog.Stage.CLOSING.value
    if today <= update_window_end(current.previous()):
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
