"""N9 (victims offered support, accepted, still engaged) and N10 (satisfaction).

Structure: N9's young people offered support is the shared total of its equality tables,
accepted is part of it (complement: declined); N10's returned forms are the total of the
respondent table and satisfied is part of it (complement: not satisfied).
"""

from performance.indicators.base import (
    Complement,
    Figure,
    Indicator,
    IndicatorResult,
    Table,
    equality_tables,
    percent,
)
from performance.indicators.queries import PeriodData

DEFINITIONS = (
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
)
SUPPORT_PEOPLE = "support_people"


def build(data: PeriodData, results: dict[str, IndicatorResult]) -> None:
    yp, feedback = data.yp, data.feedback
    n9 = results["N9"]
    n9.figures = [
        Figure(
            "offered", "Young people offered support", yp["support_offered"], cell=SUPPORT_PEOPLE
        ),
        Figure("accepted", "Accepted support", yp["support_accepted"]),
        Figure("engaged", "Still engaged at the end of the period", yp["support_engaged"]),
    ]
    n9.tables = equality_tables(
        data.groups, "support_offered", yp["support_offered"], total_cell=SUPPORT_PEOPLE
    )
    n9.complements = [Complement("N9.declined", SUPPORT_PEOPLE, "N9.accepted", "did not accept")]

    n10 = results["N10"]
    n10.figures = [
        Figure("returned", "Feedback returned", feedback["n_returned"]),
        Figure("satisfied", "Satisfied", feedback["n_satisfied"]),
        Figure(
            "satisfied_pct",
            "Percentage satisfied",
            percent(feedback["n_satisfied"], feedback["n_returned"]),
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
            total_cell="N10.returned",
        )
    ]
    n10.complements = [
        Complement("N10.not_satisfied", "N10.returned", "N10.satisfied", "not satisfied")
    ]
