"""The shared queries behind every indicator: five statements for a period, whatever the data
size (tests pin it). Indicator modules read the `PeriodData` these return; none queries on
its own, so adding an indicator never adds a round trip per period.

Aggregates are statistics over ALL records of the partnership (or of one agency's records
when `agency` is given), not access to records.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    Manager,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from actions import models as am
from actions.selectors import (
    activity_aggregate_parts,
    activity_counts_from_rows,
    milestones_done,
    training_by_agency,
)
from cases import models as cm
from maog import models as mm
from partnership.periods import Period
from partnership.sql import AggregatePart, aggregates_in_one_statement
from performance.indicators.base import AGE_BANDS, EQUALITY_DIMENSIONS

PROSECUTED_OUTCOMES = (
    mm.Allegation.ProsecutionOutcome.PROSECUTED,
    mm.Allegation.ProsecutionOutcome.CONVICTED,
    mm.Allegation.ProsecutionOutcome.ACQUITTED,
)


@dataclass
class PeriodData:
    period: Period
    groups: list[dict[str, Any]]  # young-person measures per equality group
    yp: dict[str, int]  # the same, summed over the groups
    referrals: list[dict[str, Any]]  # referrals per source agency with outcome counts
    allegations: dict[str, int]
    missing: dict[str, int]
    feedback: dict[str, int]
    activity: dict[str, Any]


def _owned(rows: "Manager[Any] | QuerySet[Any]", agency: object | None) -> QuerySet[Any]:
    queryset = rows.all()
    return queryset if agency is None else queryset.filter(owner_agency=agency)


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _age_band(period: Period) -> Case:
    """Age on the last day of the period, as a band, computed from date of birth in SQL."""
    end = period.end
    return Case(
        When(date_of_birth__gt=_years_before(end, 8), then=Value(AGE_BANDS[0])),
        When(date_of_birth__gt=_years_before(end, 13), then=Value(AGE_BANDS[1])),
        When(date_of_birth__gt=_years_before(end, 16), then=Value(AGE_BANDS[2])),
        When(date_of_birth__gt=_years_before(end, 18), then=Value(AGE_BANDS[3])),
        default=Value(AGE_BANDS[4]),
        output_field=CharField(),
    )


def _young_person_flags(period: Period, agency: object | None) -> dict[str, Exists]:
    """One EXISTS per young-person measure, correlated to the outer young person."""
    start, end = period.start, period.end
    start_dt, end_dt = period.start_datetime(), period.end_datetime_exclusive()
    yp = OuterRef("pk")
    in_force = Q(start_date__lte=end) & (Q(end_date__isnull=True) | Q(end_date__gte=start))
    markers = _owned(cm.CseMarker.objects, agency).filter(in_force, young_person=yp)
    episodes = _owned(cm.MissingEpisode.objects, agency).filter(
        young_person=yp, missing_from__gte=start_dt, missing_from__lt=end_dt
    )
    # Episodes of the same young person in the window ending at the outer episode.
    window = (
        cm.MissingEpisode.objects.filter(
            young_person=OuterRef("young_person"),
            missing_from__gt=OuterRef("missing_from")
            - timedelta(days=settings.CSE_REPEAT_MISSING_DAYS),
            missing_from__lte=OuterRef("missing_from"),
        )
        .order_by()
        .values("young_person")
        .annotate(n=Count("pk"))
        .values("n")
    )
    repeat = episodes.annotate(
        in_window=Coalesce(Subquery(window, output_field=IntegerField()), 0)
    ).filter(in_window__gte=settings.CSE_REPEAT_MISSING_EPISODES)
    supports = _owned(cm.Support.objects, agency).filter(young_person=yp)
    offered = supports.filter(offered_on__gte=start, offered_on__lte=end)
    return {
        "referred": Exists(
            _owned(cm.Referral.objects, agency).filter(
                young_person=yp, received_on__gte=start, received_on__lte=end
            )
        ),
        "marker": Exists(markers),
        "marker_significant": Exists(markers.filter(risk_level=cm.RiskLevel.SIGNIFICANT)),
        "marker_moderate": Exists(markers.filter(risk_level=cm.RiskLevel.MODERATE)),
        "marker_mild": Exists(markers.filter(risk_level=cm.RiskLevel.MILD)),
        "missing": Exists(episodes),
        "repeat_missing": Exists(repeat),
        "support_offered": Exists(offered),
        "support_accepted": Exists(offered.filter(accepted=True)),
        "support_engaged": Exists(
            supports.filter(started_on__lte=end).filter(
                Q(ended_on__isnull=True) | Q(ended_on__gt=end)
            )
        ),
    }


YP_MEASURES = (
    "referred",
    "marker",
    "missing",
    "repeat_missing",
    "support_offered",
    "support_accepted",
    "support_engaged",
    "marker_significant",
    "marker_moderate",
    "marker_mild",
    "marker_not_at_risk",
)


def _young_person_counts(period: Period, agency: object | None) -> list[dict[str, Any]]:
    """Query 1: per equality group, how many young people meet each measure."""
    flags = _young_person_flags(period, agency)
    sig, mod, mild = (
        flags.pop("marker_significant"),
        flags.pop("marker_moderate"),
        flags.pop("marker_mild"),
    )
    counts: dict[str, Count] = {name: Count("pk", filter=Q(flag)) for name, flag in flags.items()}
    marker = flags["marker"]
    counts["marker_significant"] = Count("pk", filter=Q(sig))
    counts["marker_moderate"] = Count("pk", filter=Q(mod) & ~Q(sig))
    counts["marker_mild"] = Count("pk", filter=Q(mild) & ~Q(mod) & ~Q(sig))
    counts["marker_not_at_risk"] = Count("pk", filter=Q(marker) & ~Q(mild) & ~Q(mod) & ~Q(sig))
    return list(
        cm.YoungPerson.objects.order_by()
        .annotate(age_band=_age_band(period))
        .values(*EQUALITY_DIMENSIONS)
        .annotate(**counts)
    )


def _referral_counts(period: Period, agency: object | None) -> list[dict[str, Any]]:
    """Query 2: referrals in the period by source agency, with each outcome counted."""
    outcomes = {
        f"outcome_{value}": Count("pk", filter=Q(outcome=value))
        for value in cm.Referral.Outcome.values
    }
    return list(
        _owned(cm.Referral.objects, agency)
        .filter(received_on__gte=period.start, received_on__lte=period.end)
        .order_by()
        .values("referring_agency__short_name")
        .annotate(total=Count("pk"), **outcomes)
    )


def _allegation_part(period: Period, agency: object | None) -> AggregatePart:
    """Allegations, COPFS, prosecutions and MAPPA in one pass."""
    start, end = period.start, period.end
    copfs_in_period = Q(reported_to_copfs_on__gte=start, reported_to_copfs_on__lte=end)
    has_victim = Exists(
        mm.Allegation.young_people.through.objects.filter(allegation_id=OuterRef("pk"))
    )
    mappa_open = (
        Q(mappa_managed=True, alleged_on__lte=end)
        & (Q(outcome_date__isnull=True) | Q(outcome_date__gte=start))
        & Q(has_victim)
    )
    return _owned(mm.Allegation.objects.all(), agency), dict(
        made=Count("pk", filter=Q(alleged_on__gte=start, alleged_on__lte=end)),
        made_reported_copfs=Count(
            "pk",
            filter=Q(
                alleged_on__gte=start, alleged_on__lte=end, reported_to_copfs_on__isnull=False
            ),
        ),
        copfs=Count("pk", filter=copfs_in_period),
        prosecuted=Count(
            "pk", filter=copfs_in_period & Q(prosecution_outcome__in=PROSECUTED_OUTCOMES)
        ),
        convicted=Count(
            "pk",
            filter=copfs_in_period
            & Q(prosecution_outcome=mm.Allegation.ProsecutionOutcome.CONVICTED),
        ),
        mappa=Count("pk", filter=mappa_open),
        mappa_plan=Count("pk", filter=mappa_open & Q(victim_safety_plan=True)),
    )


def _missing_part(period: Period, agency: object | None) -> AggregatePart:
    """Missing episodes and their return discussions."""
    start_dt, end_dt = period.start_datetime(), period.end_datetime_exclusive()
    located = Q(located_at__gte=start_dt, located_at__lt=end_dt)
    statuses = cm.MissingEpisode.ReturnDiscussion
    within = Q(
        rd_completed_at__isnull=False,
        rd_completed_at__lte=F("located_at")
        + timedelta(hours=settings.CSE_RETURN_DISCUSSION_TARGET_HOURS),
    )
    offered = [statuses.OFFERED, statuses.DECLINED, statuses.COMPLETED]
    return _owned(cm.MissingEpisode.objects.all(), agency), dict(
        started=Count("pk", filter=Q(missing_from__gte=start_dt, missing_from__lt=end_dt)),
        ended=Count("pk", filter=located),
        offered=Count("pk", filter=located & Q(return_discussion__in=offered)),
        completed=Count("pk", filter=located & Q(return_discussion=statuses.COMPLETED)),
        within_target=Count(
            "pk", filter=located & Q(return_discussion=statuses.COMPLETED) & within
        ),
    )


def _feedback_part(period: Period, agency: object | None) -> AggregatePart:
    """Feedback returned and satisfied, by respondent."""
    in_period = Q(received_on__gte=period.start, received_on__lte=period.end)
    victim = Q(respondent=cm.Feedback.Respondent.VICTIM)
    carer = Q(respondent=cm.Feedback.Respondent.CARER)
    return _owned(cm.Feedback.objects.all(), agency), dict(
        n_returned=Count("pk", filter=in_period),
        n_satisfied=Count("pk", filter=in_period & Q(satisfied=True)),
        victim_returned=Count("pk", filter=in_period & victim),
        victim_satisfied=Count("pk", filter=in_period & victim & Q(satisfied=True)),
        carer_returned=Count("pk", filter=in_period & carer),
        carer_satisfied=Count("pk", filter=in_period & carer & Q(satisfied=True)),
    )


def _activity(period: Period, counts: dict[str, int]) -> dict[str, Any]:
    """The activity register and milestones (N8, N11-N13, N15, N16), read through the action
    plan's own selectors so the plan page and the reports show the same numbers."""
    milestones = milestones_done(period=period, measure_code="N16")
    return {
        "prevention": {
            "schools": counts["prevention_schools"],
            "residential": counts["prevention_residential_units"],
            "foster": counts["prevention_foster_carer_sessions"],
            "young_people": counts["prevention_young_people"],
            "carers": counts["prevention_carers"],
        },
        "training": [
            (name, staff or 0) for name, staff in training_by_agency(period=period).items()
        ],
        "briefings": {
            "briefed": counts["member_briefing"],
            "council": counts["member_briefing_council_total"] or None,
        },
        "awareness": {
            venue: counts.get(f"awareness_{venue}", 0)
            for venue in am.AwarenessSession.VenueType.values
        },
        "maog": {
            "n_held": counts["maog_meeting"],
            "n_planned": counts["maog_meeting_planned"],
            "n_minutes": counts["maog_meeting_with_minutes"],
            "n_terms": counts["maog_meeting_with_terms"],
        },
        "milestones": {"items": milestones["items"], "done": milestones["done"]},
    }


def period_data(period: Period, *, agency: object | None = None) -> PeriodData:
    """Everything the indicators need for one period, in five queries.

    With `agency`, the case figures count that agency's own records only; the activity
    register and milestones (not counts of people, published in full) stay partnership-wide.
    """
    groups = _young_person_counts(period, agency)
    yp = {key: sum(group.get(key, 0) for group in groups) for key in YP_MEASURES}
    referrals = _referral_counts(period, agency)
    # Every single-row aggregate (allegations, missing episodes, feedback and the activity
    # register's five tables) in one statement.
    singles = aggregates_in_one_statement(
        [
            _allegation_part(period, agency),
            _missing_part(period, agency),
            _feedback_part(period, agency),
            *activity_aggregate_parts(periods=[period]),
        ]
    )
    allegations, missing, feedback = singles[:3]
    counts = activity_counts_from_rows(periods=[period], rows=singles[3:])[period.code]
    return PeriodData(
        period=period,
        groups=groups,
        yp=yp,
        referrals=referrals,
        allegations=allegations,
        missing=missing,
        feedback=feedback,
        activity=_activity(period, counts),
    )
