"""N3: young people with a CSE marker, by highest risk level.

Structure: the headline "at significant risk" is the table's "Significant" row (one cell);
the total is shared with the four equality tables.
"""

from performance.indicators.base import Figure, Indicator, IndicatorResult, Table, equality_tables
from performance.indicators.queries import PeriodData

DEFINITIONS = (
    Indicator(
        "N3",
        "Young people with a CSE marker, by highest risk level",
        "Young people with a CSE marker in force at any time in the period (started on or "
        "before its last day and not ended before its first), counted once at the highest "
        "risk level of those markers.",
        "1.0",
        about_young_people=True,
    ),
)
MARKER_PEOPLE = "marker_people"


def build(data: PeriodData, results: dict[str, IndicatorResult]) -> None:
    yp = data.yp
    n3 = results["N3"]
    level = Table(
        "by_level",
        "Young people by highest risk level",
        "Highest risk level",
        (
            ("Significant", yp["marker_significant"]),
            ("Moderate", yp["marker_moderate"]),
            ("Mild", yp["marker_mild"]),
            ("Not at risk", yp["marker_not_at_risk"]),
        ),
        yp["marker"],
        total_cell=MARKER_PEOPLE,
    )
    n3.figures = [
        Figure("young_people", "Young people with a CSE marker", yp["marker"], cell=MARKER_PEOPLE),
        Figure(
            "significant",
            "At significant risk",
            yp["marker_significant"],
            cell=n3.table_row_cell(level, "Significant"),
        ),
    ]
    n3.tables = [
        level,
        *equality_tables(data.groups, "marker", yp["marker"], total_cell=MARKER_PEOPLE),
    ]
