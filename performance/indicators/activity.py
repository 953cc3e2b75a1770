"""N8, N11, N12, N13, N15, N16: the activity register and milestones.

Structure: schools, units, sessions, venues, meetings and milestones are not counts of
people and are published in full ("4 of 6 meetings held"). Staff trained and elected
members briefed are professionals and office holders, not the subjects of the records:
published in full too. Young people and carers reached by prevention sessions are people and
stay controlled (each stands alone: no published sum links them to anything else).
"""

from actions import models as am
from performance.indicators.base import Figure, Indicator, IndicatorResult, Table, percent
from performance.indicators.queries import PeriodData

DEFINITIONS = (
    Indicator(
        "N8",
        "Preventive education reached",
        "Prevention sessions held in the period: distinct schools and residential units "
        "reached, foster-carer sessions held, and young people and carers reached.",
        "1.1",
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
)


def _count_and_parts(
    result: IndicatorResult,
    figure: tuple[str, str],
    table: tuple[str, str, str],
    rows: tuple[tuple[str, int], ...],
) -> None:
    """A count (not of people) as the indicator's figure and the table of its parts, whose
    total is that figure."""
    total = sum(n for _, n in rows)
    key, name = figure
    table_key, title, dimension = table
    result.figures = [Figure(key, name, total, people=False)]
    result.tables = [
        Table(
            table_key, title, dimension, rows, total, people=False, total_cell=f"{result.id}.{key}"
        )
    ]


def build(data: PeriodData, results: dict[str, IndicatorResult]) -> None:
    activity = data.activity
    prevention = activity["prevention"]
    results["N8"].figures = [
        Figure("schools", "Schools reached", prevention["schools"], people=False),
        Figure("residential", "Residential units reached", prevention["residential"], people=False),
        Figure("foster", "Foster-carer sessions held", prevention["foster"], people=False),
        Figure("young_people", "Young people reached", prevention["young_people"]),
        Figure("carers", "Carers reached", prevention["carers"]),
    ]

    _count_and_parts(
        results["N11"],
        ("staff", "Front-line staff trained"),
        ("by_agency", "Staff trained by agency", "Agency"),
        tuple(sorted(activity["training"], key=lambda pair: (-pair[1], pair[0]))),
    )

    briefings = activity["briefings"]
    results["N12"].figures = [
        Figure("briefed", "Elected members briefed", briefings["briefed"], people=False),
        Figure(
            "council", "Elected members on the council", briefings["council"] or 0, people=False
        ),
        Figure(
            "briefed_pct",
            "Percentage of elected members briefed",
            percent(briefings["briefed"], briefings["council"]),
            kind="percent",
            based_on=("briefed", "council"),
        ),
    ]

    awareness = activity["awareness"]
    _count_and_parts(
        results["N13"],
        ("venues", "Venues and businesses reached"),
        ("by_type", "Venues reached by type", "Type"),
        tuple((label, awareness[value]) for value, label in am.AwarenessSession.VenueType.choices),
    )

    maog = activity["maog"]
    results["N15"].figures = [
        Figure("held", "MAOG meetings held", maog["n_held"], people=False),
        Figure("planned", "Meetings planned", maog["n_planned"], people=False),
        Figure("minutes", "Held with minutes recorded", maog["n_minutes"], people=False),
        Figure("terms", "Held with terms of reference in force", maog["n_terms"], people=False),
    ]

    milestones = activity["milestones"]
    results["N16"].figures = [
        Figure("done", "Milestones reported done", milestones["done"], people=False),
        Figure("items", "Milestones measured", milestones["items"], people=False),
    ]
