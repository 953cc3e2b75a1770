"""The NWG CSE performance indicators N1-N16: a registry of small indicator modules.

Each module holds one indicator or a family (N1 and N2 share their referrals): its
definitions (id, title, plain-English wording, version), how it is built from the shared
period queries, and its declared structure for disclosure control (which figures are counts
of people, which are sums of which cells, which tables share a total, which complements a
reader can work out). `performance.control` reads that structure; nothing else needs to
know an indicator's shape.

All indicators of a period come from five queries (`queries.period_data`), whatever the
data size. Rules that apply to every indicator:
- a young person counts once per indicator per period (we count YoungPerson rows, never
  joined rows);
- equality breakdowns (sex, age band, looked-after status, ethnicity) are given for the
  indicators about young people; age is taken on the last day of the period.
"""

from types import ModuleType

from partnership.periods import Period
from performance.indicators import activity, justice, markers, missing, referrals, support
from performance.indicators.base import (
    AGE_BANDS,
    EQUALITY_DIMENSIONS,
    Complement,
    Figure,
    Indicator,
    IndicatorResult,
    Relation,
    Table,
)
from performance.indicators.queries import PeriodData, period_data

__all__ = [
    "AGE_BANDS",
    "EQUALITY_DIMENSIONS",
    "REGISTRY",
    "Complement",
    "Figure",
    "Indicator",
    "IndicatorResult",
    "PeriodData",
    "Relation",
    "Table",
    "compute_indicators",
    "indicator_definitions",
    "indicators_by_id",
    "period_data",
]

# The registry: each module's definitions and its build(data, results).
REGISTRY: tuple[ModuleType, ...] = (referrals, markers, justice, missing, support, activity)


def _module_definitions(module: ModuleType) -> tuple[Indicator, ...]:
    definitions = getattr(module, "definitions", None)
    return definitions() if callable(definitions) else module.DEFINITIONS


def indicator_definitions() -> list[Indicator]:
    """The definitions, in order N1-N16, with today's thresholds written into the wording."""
    items = [d for module in REGISTRY for d in _module_definitions(module)]
    return sorted(items, key=lambda d: int(d.id[1:]))


def compute_indicators(period: Period, *, agency: object | None = None) -> list[IndicatorResult]:
    """Every indicator N1-N16 for one period, in a fixed number of queries (see tests).

    With `agency`, case figures count that agency's own records (the dashboard's view for an
    agency manager); without, the whole partnership."""
    data = period_data(period, agency=agency)
    results = {
        d.id: IndicatorResult(
            id=d.id,
            title=d.title,
            definition=d.definition,
            version=d.version,
            period=period.code,
            about_young_people=d.about_young_people,
        )
        for d in indicator_definitions()
    }
    for module in REGISTRY:
        module.build(data, results)
    return list(results.values())


def indicators_by_id(results: list[IndicatorResult]) -> dict[str, IndicatorResult]:
    return {r.id: r for r in results}
