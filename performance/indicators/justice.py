"""N4 (allegations and COPFS), N5 (prosecutions) and N14 (MAPPA victim safety plans).

Allegations are about offenders and victims: counts of people, controlled. Each "of which"
figure has a complement a reader can work out (made minus reported to COPFS), declared so
the audit sees it.
"""

from performance.indicators.base import Complement, Figure, Indicator, IndicatorResult, percent
from performance.indicators.queries import PeriodData

DEFINITIONS = (
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
        "N14",
        "MAPPA cases with a CSE victim safety plan",
        "MAPPA-managed allegations linked to at least one young person (victim) and open "
        "in the period (made on or before its last day, no outcome before its first), and "
        "how many have a victim safety plan recorded at MAPPA.",
        "1.0",
    ),
)


def build(data: PeriodData, results: dict[str, IndicatorResult]) -> None:
    a = data.allegations
    n4 = results["N4"]
    n4.figures = [
        Figure("allegations", "Allegations made", a["made"]),
        Figure("reported_copfs", "Of which reported to COPFS", a["made_reported_copfs"]),
        Figure(
            "reported_copfs_pct",
            "Percentage reported to COPFS",
            percent(a["made_reported_copfs"], a["made"]),
            kind="percent",
            based_on=("reported_copfs", "allegations"),
        ),
    ]
    n4.complements = [
        Complement("N4.not_reported", "N4.allegations", "N4.reported_copfs", "not reported")
    ]

    n5 = results["N5"]
    n5.figures = [
        Figure("copfs", "Reported to COPFS in the period", a["copfs"]),
        Figure("prosecuted", "Prosecuted", a["prosecuted"]),
        Figure("convicted", "Convicted", a["convicted"]),
    ]
    n5.complements = [
        Complement("N5.not_prosecuted", "N5.copfs", "N5.prosecuted", "not prosecuted"),
        Complement("N5.not_convicted", "N5.prosecuted", "N5.convicted", "not convicted"),
    ]

    n14 = results["N14"]
    n14.figures = [
        Figure("mappa", "MAPPA cases linked to a CSE victim", a["mappa"]),
        Figure("safety_plan", "With a victim safety plan", a["mappa_plan"]),
    ]
    n14.complements = [
        Complement("N14.no_plan", "N14.mappa", "N14.safety_plan", "without a safety plan")
    ]
