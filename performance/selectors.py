"""Reads for the performance pages, starting from performance.permissions."""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode

from partnership.models import Committee
from partnership.periods import Period, recent_periods
from performance.charts import trend_svg
from performance.indicators import compute_indicators
from performance.models import Report
from performance.permissions import can_follow_to_records, report_queryset_for_user

DASHBOARD_PERIODS = 4

# Where the records behind an indicator are listed (the case lists apply agency access).
RECORD_LISTS = {
    "N1": "cases:referral_list",
    "N2": "cases:referral_list",
    "N3": "cases:young_person_list",
    "N6": "cases:missing_list",
    "N7": "cases:missing_list",
}


@dataclass
class DashboardRow:
    id: str
    title: str
    definition: str
    version: str
    periods: list[str]
    figures: list[dict[str, Any]] = field(default_factory=list)  # label, kind, values
    chart: str = ""
    records_url: str | None = None


def _records_url(indicator_id: str, period: Period) -> str | None:
    url_name = RECORD_LISTS.get(indicator_id)
    if url_name is None:
        return None
    try:
        base = reverse(url_name)
    except NoReverseMatch:
        return None  # the case lists are not installed in this build
    if url_name == "cases:referral_list":
        return (
            base
            + "?"
            + urlencode(
                {"received_from": period.start.isoformat(), "received_to": period.end.isoformat()}
            )
        )
    return base


def dashboard(*, user: object, ending: Period) -> list[DashboardRow]:
    """Every indicator for `ending` and the three periods before, with a trend chart.

    A fixed number of queries: one indicator computation per period shown.
    """
    periods = recent_periods(DASHBOARD_PERIODS, ending=ending)
    results = [compute_indicators(p) for p in periods]
    links = can_follow_to_records(user)
    rows = []
    for index, current in enumerate(results[-1]):
        series = [r[index] for r in results]
        figures = [
            {
                "label": figure.label,
                "kind": figure.kind,
                "values": [s.figures[i].value for s in series],
            }
            for i, figure in enumerate(current.figures)
        ]
        rows.append(
            DashboardRow(
                id=current.id,
                title=current.title,
                definition=current.definition,
                version=current.version,
                periods=[p.code for p in periods],
                figures=figures,
                chart=trend_svg(
                    title=f"{current.id} {current.headline.label}: trend",
                    labels=[p.code for p in periods],
                    values=figures[0]["values"],
                ),
                records_url=_records_url(current.id, ending) if links else None,
            )
        )
    return rows


def report_list(*, user: object) -> QuerySet[Report]:
    return report_queryset_for_user(user).select_related("committee", "requested_by")


def committee_list() -> QuerySet[Committee]:
    return Committee.objects.order_by("name")
