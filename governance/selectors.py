"""Reads for information governance: the retention queue, the access audit, unusual access.

Everything is scoped to one agency (the viewer's), and shows record types and ids, never
case content: the IG officer decides on records without reading them.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, Concat, ExtractHour, ExtractIsoWeekDay
from django.utils import timezone

from audit.models import AccessEvent
from audit.retention import (
    RetentionRule,
    disposal_date_for,
    retention_rules,
    with_decision_in_force,
)


@dataclass
class QueueSection:
    """One rule's records due for review in an agency."""

    label: str
    name: str
    rule: RetentionRule
    rows: list[dict[str, object]] = field(default_factory=list)


def retention_queue(*, agency_id: int, today: dt.date | None = None) -> list[QueueSection]:
    """Per rule: the agency's records whose review date has come, on hold, or set to go.

    One query per rule, whatever the number of records.
    """
    today = today or timezone.localdate()
    sections = []
    for label, rule in retention_rules().items():
        model = apps.get_model(label)
        queryset = with_decision_in_force(
            model._default_manager.filter(owner_agency_id=agency_id)
        ).filter(Q(review_date__lte=today) | Q(legal_hold=True) | Q(decision_kind="dispose"))
        queryset = queryset.annotate(
            preserved=Case(
                When(rule.preserved_filter(), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        ).order_by("review_date", "pk")
        rows = [
            {
                **row,
                "disposal_date": disposal_date_for(row["review_date"])
                if row["review_date"]
                else None,
            }
            for row in queryset.values(
                "pk",
                "created_at",
                "review_date",
                "legal_hold",
                "preserved",
                "decision_kind",
                "decision_erase_after",
                "decision_hold_until",
            )
        ]
        sections.append(
            QueueSection(label=label, name=str(model._meta.verbose_name), rule=rule, rows=rows)
        )
    return sections


# What the access audit covers: acts of reading or taking data away.
AUDITED_ACTIONS = (
    AccessEvent.Action.VIEW,
    AccessEvent.Action.CHRONOLOGY,
    AccessEvent.Action.EXPORT,
    AccessEvent.Action.DOWNLOAD,
    AccessEvent.Action.SEARCH,
)


@dataclass(frozen=True)
class AuditFilter:
    date_from: dt.date
    date_to: dt.date
    username: str = ""
    object_type: str = ""
    object_id: int | None = None
    admin_changes: bool = False


def _day_bounds(date_from: dt.date, date_to: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(date_from, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return start, end


def access_audit(*, agency_id: int, filters: AuditFilter) -> QuerySet[AccessEvent]:
    """Who in the agency viewed, exported, searched or downloaded which records, newest first.

    With `admin_changes`, the administrators' changes instead (roles, agency moves,
    activation, agency and committee edits), each with before and after.
    """
    start, end = _day_bounds(filters.date_from, filters.date_to)
    events = AccessEvent.objects.filter(agency_id=agency_id, at__gte=start, at__lt=end)
    if filters.admin_changes:
        events = events.filter(detail__has_key="admin_change")
    else:
        events = events.filter(action__in=AUDITED_ACTIONS)
    if filters.username:
        events = events.filter(user__username=filters.username)
    if filters.object_type:
        events = events.filter(object_type=filters.object_type)
    if filters.object_id is not None:
        events = events.filter(object_id=filters.object_id)
    return events.select_related("user").order_by("-at", "-id")


def admin_changes_visible(*, agency_id: int) -> QuerySet[AccessEvent]:
    """Administrator changes made by, or to accounts of, the agency (for its IG officer)."""
    return AccessEvent.objects.filter(agency_id=agency_id, detail__has_key="admin_change")


@dataclass(frozen=True)
class AccessFlag:
    username: str
    kind: str
    count: int
    explanation: str


FLAG_OUTSIDE_CASELOAD = "Many records outside their caseload"
FLAG_SEARCH_NO_FOLLOW_UP = "Searches with no record opened after"
FLAG_OUT_OF_HOURS = "Access outside working hours"


def access_flags(*, agency_id: int, date_from: dt.date, date_to: dt.date) -> list[AccessFlag]:
    """Unusual access in the agency over the period, per user (three aggregate queries).

    - outside caseload: distinct records viewed that the user never created or changed
      (their caseload is what they work on), above CSE_ACCESS_FLAG_OUTSIDE_CASELOAD;
    - searches with no follow-up: a search not followed by the same user opening a record
      within 30 minutes, at least CSE_ACCESS_FLAG_SEARCHES times;
    - out of hours: any access before 08:00, from 19:00, or at the weekend (local time).
    """
    start, end = _day_bounds(date_from, date_to)
    period = AccessEvent.objects.filter(
        agency_id=agency_id, at__gte=start, at__lt=end, user__isnull=False
    )
    worked_on = AccessEvent.objects.filter(
        user_id=OuterRef("user_id"),
        object_type=OuterRef("object_type"),
        object_id=OuterRef("object_id"),
        action__in=(AccessEvent.Action.CREATE, AccessEvent.Action.CHANGE),
    )
    outside = (
        period.filter(action=AccessEvent.Action.VIEW, object_id__isnull=False)
        .exclude(Exists(worked_on))
        .values("user__username")
        .annotate(
            count=Count(
                Concat("object_type", Value(":"), Cast("object_id", CharField())), distinct=True
            )
        )
        .filter(count__gt=settings.CSE_ACCESS_FLAG_OUTSIDE_CASELOAD)
    )
    follow_up = AccessEvent.objects.filter(
        user_id=OuterRef("user_id"),
        action__in=(AccessEvent.Action.VIEW, AccessEvent.Action.CHRONOLOGY),
        object_id__isnull=False,
        at__gt=OuterRef("at"),
        at__lte=OuterRef("at") + dt.timedelta(minutes=30),
    )
    searches = (
        period.filter(action=AccessEvent.Action.SEARCH)
        .exclude(Exists(follow_up))
        .values("user__username")
        .annotate(count=Count("id"))
        .filter(count__gte=settings.CSE_ACCESS_FLAG_SEARCHES)
    )
    out_of_hours = (
        period.filter(action__in=AUDITED_ACTIONS)
        .annotate(hour=ExtractHour("at"), weekday=ExtractIsoWeekDay("at"))
        .filter(Q(hour__lt=8) | Q(hour__gte=19) | Q(weekday__gte=6))
        .values("user__username")
        .annotate(count=Count("id"))
    )
    flags = [
        AccessFlag(row["user__username"], FLAG_OUTSIDE_CASELOAD, row["count"], "distinct records")
        for row in outside
    ]
    flags += [
        AccessFlag(row["user__username"], FLAG_SEARCH_NO_FOLLOW_UP, row["count"], "searches")
        for row in searches
    ]
    flags += [
        AccessFlag(row["user__username"], FLAG_OUT_OF_HOURS, row["count"], "acts")
        for row in out_of_hours
    ]
    return sorted(flags, key=lambda flag: (flag.username, flag.kind))
