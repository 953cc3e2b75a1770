"""Reads of the action plan: the plan page, its CSV export and the item page. Every read
starts from actions.permissions."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from accounts.models import User
from actions.measure_sources import MeasureSection, measure_section
from actions.models import (
    ActionItem,
    Evidence,
    ProgressUpdate,
    RagStatus,
    UpdateRequest,
)
from actions.permissions import action_item_policy
from actions.selectors.measures import (
    ACTIVITY_CODES,
    ACTIVITY_MEASURE_DEFINITIONS,
    activity_counts_by_period,
    measure_from_counts,
    milestone_from_update,
)
from partnership.models import Agency
from partnership.periods import Period, current_period, recent_periods

STRIP_PERIODS = 4
OVERDUE_FILTER = "overdue"
NO_UPDATE_FILTER = "no_update"


# --- The plan page ------------------------------------------------------------------------


@dataclass
class PlanRow:
    item: ActionItem
    strip: list[dict[str, Any]]
    can_update: bool
    measure_value: dict[str, Any] | None = None


@dataclass
class PlanPage:
    rows: list[PlanRow]
    periods: list[Period]
    current: Period
    closed: Period
    agencies: list[Agency] = field(default_factory=list)


def _latest_update(field_name: str) -> Subquery:
    return Subquery(
        ProgressUpdate.objects.filter(item=OuterRef("pk"))
        .order_by("-period")
        .values(field_name)[:1]
    )


def _annotated_items(user: User, *, today: dt.date | None = None) -> QuerySet[ActionItem]:
    """Items with their latest status and date and an overdue flag, all computed in SQL.

    Overdue: no update for the period that closed last (unless the item is complete), or past
    its target date and not complete.
    """
    today = today or timezone.localdate()
    closed = current_period().previous()
    return action_item_policy.visible_to(user).annotate(
        latest_status=_latest_update("status"),
        latest_period=_latest_update("period"),
        latest_submitted_at=_latest_update("submitted_at"),
        has_closed_update=Exists(
            ProgressUpdate.objects.filter(item=OuterRef("pk"), period=closed.code)
        ),
        overdue=Case(
            When(_overdue(today), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )


# (A NULL latest status, never updated, is "not complete": SQL's NOT alone would drop it.)
_NOT_COMPLETE = Q(latest_status__isnull=True) | ~Q(latest_status=RagStatus.COMPLETE)
# Not complete and nothing said for the period that closed last: what a chair chases first.
_NO_CLOSED_UPDATE = Q(has_closed_update=False) & _NOT_COMPLETE


def _overdue(today: dt.date) -> Q:
    """The overdue rule, once: on the annotation and in the summary's count."""
    return _NOT_COMPLETE & (Q(has_closed_update=False) | Q(target_date__lt=today))


def action_plan_page(
    *, user: User, agency_code: str = "", status: str = "", today: dt.date | None = None
) -> PlanPage:
    """The plan at a glance, filtered by lead agency and status, in a constant number of queries."""
    current = current_period()
    periods = recent_periods(STRIP_PERIODS, ending=current)
    items = _annotated_items(user, today=today).prefetch_related(
        Prefetch("lead_agencies", queryset=Agency.objects.order_by("name")),
        Prefetch(
            "updates",
            queryset=ProgressUpdate.objects.filter(
                period__in=[period.code for period in periods]
            ).only("id", "item_id", "period", "status", "is_late"),
            to_attr="recent_updates",
        ),
    )
    if agency_code:
        items = items.filter(
            pk__in=ActionItem.objects.filter(lead_agencies__code=agency_code).values("pk")
        )
    if status == OVERDUE_FILTER:
        items = items.filter(overdue=True)  # type: ignore[misc]  # annotated
    elif status == NO_UPDATE_FILTER:
        items = items.filter(_NO_CLOSED_UPDATE)
    elif status == RagStatus.NOT_STARTED:
        items = items.filter(Q(latest_status=RagStatus.NOT_STARTED) | Q(latest_status__isnull=True))
    elif status in RagStatus.values:
        items = items.filter(latest_status=status)  # type: ignore[misc]  # annotated
    editable = action_item_policy.editable_ids(user)
    counts = activity_counts_by_period(periods=[current])[current.code]
    rows = []
    for item in items:
        by_period = {update.period: update for update in item.recent_updates}
        strip = [_strip_cell(period, by_period.get(period.code)) for period in periods]
        value = None
        if item.measure_kind == ActionItem.MeasureKind.ACTIVITY and item.measure_code in counts:
            value = measure_from_counts(item.measure_code, counts)
        rows.append(
            PlanRow(item=item, strip=strip, can_update=item.pk in editable, measure_value=value)
        )
    return PlanPage(
        rows=rows,
        periods=periods,
        current=current,
        closed=current.previous(),
        agencies=list(Agency.objects.filter(led_action_items__isnull=False).distinct()),
    )


@dataclass
class PlanSummaryEntry:
    label: str
    count: int
    status: str  # the plan page's status filter that lists exactly these items


def action_plan_summary(*, user: User, today: dt.date | None = None) -> list[PlanSummaryEntry]:
    """The chair's glance: items by latest RAG status, overdue and without an update for the
    closed period, in one aggregate query over the items the user may see."""
    today = today or timezone.localdate()
    not_started = Q(latest_status=RagStatus.NOT_STARTED) | Q(latest_status__isnull=True)
    by_status = {
        status.value: Count(
            "pk", filter=not_started if status == RagStatus.NOT_STARTED else Q(latest_status=status)
        )
        for status in RagStatus
    }
    counts = _annotated_items(user, today=today).aggregate(
        **by_status,
        overdue=Count("pk", filter=_overdue(today)),
        no_update=Count("pk", filter=_NO_CLOSED_UPDATE),
    )
    return [
        PlanSummaryEntry("Overdue", counts["overdue"], OVERDUE_FILTER),
        PlanSummaryEntry("No update for the closed period", counts["no_update"], NO_UPDATE_FILTER),
        *(
            PlanSummaryEntry(str(status.label), counts[status.value], status.value)
            for status in RagStatus
        ),
    ]


_STRIP_LETTERS = {"red": "R", "amber": "A", "green": "G", "complete": "C", "not_started": "N"}


def _strip_cell(period: Period, update: ProgressUpdate | None) -> dict[str, Any]:
    status = update.status if update else ""
    label = RagStatus(status).label if status else "No update"
    return {
        "period": period.code,
        "status": status or "none",
        # Shown in the cell, so the status does not rest on colour alone.
        "letter": _STRIP_LETTERS.get(status, "–"),
        "label": f"{period.code}: {label}{' (late)' if update and update.is_late else ''}",
    }


def action_plan_export_rows(*, user: User) -> list[list[str]]:
    """The plan with each item's latest update, as rows for a CSV file (header first)."""
    items = list(
        _annotated_items(user)
        .annotate(latest_update_id=_latest_update("pk"))
        .prefetch_related(Prefetch("lead_agencies", queryset=Agency.objects.order_by("name")))
    )
    latest = {
        update.pk: update
        for update in ProgressUpdate.objects.filter(
            pk__in=[item.latest_update_id for item in items if item.latest_update_id]
        ).select_related("author", "author_agency")
    }
    rows = [
        [
            "Number",
            "Action",
            "Performance information",
            "Lead officer/agency",
            "Lead agencies",
            "Target date",
            "Status",
            "Overdue",
            "Latest period",
            "Submitted",
            "Late",
            "Narrative",
            "Remedial action",
            "Evidence link",
            "Author",
        ]
    ]
    for item in items:
        update = latest.get(item.latest_update_id)
        rows.append(
            [
                str(item.number),
                item.action,
                item.measure,
                item.lead_officer,
                "; ".join(agency.short_name for agency in item.lead_agencies.all()),
                item.target_date.isoformat() if item.target_date else "",
                _status_label(item),
                "yes" if getattr(item, "overdue", False) else "no",
                update.period if update else "",
                timezone.localtime(update.submitted_at).strftime("%Y-%m-%d %H:%M")
                if update
                else "",
                ("yes" if update.is_late else "no") if update else "",
                update.narrative if update else "",
                update.remedial_action if update else "",
                update.evidence_link if update else "",
                f"{update.author} ({update.author_agency.short_name})" if update else "",
            ]
        )
    return rows


# --- The item page ------------------------------------------------------------------------

ITEM_HISTORY_FIELDS = {
    "action": "Action",
    "measure": "Performance information",
    "lead_officer": "Lead officer/agency",
    "measure_kind": "Kind of measure",
    "measure_code": "Measure code",
    "target_date": "Target date",
}
UPDATE_HISTORY_FIELDS = {
    "status": "Status",
    "narrative": "Narrative",
    "remedial_action": "Remedial action",
    "evidence_link": "Evidence link",
    "milestone_done": "Milestone done",
    "milestone_date": "Milestone date",
}


@dataclass
class ItemPage:
    item: ActionItem
    updates: list[ProgressUpdate]
    measure_rows: list[dict[str, Any]]
    timeline: list[dict[str, Any]]
    requests: list[UpdateRequest]
    can_update: bool
    definition: str
    # Filled by another app's registered source (actions.measure_sources), e.g. the
    # indicator figures of an indicator item; None when no source answers for the item.
    measure_section: MeasureSection | None = None


def _status_label(item: ActionItem) -> str:
    status = getattr(item, "latest_status", None)  # annotated by _annotated_items
    return str(RagStatus(status).label) if status else "No update"


def action_item_page(*, user: User, number: int) -> ItemPage:
    """One item with every update, its measure per period and its change history."""
    item = action_item_policy.get_by_number_or_404(user, number)
    lead_agencies = list(item.lead_agencies.order_by("name"))
    item.lead_agency_list = lead_agencies  # type: ignore[attr-defined]  # for the template
    updates = list(
        ProgressUpdate.objects.filter(item=item)
        .select_related("author", "author_agency")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("uploaded_at")))
        .order_by("period")
    )
    periods = recent_periods(STRIP_PERIODS)
    earliest = min([update.period for update in updates] + [periods[0].code])
    while periods[0].code > earliest:
        periods.insert(0, periods[0].previous())
    requests = list(
        UpdateRequest.objects.filter(item=item)
        .select_related("requested_by")
        .order_by("-requested_at")
    )
    section = measure_section(user=user, item=item, periods=periods)
    rows = section.rows if section is not None else None
    return ItemPage(
        item=item,
        updates=updates,
        measure_rows=rows if rows is not None else _measure_rows(item, periods, updates),
        timeline=_timeline(item, updates, requests),
        requests=requests,
        can_update=item.pk in action_item_policy.editable_ids(user),
        definition=ACTIVITY_MEASURE_DEFINITIONS.get(item.measure_code, ""),
        measure_section=section,
    )


def _measure_rows(
    item: ActionItem, periods: list[Period], updates: list[ProgressUpdate]
) -> list[dict[str, Any]]:
    by_period = {update.period: update for update in updates}
    rows: list[dict[str, Any]] = []
    if item.measure_kind == ActionItem.MeasureKind.ACTIVITY and item.measure_code in ACTIVITY_CODES:
        counts = activity_counts_by_period(periods=periods)
        for period in reversed(periods):
            measure = measure_from_counts(item.measure_code, counts[period.code])
            rows.append({"period": period, **measure})
    elif item.measure_kind == ActionItem.MeasureKind.MILESTONE:
        latest: ProgressUpdate | None = None
        for period in periods:
            latest = by_period.get(period.code, latest)
            rows.append({"period": period, **milestone_from_update(latest)})
        rows.reverse()
    return rows


def _diff(previous: Any, record: Any, fields: dict[str, str]) -> list[tuple[str, str, str]]:
    changes = []
    for name, label in fields.items():
        old = getattr(previous, name, "") if previous is not None else ""
        new = getattr(record, name, "")
        if old != new:
            changes.append((label, _display(old), _display(new)))
    return changes


def _display(value: Any) -> str:
    if value is None or value == "":
        return "(blank)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value in RagStatus.values:
        return RagStatus(value).label
    return str(value)


def _timeline(
    item: ActionItem, updates: list[ProgressUpdate], requests: list[UpdateRequest]
) -> list[dict[str, Any]]:
    """A readable change history: item edits, updates written and changed, requests made."""
    entries: list[dict[str, Any]] = []
    previous = None
    for record in item.history.select_related("history_user").order_by("history_date"):
        # Items loaded by migration have no creation record: a first "~" record shows the
        # values it set, without a before.
        changes = _diff(previous, record, ITEM_HISTORY_FIELDS)
        if record.history_type == "+":
            entries.append(_entry(record, "Item added to the plan", []))
        elif changes:
            entries.append(_entry(record, "Item changed", changes))
        previous = record
    last_seen: dict[int, Any] = {}
    update_history = ProgressUpdate.history.filter(item_id=item.pk).select_related("history_user")
    for record in update_history.order_by("history_date"):
        before = last_seen.get(record.id)
        if record.history_type == "+":
            entries.append(_entry(record, f"Update for {record.period} written", []))
        elif record.history_type == "-":
            entries.append(_entry(record, f"Update for {record.period} deleted", []))
        else:
            changes = _diff(before, record, UPDATE_HISTORY_FIELDS)
            if changes:
                entries.append(_entry(record, f"Update for {record.period} changed", changes))
        last_seen[record.id] = record
    for request in requests:
        entries.append(
            {
                "at": request.requested_at,
                "who": str(request.requested_by),
                "what": f"Update for {request.period} requested from the lead agency",
                "changes": [],
            }
        )
    entries.sort(key=lambda entry: entry["at"], reverse=True)
    return entries


def _entry(record: Any, what: str, changes: list[tuple[str, str, str]]) -> dict[str, Any]:
    return {
        "at": record.history_date,
        "who": str(record.history_user) if record.history_user else "System",
        "what": what,
        "changes": changes,
    }


def progress_update_for_period(*, item: ActionItem, period: Period) -> ProgressUpdate | None:
    return (
        ProgressUpdate.objects.filter(item=item, period=period.code)
        .select_related("author", "author_agency")
        .prefetch_related("evidence")
        .first()
    )


def action_plan_list(*, user: User) -> QuerySet[ActionItem]:
    """All plan items the user may see, with lead agencies, in a constant number of queries."""
    return action_item_policy.visible_to(user).prefetch_related(
        Prefetch("lead_agencies", queryset=Agency.objects.order_by("name"))
    )
