"""The NWG CSE performance indicators N1-N16: definitions and their computation for a period.

Each indicator is stated in code (id, title, plain-English definition, definition version)
and computed in SQL with conditional aggregation, in a fixed number of queries whatever the
data size. Aggregates are statistics over ALL records of the partnership, not access to
records: that is why a committee clerk may see them and never a row.

Rules that apply to every indicator:
- a young person counts once per indicator per period (we count YoungPerson rows, never
  joined rows);
- equality breakdowns (sex, age band, looked-after status, ethnicity) are given for the
  indicators about young people; age is taken on the last day of the period.
"""

from collections import defaultdict
from dataclasses import asdict, dataclass, field
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
    OuterRef,
    Q,
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
from partnership.periods import Period
from partnership.sql import AggregatePart, aggregates_in_one_statement

AGE_BANDS = ("Under 8", "8-12", "13-15", "16-17", "18 or over")
EQUALITY_DIMENSIONS = ("sex", "age_band", "looked_after", "ethnicity")
EQUALITY_TITLES = {
    "sex": "Sex",
    "age_band": "Age band",
    "looked_after": "Looked-after status",
    "ethnicity": "Ethnicity",
}
PROSECUTED_OUTCOMES = (
    cm.Allegation.ProsecutionOutcome.PROSECUTED,
    cm.Allegation.ProsecutionOutcome.CONVICTED,
    cm.Allegation.ProsecutionOutcome.ACQUITTED,
)


@dataclass(frozen=True)
class Indicator:
    id: str
    title: str
    definition: str
    version: str
    about_young_people: bool = False


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: int | float | None
    kind: str = "count"  # "count" or "percent"
    # For a percentage: the keys of the counts it is built on (numerator, denominator), so
    # disclosure control can suppress it when either count is suppressed.
    based_on: tuple[str, ...] = ()


@dataclass(frozen=True)
class Table:
    """A one-way breakdown of a count; its rows add up to `total`."""

    key: str
    title: str
    dimension: str
    rows: tuple[tuple[str, int], ...]
    total: int
    equality: bool = False


@dataclass
class IndicatorResult:
    id: str
    title: str
    definition: str
    version: str
    period: str
    about_young_people: bool
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)

    @property
    def headline(self) -> Figure:
        return self.figures[0]

    def figure(self, key: str) -> Figure:
        return next(f for f in self.figures if f.key == key)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["tables"] = [
            {**asdict(t), "rows": [{"label": label, "count": n} for label, n in t.rows]}
            for t in self.tables
        ]
        return data


def _definitions() -> dict[str, Indicator]:
    repeat_n = settings.CSE_REPEAT_MISSING_EPISODES
    repeat_days = settings.CSE_REPEAT_MISSING_DAYS
    target = settings.CSE_RETURN_DISCUSSION_TARGET_HOURS
    items = [
        Indicator(
            "N1",
            "CSE referrals received, by source agency",
            "Referrals received in the period (date received within the period), counted "
            "once each, by the agency they came from; and the number of distinct young "
            "people referred.",
            "1.0",
            about_young_people=True,
        ),
        Indicator(
            "N2",
            "Outcome of referrals",
            "The referrals counted in N1, by their recorded outcome as it stands when the "
            "report is made (still open until an outcome is recorded).",
            "1.0",
        ),
        Indicator(
            "N3",
            "Young people with a CSE marker, by highest risk level",
            "Young people with a CSE marker in force at any time in the period (started on or "
            "before its last day and not ended before its first), counted once at the highest "
            "risk level of those markers.",
            "1.0",
            about_young_people=True,
        ),
        Indicator(
            "N4",
            "Reported CSE allegations and those reported to COPFS",
            "Allegations made in the period, and how many of them have been reported to the "
            "Crown Office and Procurator Fiscal Service (COPFS).",
            "1.0",
        ),
        Indicator(
            "N5",
            "Cases reported to COPFS resulting in prosecution",
            "Allegations reported to COPFS in the period, how many were prosecuted (prosecuted, "
            "convicted or acquitted) and how many ended in conviction.",
            "1.0",
        ),
        Indicator(
            "N6",
            "Rate of repeat missing episodes",
            f"Young people with a missing episode starting in the period, and how many of "
            f"them went missing repeatedly: an episode in the period that was at least the "
            f"{repeat_n}th within {repeat_days} days. The rate is repeat / all, as a "
            f"percentage.",
            "1.0",
            about_young_people=True,
        ),
        Indicator(
            "N7",
            "Return discussions after missing episodes",
            f"Missing episodes ending in the period (young person located): return discussion "
            f"offered (offered, declined or completed), completed, and completed within "
            f"{target} hours of the young person being located.",
            "1.0",
        ),
        Indicator(
            "N8",
            "Preventive education reached",
            "Prevention sessions held in the period: distinct schools and residential units "
            "reached, foster-carer sessions held, and young people and carers reached.",
            "1.1",
        ),
        Indicator(
            "N9",
            "Victims offered support, accepted, still engaged",
            "Young people offered a support service in the period; of them, those who "
            "accepted an offer; and young people whose support had started and not ended on "
            "the last day of the period.",
            "1.0",
            about_young_people=True,
        ),
        Indicator(
            "N10",
            "Victim and carer satisfaction",
            "Feedback forms returned in the period by young people and carers, and the "
            "percentage satisfied with the support.",
            "1.0",
        ),
        Indicator(
            "N11",
            "Front-line staff trained",
            "Staff trained on CSE in sessions held in the period, by the agency they work for.",
            "1.0",
        ),
        Indicator(
            "N12",
            "Elected members briefed",
            "Elected members briefed on CSE in the period (sum over briefings) and as a "
            "percentage of the council's elected members (largest council size recorded).",
            "1.0",
        ),
        Indicator(
            "N13",
            "Night-time economy venues and businesses reached",
            "Distinct venues and businesses given awareness raising in the period, by type.",
            "1.0",
        ),
        Indicator(
            "N14",
            "MAPPA cases with a CSE victim safety plan",
            "MAPPA-managed allegations linked to at least one young person (victim) and open "
            "in the period (made on or before its last day, no outcome before its first), and "
            "how many have a victim safety plan recorded at MAPPA.",
            "1.0",
        ),
        Indicator(
            "N15",
            "MAOG meetings held against planned, with minutes",
            "Multi-Agency Operational Group meetings in the period: planned, held, held with "
            "minutes recorded, held with terms of reference in force.",
            "1.0",
        ),
        Indicator(
            "N16",
            "Milestones",
            "Action-plan milestones measured by N16 (procedure updated and approved; research "
            "reported): items done by the end of the period, as their latest progress update "
            "up to then says.",
            "1.1",
        ),
    ]
    return {item.id: item for item in items}


def indicator_definitions() -> list[Indicator]:
    """The definitions, in order, with today's thresholds written into the wording."""
    return list(_definitions().values())


# --- the computation ------------------------------------------------------------------------


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


def _young_person_flags(period: Period) -> dict[str, Exists]:
    """One EXISTS per young-person measure, correlated to the outer young person."""
    start, end = period.start, period.end
    start_dt, end_dt = period.start_datetime(), period.end_datetime_exclusive()
    yp = OuterRef("pk")
    in_force = Q(start_date__lte=end) & (Q(end_date__isnull=True) | Q(end_date__gte=start))
    markers = cm.CseMarker.objects.filter(in_force, young_person=yp)
    episodes = cm.MissingEpisode.objects.filter(
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
    supports = cm.Support.objects.filter(young_person=yp)
    offered = supports.filter(offered_on__gte=start, offered_on__lte=end)
    return {
        "referred": Exists(
            cm.Referral.objects.filter(
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


def _young_person_counts(period: Period) -> list[dict[str, Any]]:
    """Query 1: per equality group, how many young people meet each measure."""
    flags = _young_person_flags(period)
    level = flags.pop("marker_significant"), flags.pop("marker_moderate"), flags.pop("marker_mild")
    sig, mod, mild = level
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


def _referral_counts(period: Period) -> list[dict[str, Any]]:
    """Query 2: referrals in the period by source agency, with each outcome counted."""
    outcomes = {
        f"outcome_{value}": Count("pk", filter=Q(outcome=value))
        for value in cm.Referral.Outcome.values
    }
    return list(
        cm.Referral.objects.filter(received_on__gte=period.start, received_on__lte=period.end)
        .order_by()
        .values("referring_agency__short_name")
        .annotate(total=Count("pk"), **outcomes)
    )


def _allegation_part(period: Period) -> AggregatePart:
    """Allegations, COPFS, prosecutions and MAPPA in one pass."""
    start, end = period.start, period.end
    copfs_in_period = Q(reported_to_copfs_on__gte=start, reported_to_copfs_on__lte=end)
    has_victim = Exists(
        cm.Allegation.young_people.through.objects.filter(allegation_id=OuterRef("pk"))
    )
    mappa_open = (
        Q(mappa_managed=True, alleged_on__lte=end)
        & (Q(outcome_date__isnull=True) | Q(outcome_date__gte=start))
        & Q(has_victim)
    )
    return cm.Allegation.objects.all(), dict(
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
            & Q(prosecution_outcome=cm.Allegation.ProsecutionOutcome.CONVICTED),
        ),
        mappa=Count("pk", filter=mappa_open),
        mappa_plan=Count("pk", filter=mappa_open & Q(victim_safety_plan=True)),
    )


def _missing_part(period: Period) -> AggregatePart:
    """Missing episodes and their return discussions."""
    start_dt, end_dt = period.start_datetime(), period.end_datetime_exclusive()
    located = Q(located_at__gte=start_dt, located_at__lt=end_dt)
    statuses = cm.MissingEpisode.ReturnDiscussion
    within = Q(
        rd_completed_at__isnull=False,
        rd_completed_at__lte=F("located_at")
        + timedelta(hours=settings.CSE_RETURN_DISCUSSION_TARGET_HOURS),
    )
    return cm.MissingEpisode.objects.all(), dict(
        started=Count("pk", filter=Q(missing_from__gte=start_dt, missing_from__lt=end_dt)),
        ended=Count("pk", filter=located),
        offered=Count(
            "pk",
            filter=located
            & Q(
                return_discussion__in=[
                    statuses.OFFERED,
                    statuses.DECLINED,
                    statuses.COMPLETED,
                ]
            ),
        ),
        completed=Count("pk", filter=located & Q(return_discussion=statuses.COMPLETED)),
        within_target=Count(
            "pk", filter=located & Q(return_discussion=statuses.COMPLETED) & within
        ),
    )


def _feedback_part(period: Period) -> AggregatePart:
    """Feedback returned and satisfied, by respondent."""
    in_period = Q(received_on__gte=period.start, received_on__lte=period.end)
    victim = Q(respondent=cm.Feedback.Respondent.VICTIM)
    carer = Q(respondent=cm.Feedback.Respondent.CARER)
    return cm.Feedback.objects.all(), dict(
        n_returned=Count("pk", filter=in_period),
        n_satisfied=Count("pk", filter=in_period & Q(satisfied=True)),
        victim_returned=Count("pk", filter=in_period & victim),
        victim_satisfied=Count("pk", filter=in_period & victim & Q(satisfied=True)),
        carer_returned=Count("pk", filter=in_period & carer),
        carer_satisfied=Count("pk", filter=in_period & carer & Q(satisfied=True)),
    )


def _activity_counts(period: Period, counts: dict[str, int]) -> dict[str, Any]:
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
            {"trainee_agency__short_name": name, "staff": staff or 0}
            for name, staff in training_by_agency(period=period).items()
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


def _percent(numerator: int, denominator: int | None) -> float | None:
    if not denominator:
        return None
    return round(100 * numerator / denominator, 1)


def _equality_tables(groups: list[dict[str, Any]], measure: str, total: int) -> list[Table]:
    """Sum the per-group counts of one measure over each equality dimension."""
    labels = {
        "sex": dict(cm.Sex.choices),
        "ethnicity": dict(cm.Ethnicity.choices),
        "looked_after": {True: "Looked after", False: "Not looked after"},
        "age_band": {band: band for band in AGE_BANDS},
    }
    tables = []
    for dimension in EQUALITY_DIMENSIONS:
        sums: dict[str, int] = defaultdict(int)
        for group in groups:  # aggregated groups (at most a few hundred), not rows
            sums[labels[dimension].get(group[dimension], str(group[dimension]))] += group[measure]
        rows = tuple((label, sums.get(label, 0)) for label in labels[dimension].values())
        tables.append(
            Table(
                key=f"{measure}_{dimension}",
                title=f"{EQUALITY_TITLES[dimension]}",
                dimension=EQUALITY_TITLES[dimension],
                rows=rows,
                total=total,
                equality=True,
            )
        )
    return tables


def compute_indicators(period: Period) -> list[IndicatorResult]:
    """Every indicator N1-N16 for one period, in a fixed number of queries (see tests)."""
    defs = _definitions()
    groups = _young_person_counts(period)
    yp = {
        key: sum(group[key] for group in groups)
        for key in (groups[0].keys() if groups else _young_person_flags(period).keys())
        if key not in EQUALITY_DIMENSIONS
    }
    for key in ("marker_not_at_risk", "marker_mild", "marker_moderate", "marker_significant"):
        yp.setdefault(key, 0)
    referrals = _referral_counts(period)
    # Every single-row aggregate (allegations, missing episodes, feedback and the activity
    # register's five tables) in one statement.
    singles = aggregates_in_one_statement(
        [
            _allegation_part(period),
            _missing_part(period),
            _feedback_part(period),
            *activity_aggregate_parts(periods=[period]),
        ]
    )
    allegations, missing, feedback = singles[:3]
    counts = activity_counts_from_rows(periods=[period], rows=singles[3:])[period.code]
    activity = _activity_counts(period, counts)

    def result(code: str) -> IndicatorResult:
        d = defs[code]
        return IndicatorResult(
            id=d.id,
            title=d.title,
            definition=d.definition,
            version=d.version,
            period=period.code,
            about_young_people=d.about_young_people,
        )

    results: list[IndicatorResult] = []

    # N1 and N2: referrals.
    total_referrals = sum(row["total"] for row in referrals)
    n1 = result("N1")
    n1.figures = [
        Figure("referrals", "Referrals received", total_referrals),
        Figure("young_people", "Young people referred", yp.get("referred", 0)),
    ]
    by_source = sorted(
        (
            (row["referring_agency__short_name"] or "Not recorded", row["total"])
            for row in referrals
        ),
        key=lambda pair: (-pair[1], pair[0]),
    )
    n1.tables = [
        Table(
            "by_source",
            "Referrals by source agency",
            "Source agency",
            tuple(by_source),
            total_referrals,
        ),
        *_equality_tables(groups, "referred", yp.get("referred", 0)),
    ]
    results.append(n1)

    n2 = result("N2")
    outcome_rows = tuple(
        (label, sum(row[f"outcome_{value}"] for row in referrals))
        for value, label in cm.Referral.Outcome.choices
    )
    n2.figures = [
        Figure("referrals", "Referrals received", total_referrals),
        Figure(
            "ird_or_more",
            "Went to IRD, case conference or registration",
            sum(
                n
                for (value, _), (_, n) in zip(
                    cm.Referral.Outcome.choices, outcome_rows, strict=True
                )
                if value in ("ird", "cp_conference", "cp_registration")
            ),
        ),
    ]
    n2.tables = [
        Table("by_outcome", "Referrals by outcome", "Outcome", outcome_rows, total_referrals)
    ]
    results.append(n2)

    # N3: markers by highest risk level.
    n3 = result("N3")
    n3.figures = [
        Figure("young_people", "Young people with a CSE marker", yp.get("marker", 0)),
        Figure("significant", "At significant risk", yp["marker_significant"]),
    ]
    n3.tables = [
        Table(
            "by_level",
            "Young people by highest risk level",
            "Highest risk level",
            (
                ("Significant", yp["marker_significant"]),
                ("Moderate", yp["marker_moderate"]),
                ("Mild", yp["marker_mild"]),
                ("Not at risk", yp["marker_not_at_risk"]),
            ),
            yp.get("marker", 0),
        ),
        *_equality_tables(groups, "marker", yp.get("marker", 0)),
    ]
    results.append(n3)

    n4 = result("N4")
    n4.figures = [
        Figure("allegations", "Allegations made", allegations["made"]),
        Figure("reported_copfs", "Of which reported to COPFS", allegations["made_reported_copfs"]),
        Figure(
            "reported_copfs_pct",
            "Percentage reported to COPFS",
            _percent(allegations["made_reported_copfs"], allegations["made"]),
            kind="percent",
            based_on=("reported_copfs", "allegations"),
        ),
    ]
    results.append(n4)

    n5 = result("N5")
    n5.figures = [
        Figure("copfs", "Reported to COPFS in the period", allegations["copfs"]),
        Figure("prosecuted", "Prosecuted", allegations["prosecuted"]),
        Figure("convicted", "Convicted", allegations["convicted"]),
    ]
    results.append(n5)

    n6 = result("N6")
    n6.figures = [
        Figure("young_people", "Young people reported missing", yp.get("missing", 0)),
        Figure("repeat", "Of whom went missing repeatedly", yp.get("repeat_missing", 0)),
        Figure(
            "rate",
            "Repeat missing rate",
            _percent(yp.get("repeat_missing", 0), yp.get("missing", 0)),
            kind="percent",
            based_on=("repeat", "young_people"),
        ),
        Figure("episodes", "Missing episodes starting in the period", missing["started"]),
    ]
    n6.tables = _equality_tables(groups, "missing", yp.get("missing", 0))
    results.append(n6)

    n7 = result("N7")
    n7.figures = [
        Figure("episodes", "Episodes ended (young person located)", missing["ended"]),
        Figure("offered", "Return discussion offered", missing["offered"]),
        Figure("completed", "Return discussion completed", missing["completed"]),
        Figure("within_target", "Completed within target time", missing["within_target"]),
        Figure(
            "within_target_pct",
            "Percentage of episodes with a discussion within target",
            _percent(missing["within_target"], missing["ended"]),
            kind="percent",
            based_on=("within_target", "episodes"),
        ),
    ]
    results.append(n7)

    prevention = activity["prevention"]
    n8 = result("N8")
    n8.figures = [
        Figure("schools", "Schools reached", prevention["schools"]),
        Figure("residential", "Residential units reached", prevention["residential"]),
        Figure("foster", "Foster-carer sessions held", prevention["foster"]),
        Figure("young_people", "Young people reached", prevention["young_people"]),
        Figure("carers", "Carers reached", prevention["carers"]),
    ]
    results.append(n8)

    n9 = result("N9")
    n9.figures = [
        Figure("offered", "Young people offered support", yp.get("support_offered", 0)),
        Figure("accepted", "Accepted support", yp.get("support_accepted", 0)),
        Figure("engaged", "Still engaged at the end of the period", yp.get("support_engaged", 0)),
    ]
    n9.tables = _equality_tables(groups, "support_offered", yp.get("support_offered", 0))
    results.append(n9)

    n10 = result("N10")
    n10.figures = [
        Figure("returned", "Feedback returned", feedback["n_returned"]),
        Figure("satisfied", "Satisfied", feedback["n_satisfied"]),
        Figure(
            "satisfied_pct",
            "Percentage satisfied",
            _percent(feedback["n_satisfied"], feedback["n_returned"]),
            kind="percent",
            based_on=("satisfied", "returned"),
        ),
    ]
    n10.tables = [
        Table(
            "by_respondent",
            "Feedback returned by respondent",
            "Respondent",
            (
                ("Young people", feedback["victim_returned"]),
                ("Parents and carers", feedback["carer_returned"]),
            ),
            feedback["n_returned"],
        )
    ]
    results.append(n10)

    training_rows = tuple(
        sorted(
            ((row["trainee_agency__short_name"], row["staff"]) for row in activity["training"]),
            key=lambda pair: (-pair[1], pair[0]),
        )
    )
    staff_total = sum(n for _, n in training_rows)
    n11 = result("N11")
    n11.figures = [Figure("staff", "Front-line staff trained", staff_total)]
    n11.tables = [
        Table("by_agency", "Staff trained by agency", "Agency", training_rows, staff_total)
    ]
    results.append(n11)

    briefings = activity["briefings"]
    n12 = result("N12")
    n12.figures = [
        Figure("briefed", "Elected members briefed", briefings["briefed"]),
        Figure("council", "Elected members on the council", briefings["council"] or 0),
        Figure(
            "briefed_pct",
            "Percentage of elected members briefed",
            _percent(briefings["briefed"], briefings["council"]),
            kind="percent",
            based_on=("briefed", "council"),
        ),
    ]
    results.append(n12)

    awareness = activity["awareness"]
    venue_rows = tuple(
        (label, awareness[value]) for value, label in am.AwarenessSession.VenueType.choices
    )
    venues_total = sum(n for _, n in venue_rows)
    n13 = result("N13")
    n13.figures = [Figure("venues", "Venues and businesses reached", venues_total)]
    n13.tables = [Table("by_type", "Venues reached by type", "Type", venue_rows, venues_total)]
    results.append(n13)

    n14 = result("N14")
    n14.figures = [
        Figure("mappa", "MAPPA cases linked to a CSE victim", allegations["mappa"]),
        Figure("safety_plan", "With a victim safety plan", allegations["mappa_plan"]),
    ]
    results.append(n14)

    maog = activity["maog"]
    n15 = result("N15")
    n15.figures = [
        Figure("held", "MAOG meetings held", maog["n_held"]),
        Figure("planned", "Meetings planned", maog["n_planned"]),
        Figure("minutes", "Held with minutes recorded", maog["n_minutes"]),
        Figure("terms", "Held with terms of reference in force", maog["n_terms"]),
    ]
    results.append(n15)

    milestones = activity["milestones"]
    n16 = result("N16")
    n16.figures = [
        Figure("done", "Milestones reported done", milestones["done"]),
        Figure("items", "Milestones measured", milestones["items"]),
    ]
    results.append(n16)
    return results


def indicators_by_id(results: list[IndicatorResult]) -> dict[str, IndicatorResult]:
    return {r.id: r for r in results}
