"""Reads of the action plan and the activity register. Every read starts from permissions.py,
except the measure functions at the bottom, which return partnership-wide counts (no person,
no record) for the performance app and the plan pages.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone

from actions.models import (
    ActionItem,
    AwarenessSession,
    Evidence,
    MaogMeeting,
    MemberBriefing,
    PreventionSession,
    ProgressUpdate,
    RagStatus,
    TrainingSession,
    UpdateRequest,
)
from actions.permissions import (
    action_item_for_user_or_404,
    action_item_queryset_for_user,
    activity_queryset_for_user,
    updatable_item_ids,
)
from partnership.models import Agency
from partnership.periods import Period, current_period, recent_periods
from partnership.sql import AggregatePart, aggregates_in_one_statement

STRIP_PERIODS = 4
OVERDUE_FILTER = "overdue"

# What each activity measure counts; shown on the item page and stated for the report appendix.
ACTIVITY_MEASURE_DEFINITIONS: dict[str, str] = {
    "prevention": (
        "Distinct schools plus distinct residential units with a prevention session in the "
        "period, plus prevention sessions held with foster carers."
    ),
    "training": "Front-line staff trained in the period (sum over training sessions).",
    "awareness": "Distinct night-time-economy venues and businesses reached in the period.",
    "member_briefing": (
        "Elected members briefed in the period (sum over briefings), and as a percentage of "
        "the council's total members (the largest total recorded in the period)."
    ),
    "maog_meeting": "MAOG meetings held in the period, and how many of them have minutes.",
}
ACTIVITY_CODES = tuple(ACTIVITY_MEASURE_DEFINITIONS)


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


def _annotated_items(user: object, *, today: dt.date | None = None) -> QuerySet[ActionItem]:
    """Items with their latest status and date and an overdue flag, all computed in SQL.

    Overdue: no update for the period that closed last (unless the item is complete), or past
    its target date and not complete.
    """
    today = today or timezone.localdate()
    closed = current_period().previous()
    complete = Q(latest_status=RagStatus.COMPLETE)
    return action_item_queryset_for_user(user).annotate(
        latest_status=_latest_update("status"),
        latest_period=_latest_update("period"),
        latest_submitted_at=_latest_update("submitted_at"),
        has_closed_update=Exists(
            ProgressUpdate.objects.filter(item=OuterRef("pk"), period=closed.code)
        ),
        overdue=Case(
            When(complete, then=Value(False)),
            When(has_closed_update=False, then=Value(True)),
            When(target_date__lt=today, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )


def action_plan_page(
    *, user: object, agency_code: str = "", status: str = "", today: dt.date | None = None
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
        items = items.filter(overdue=True)
    elif status == RagStatus.NOT_STARTED:
        items = items.filter(Q(latest_status=RagStatus.NOT_STARTED) | Q(latest_status__isnull=True))
    elif status in RagStatus.values:
        items = items.filter(latest_status=status)
    editable = updatable_item_ids(user)
    counts = activity_counts_by_period(periods=[current])[current.code]
    rows = []
    for item in items:
        by_period = {update.period: update for update in item.recent_updates}
        strip = [_strip_cell(period, by_period.get(period.code)) for period in periods]
        value = None
        if item.measure_kind == ActionItem.MeasureKind.ACTIVITY and item.measure_code in counts:
            value = _measure_from_counts(item.measure_code, counts)
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


def _strip_cell(period: Period, update: ProgressUpdate | None) -> dict[str, Any]:
    status = update.status if update else ""
    label = RagStatus(status).label if status else "No update"
    return {
        "period": period.code,
        "status": status or "none",
        "label": f"{period.code}: {label}{' (late)' if update and update.is_late else ''}",
    }


def action_plan_export_rows(*, user: object) -> list[list[str]]:
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
                RagStatus(item.latest_status).label if item.latest_status else "No update",
                "yes" if item.overdue else "no",
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


def action_item_page(*, user: object, number: int) -> ItemPage:
    """One item with every update, its measure per period and its change history."""
    item = action_item_for_user_or_404(user, number)
    lead_agencies = list(item.lead_agencies.order_by("name"))
    item.lead_agency_list = lead_agencies
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
    return ItemPage(
        item=item,
        updates=updates,
        measure_rows=_measure_rows(item, periods, updates),
        timeline=_timeline(item, updates, requests),
        requests=requests,
        can_update=item.pk in updatable_item_ids(user),
        definition=ACTIVITY_MEASURE_DEFINITIONS.get(item.measure_code, ""),
    )


def _measure_rows(
    item: ActionItem, periods: list[Period], updates: list[ProgressUpdate]
) -> list[dict[str, Any]]:
    by_period = {update.period: update for update in updates}
    rows: list[dict[str, Any]] = []
    if item.measure_kind == ActionItem.MeasureKind.ACTIVITY and item.measure_code in ACTIVITY_CODES:
        counts = activity_counts_by_period(periods=periods)
        for period in reversed(periods):
            measure = _measure_from_counts(item.measure_code, counts[period.code])
            rows.append({"period": period, **measure})
    elif item.measure_kind == ActionItem.MeasureKind.MILESTONE:
        latest: ProgressUpdate | None = None
        for period in periods:
            latest = by_period.get(period.code, latest)
            rows.append({"period": period, **_milestone_from_update(latest)})
        rows.reverse()
    return rows


def _milestone_from_update(update: ProgressUpdate | None) -> dict[str, Any]:
    if update is None:
        return {
            "done": False,
            "date": None,
            "evidence": [],
            "evidence_link": "",
            "update_period": "",
        }
    done = bool(update.milestone_done) or update.status == RagStatus.COMPLETE
    return {
        "done": done,
        "date": update.milestone_date,
        "evidence": list(update.evidence.all()),
        "evidence_link": update.evidence_link,
        "update_period": update.period,
    }


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


# --- The activity register ----------------------------------------------------------------


def activity_list(*, user: object, kind: str) -> QuerySet:
    """Entries of one kind, newest first, with the names the list shows joined in."""
    queryset = activity_queryset_for_user(user, kind).select_related("agency", "recorded_by")
    if kind == "training":
        queryset = queryset.select_related("trainee_agency")
    return queryset.order_by("-occurred_on", "-id")


# --- Measures: partnership-wide counts for the plan and the performance app ----------------


def _in(period: Period) -> Q:
    return Q(occurred_on__gte=period.start, occurred_on__lte=period.end)


def _sum(field_name: str, condition: Q) -> Coalesce:
    return Coalesce(Sum(field_name, filter=condition), 0)


def activity_counts_by_period(*, periods: list[Period]) -> dict[str, dict[str, int]]:
    """Counts from the activity register per period code, in one statement whatever the number
    of periods or rows (conditional aggregation over each kind of activity, joined).

    Keys per period: ``prevention`` (schools + residential units + foster-carer sessions) with
    ``prevention_schools``, ``prevention_residential_units``, ``prevention_foster_carer_sessions``,
    ``prevention_young_people``, ``prevention_carers``, ``prevention_sessions``; ``training``
    (staff trained) and ``training_sessions``; ``awareness`` (distinct venues) with
    ``awareness_<venue type>``, ``awareness_sessions``; ``member_briefing`` (members briefed),
    ``member_briefing_council_total``, ``member_briefing_sessions``; ``maog_meeting`` (held),
    ``maog_meeting_planned``, ``maog_meeting_with_minutes``, ``maog_meeting_with_terms``.
    """
    if not periods:
        return {}
    rows = aggregates_in_one_statement(activity_aggregate_parts(periods=periods))
    return activity_counts_from_rows(periods=periods, rows=rows)


def activity_aggregate_parts(*, periods: list[Period]) -> list[AggregatePart]:
    """The register's conditional aggregates per kind of activity, unevaluated, so a caller
    (the indicators) can run them in the same statement as its own."""
    setting = PreventionSession.Setting
    prevention: dict[str, Any] = {}
    training: dict[str, Any] = {}
    awareness: dict[str, Any] = {}
    briefing: dict[str, Any] = {}
    maog: dict[str, Any] = {}
    for index, period in enumerate(periods):
        within = _in(period)
        prevention |= {
            f"{index}|prevention_schools": Count(
                Lower("setting_name"), distinct=True, filter=within & Q(setting=setting.SCHOOL)
            ),
            f"{index}|prevention_residential_units": Count(
                Lower("setting_name"),
                distinct=True,
                filter=within & Q(setting=setting.RESIDENTIAL),
            ),
            f"{index}|prevention_foster_carer_sessions": Count(
                "pk", filter=within & Q(setting=setting.FOSTER_CARERS)
            ),
            f"{index}|prevention_young_people": _sum("young_people_reached", within),
            f"{index}|prevention_carers": _sum("carers_reached", within),
            f"{index}|prevention_sessions": Count("pk", filter=within),
        }
        training |= {
            f"{index}|training": _sum("staff_trained", within),
            f"{index}|training_sessions": Count("pk", filter=within),
        }
        awareness |= {
            f"{index}|awareness": Count(Lower("venue_name"), distinct=True, filter=within),
            f"{index}|awareness_sessions": Count("pk", filter=within),
            f"{index}|awareness_people": _sum("people_reached", within),
        }
        for venue_type in AwarenessSession.VenueType.values:
            awareness[f"{index}|awareness_{venue_type}"] = Count(
                Lower("venue_name"), distinct=True, filter=within & Q(venue_type=venue_type)
            )
        briefing |= {
            f"{index}|member_briefing": _sum("members_briefed", within),
            f"{index}|member_briefing_council_total": Coalesce(
                Max("council_total", filter=within), 0
            ),
            f"{index}|member_briefing_sessions": Count("pk", filter=within),
        }
        maog |= {
            f"{index}|maog_meeting": Count("pk", filter=within & Q(held=True)),
            f"{index}|maog_meeting_planned": Count("pk", filter=within & Q(planned=True)),
            f"{index}|maog_meeting_with_minutes": Count(
                "pk", filter=within & Q(held=True, minutes_recorded=True)
            ),
            f"{index}|maog_meeting_with_terms": Count(
                "pk", filter=within & Q(held=True, terms_of_reference_in_force=True)
            ),
        }
    return [
        (PreventionSession.objects.all(), prevention),
        (TrainingSession.objects.all(), training),
        (AwarenessSession.objects.all(), awareness),
        (MemberBriefing.objects.all(), briefing),
        (MaogMeeting.objects.all(), maog),
    ]


def activity_counts_from_rows(
    *, periods: list[Period], rows: list[dict[str, Any]]
) -> dict[str, dict[str, int]]:
    """Turn the rows of activity_aggregate_parts into counts per period code."""
    result: dict[str, dict[str, int]] = {period.code: {} for period in periods}
    for row in rows:
        for key, value in row.items():
            index, name = key.split("|", 1)
            result[periods[int(index)].code][name] = int(value or 0)
    for counts in result.values():
        counts["prevention"] = (
            counts["prevention_schools"]
            + counts["prevention_residential_units"]
            + counts["prevention_foster_carer_sessions"]
        )
    return result


def _measure_from_counts(measure_code: str, counts: dict[str, int]) -> dict[str, Any]:
    parts = {
        key[len(measure_code) + 1 :]: value
        for key, value in counts.items()
        if key.startswith(f"{measure_code}_")
    }
    measure: dict[str, Any] = {
        "measure_code": measure_code,
        "value": counts[measure_code],
        "parts": parts,
    }
    if measure_code == "member_briefing":
        total = counts["member_briefing_council_total"]
        # Capped: members briefed twice in a period would otherwise push it past 100.
        measure["percent"] = min(100, round(100 * counts[measure_code] / total)) if total else None
    return measure


def activity_measure_for_period(*, measure_code: str, period: Period) -> dict[str, Any]:
    """One activity measure for one period: ``value`` (the headline count), ``parts`` (the
    breakdown, see activity_counts_by_period) and ``percent`` for member briefings."""
    if measure_code not in ACTIVITY_CODES:
        raise ValueError(f"Unknown activity measure {measure_code!r}")
    counts = activity_counts_by_period(periods=[period])[period.code]
    return {"period": period.code, **_measure_from_counts(measure_code, counts)}


def training_by_agency(*, period: Period) -> dict[str, int]:
    """Front-line staff trained in the period by the trainees' agency (short name), one query."""
    rows = (
        TrainingSession.objects.filter(_in(period))
        .values("trainee_agency__short_name")
        .annotate(staff=Sum("staff_trained"))
        .order_by("trainee_agency__short_name")
    )
    return {row["trainee_agency__short_name"]: row["staff"] for row in rows}


def milestone_status(*, period: Period) -> dict[int, dict[str, Any]]:
    """Each milestone item's state at the end of `period` (from its latest update up to then),
    keyed by item number: ``done``, ``date``, ``status``, ``update_period``, ``evidence`` (file
    names), ``evidence_link``, ``measure_code`` (N16 for items 2 and 9). Three queries."""
    items = list(
        ActionItem.objects.filter(measure_kind=ActionItem.MeasureKind.MILESTONE).annotate(
            latest_update_id=Subquery(
                ProgressUpdate.objects.filter(item=OuterRef("pk"), period__lte=period.code)
                .order_by("-period")
                .values("pk")[:1]
            )
        )
    )
    updates = {
        update.pk: update
        for update in ProgressUpdate.objects.filter(
            pk__in=[item.latest_update_id for item in items if item.latest_update_id]
        ).prefetch_related("evidence")
    }
    status: dict[int, dict[str, Any]] = {}
    for item in items:
        update = updates.get(item.latest_update_id)
        milestone = _milestone_from_update(update)
        status[item.number] = {
            "number": item.number,
            "action": item.action,
            "measure": item.measure,
            "measure_code": item.measure_code,
            "done": milestone["done"],
            "date": milestone["date"],
            "status": update.status if update else RagStatus.NOT_STARTED.value,
            "update_period": update.period if update else "",
            "evidence": [evidence.original_name for evidence in milestone["evidence"]],
            "evidence_link": milestone["evidence_link"],
        }
    return status


def milestones_done(*, period: Period, measure_code: str) -> dict[str, int]:
    """How many milestone items with this measure code are done at the end of `period` (by
    the same rule as milestone_status: the latest update up to then says done or complete),
    in one query, for the indicators."""
    latest = ProgressUpdate.objects.filter(item=OuterRef("pk"), period__lte=period.code).order_by(
        "-period"
    )
    return (
        ActionItem.objects.filter(
            measure_kind=ActionItem.MeasureKind.MILESTONE, measure_code=measure_code
        )
        .annotate(
            latest_done=Subquery(latest.values("milestone_done")[:1]),
            latest_status=Subquery(latest.values("status")[:1]),
        )
        .aggregate(
            items=Count("pk"),
            done=Count("pk", filter=Q(latest_done=True) | Q(latest_status=RagStatus.COMPLETE)),
        )
    )


def action_plan_list(*, user: object) -> QuerySet[ActionItem]:
    """All plan items the user may see, with lead agencies, in a constant number of queries."""
    return action_item_queryset_for_user(user).prefetch_related(
        Prefetch("lead_agencies", queryset=Agency.objects.order_by("name"))
    )
