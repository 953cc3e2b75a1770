"""N1 (referrals by source agency, young people referred) and N2 (their outcomes).

Structure: N1 and N2 print one referral total ("referrals"), which is also the total of both
tables; N1's young people referred is the shared total of its four equality tables; N2's
"IRD or more" is the sum of three outcome rows.
"""

from cases import models as cm
from performance.indicators.base import (
    Figure,
    Indicator,
    IndicatorResult,
    Relation,
    Table,
    equality_tables,
)
from performance.indicators.queries import PeriodData

DEFINITIONS = (
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
)
REFERRALS = "referrals"
REFERRED_PEOPLE = "referred_people"
IRD_OR_MORE = ("ird", "cp_conference", "cp_registration")


def build(data: PeriodData, results: dict[str, IndicatorResult]) -> None:
    referrals = data.referrals
    total = sum(row["total"] for row in referrals)
    people = data.yp["referred"]
    n1 = results["N1"]
    n1.figures = [
        Figure("referrals", "Referrals received", total, cell=REFERRALS),
        Figure("young_people", "Young people referred", people, cell=REFERRED_PEOPLE),
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
            total,
            total_cell=REFERRALS,
        ),
        *equality_tables(data.groups, "referred", people, total_cell=REFERRED_PEOPLE),
    ]

    n2 = results["N2"]
    outcome_rows = tuple(
        (label, sum(row[f"outcome_{value}"] for row in referrals))
        for value, label in cm.Referral.Outcome.choices
    )
    labels = dict(cm.Referral.Outcome.choices)
    table = Table(
        "by_outcome", "Referrals by outcome", "Outcome", outcome_rows, total, total_cell=REFERRALS
    )
    n2.figures = [
        Figure("referrals", "Referrals received", total, cell=REFERRALS),
        Figure(
            "ird_or_more",
            "Went to IRD, case conference or registration",
            sum(n for label, n in outcome_rows if label in {labels[v] for v in IRD_OR_MORE}),
        ),
    ]
    n2.tables = [table]
    n2.sums = [
        Relation(
            n2.cell_of("ird_or_more"),
            tuple(n2.table_row_cell(table, labels[v]) for v in IRD_OR_MORE),
        )
    ]
