"""Reads of the activity register and the measures: partnership-wide counts (no person, no
record) for the plan pages and the performance app."""

from typing import Any

from django.db.models import (
    Count,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce, Lower

from accounts.models import User
from actions.models import (
    ActionItem,
    AwarenessSession,
    MaogMeeting,
    MemberBriefing,
    PreventionSession,
    ProgressUpdate,
    RagStatus,
    TrainingSession,
)
from actions.permissions import activity_policy_or_404
from partnership.periods import Period
from partnership.sql import AggregatePart, aggregates_in_one_statement

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


# --- The activity register ----------------------------------------------------------------


def activity_list(*, user: User, kind: str) -> QuerySet[Any]:
    """Entries of one kind, newest first, with the names the list shows joined in."""
    queryset = activity_policy_or_404(kind).visible_to(user).select_related("agency", "recorded_by")
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


def measure_from_counts(measure_code: str, counts: dict[str, int]) -> dict[str, Any]:
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
    return {"period": period.code, **measure_from_counts(measure_code, counts)}


def training_by_agency(*, period: Period) -> dict[str, int]:
    """Front-line staff trained in the period by the trainees' agency (short name), one query."""
    rows = (
        TrainingSession.objects.filter(_in(period))
        .values("trainee_agency__short_name")
        .annotate(staff=Sum("staff_trained"))
        .order_by("trainee_agency__short_name")
    )
    return {row["trainee_agency__short_name"]: row["staff"] for row in rows}


def milestone_from_update(update: ProgressUpdate | None) -> dict[str, Any]:
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
        milestone = milestone_from_update(update)
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
