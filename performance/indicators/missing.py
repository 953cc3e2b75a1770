"""N6 (repeat missing rate) and N7 (return discussions).

Episodes of a child are counts of people. Structure: N6's young people missing is the shared
total of its equality tables; repeat is part of it; N7's figures are nested (ended >= offered
>= completed >= within target), so each step's difference is a complement.
"""

from django.conf import settings

from performance.indicators.base import (
    Complement,
    Figure,
    Indicator,
    IndicatorResult,
    equality_tables,
    percent,
)
from performance.indicators.queries import PeriodData


def definitions() -> tuple[Indicator, ...]:
    """The wording carries today's thresholds."""
    repeat_n = settings.CSE_REPEAT_MISSING_EPISODES
    repeat_days = settings.CSE_REPEAT_MISSING_DAYS
    target = settings.CSE_RETURN_DISCUSSION_TARGET_HOURS
    return (
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
    )


MISSING_PEOPLE = "missing_people"


def build(data: PeriodData, results: dict[str, IndicatorResult]) -> None:
    yp, missing = data.yp, data.missing
    n6 = results["N6"]
    n6.figures = [
        Figure("young_people", "Young people reported missing", yp["missing"], cell=MISSING_PEOPLE),
        Figure("repeat", "Of whom went missing repeatedly", yp["repeat_missing"]),
        Figure(
            "rate",
            "Repeat missing rate",
            percent(yp["repeat_missing"], yp["missing"]),
            kind="percent",
            based_on=("repeat", "young_people"),
        ),
        Figure("episodes", "Missing episodes starting in the period", missing["started"]),
    ]
    n6.tables = equality_tables(data.groups, "missing", yp["missing"], total_cell=MISSING_PEOPLE)
    n6.complements = [Complement("N6.not_repeat", MISSING_PEOPLE, "N6.repeat", "not repeat")]

    n7 = results["N7"]
    n7.figures = [
        Figure("episodes", "Episodes ended (young person located)", missing["ended"]),
        Figure("offered", "Return discussion offered", missing["offered"]),
        Figure("completed", "Return discussion completed", missing["completed"]),
        Figure("within_target", "Completed within target time", missing["within_target"]),
        Figure(
            "within_target_pct",
            "Percentage of episodes with a discussion within target",
            percent(missing["within_target"], missing["ended"]),
            kind="percent",
            based_on=("within_target", "episodes"),
        ),
    ]
    n7.complements = [
        Complement("N7.not_offered", "N7.episodes", "N7.offered", "not offered"),
        Complement("N7.not_completed", "N7.offered", "N7.completed", "offered, not completed"),
        Complement("N7.late", "N7.completed", "N7.within_target", "completed late"),
    ]
