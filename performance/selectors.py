"""Reads for the performance pages, starting from performance.permissions."""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode

from partnership.models import Agency, Committee
from partnership.periods import Period, recent_periods
from partnership.policy import PolicyUser
from performance.charts import trend_svg
from performance.models import Report
from performance.permissions import (
    can_follow_to_records,
    can_see_exact_partnership_figures,
    dashboard_agency,
    report_queryset_for_user,
)
from performance.reports import controlled_figures, controlled_indicators
from performance.stored import cached_view, indicators_for_periods

DASHBOARD_PERIODS = 4
ERROR_AUDIT_REFUSED = (
    "Not shown: the disclosure audit finds that these figures, with what earlier reports "
    "published, would let a reader work out a count of fewer than 5 people."
)

# Where the records behind an indicator are listed (the case lists apply agency access).
RECORD_LISTS = {
    "N1": "cases:referral_list",
    "N2": "cases:referral_list",
    "N3": "cases:young_person_list",
    "N6": "cases:missing_list",
    "N7": "cases:missing_list",
}
# Lists whose date filter (received, or missing from) is the indicator's period.
PERIOD_FILTERED_LISTS = {"cases:referral_list", "cases:missing_list"}


@dataclass
class Comparison:
    """One indicator's lead figure this period against the period before, in words."""

    label: str
    last: str
    this: str
    change: str  # "Up 4", "Down 2.5 percentage points", "No change", or why not compared


@dataclass
class DashboardRow:
    id: str
    title: str
    definition: str
    version: str
    periods: list[str]
    figures: list[dict[str, Any]] = field(default_factory=list)  # label, texts (per period)
    chart: str = ""
    chart_label: str = ""
    records_url: str | None = None
    comparison: Comparison | None = None


@dataclass
class DashboardSection:
    title: str
    note: str
    rows: list[DashboardRow]
    exact: bool


def is_partial(period: Period) -> bool:
    """A period not yet over: its counts cover only the days so far."""
    return timezone.localdate() <= period.end


NOT_COMPARED_PARTIAL = "Not compared until the period ends"
CHART_FONT_SIZE = 13  # shown half the page wide: 14-15 px type (the PDF size, 11, read as 8 px)
NOT_AVAILABLE = "Not available"


def compare(*, kind: str, last: float | None, this: float | None, partial: bool) -> str:
    """The change from `last` to `this` in words (never colour only). A count of a period
    still running is not compared with a whole period; a rate is, said to be "so far"."""
    if last is None or this is None:
        return NOT_AVAILABLE
    if partial and kind != "percent":
        return NOT_COMPARED_PARTIAL
    difference = round(float(this) - float(last), 1)
    unit = " percentage points" if kind == "percent" else ""
    if abs(difference) == 1 and kind == "percent":
        unit = " percentage point"
    if difference == 0:
        words = "No change"
    else:
        words = f"{'Up' if difference > 0 else 'Down'} {abs(difference):g}{unit}"
    return f"{words} so far" if partial else words


def _lead_index(figures: list[dict[str, Any]]) -> int:
    """The figure a chart and the comparison show: the indicator's rate where it has one
    (a chart of its denominator would say nothing about the rate), else its headline."""
    return next((i for i, f in enumerate(figures) if f["kind"] == "percent"), 0)


def _records_url(indicator_id: str, period: Period) -> str | None:
    url_name = RECORD_LISTS.get(indicator_id)
    if url_name is None:
        return None
    try:
        base = reverse(url_name)
    except NoReverseMatch:
        return None  # the case lists are not installed in this build
    if url_name in PERIOD_FILTERED_LISTS:
        # The lists' date filters are GOV.UK date inputs (day, month, year boxes): the link
        # fills them, so the list opens on exactly the period's records.
        query: dict[str, int] = {}
        for name, day in (("date_from", period.start), ("date_to", period.end)):
            query |= {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}
        return f"{base}?{urlencode(query)}"
    return base


def _exact_rows(
    *, periods: list[Period], agency: Agency | None, links: bool, partial: bool
) -> list[DashboardRow]:
    """Exact figures of each period shown: stored or cached (performance.stored), computed
    only on a miss (a fixed number of queries)."""
    by_period = indicators_for_periods(periods, agency=agency)
    results = [by_period[p.code] for p in periods]
    ending = periods[-1]
    rows = []
    for index, current in enumerate(results[-1]):
        series = [r[index] for r in results]
        figures: list[dict[str, Any]] = []
        for i, figure in enumerate(current.figures):
            values = [s.figures[i].value for s in series]
            figures.append(
                {
                    "label": figure.label,
                    "kind": figure.kind,
                    "values": values,
                    "texts": [_exact_text(v, figure.kind) for v in values],
                }
            )
        lead = figures[_lead_index(figures)]
        percent = lead["kind"] == "percent"
        rows.append(
            DashboardRow(
                id=current.id,
                title=current.title,
                definition=current.definition,
                version=current.version,
                periods=[p.code for p in periods],
                figures=figures,
                chart=trend_svg(
                    title=f"{current.id} {lead['label']}: trend",
                    labels=[p.code for p in periods],
                    values=[_number(v) for v in lead["values"]],
                    unit="%" if percent else "",
                    partial=partial,
                    font_size=CHART_FONT_SIZE,
                ),
                chart_label=lead["label"] + (" (%)" if percent else ""),
                records_url=_records_url(current.id, ending) if links else None,
                comparison=Comparison(
                    label=lead["label"],
                    last=lead["texts"][-2] if len(periods) > 1 else NOT_AVAILABLE,
                    this=lead["texts"][-1],
                    change=compare(
                        kind=lead["kind"],
                        last=_number(lead["values"][-2]) if len(periods) > 1 else None,
                        this=_number(lead["values"][-1]),
                        partial=partial,
                    ),
                ),
            )
        )
    return rows


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def _exact_text(value: float | None, kind: str) -> str:
    if value is None:
        return "–"
    return f"{value}%" if kind == "percent" else f"{value:,}"


def _controlled_rows(*, periods: list[Period], partial: bool) -> list[DashboardRow]:
    """The partnership's figures as a committee report would print them: the same control
    and audit, the same cells hidden (earlier published reports included)."""
    ending = periods[-1]
    report = controlled_figures(period=ending)
    if not report.audit.passed:
        return []  # the audit would refuse these figures in a report: show none of them
    published = controlled_indicators(report, ending)
    rows = []
    for data in published:
        figures = [
            {
                "label": f["label"],
                "kind": f["kind"],
                "texts": ["" for _ in periods[:-1]] + [f["text"]],
            }
            for f in data["figures"]
        ]
        # The headline's trend row is published for every period; the rest for this one only,
        # so the headline is what the chart and the comparison can show.
        figures[0]["texts"] = [t["text"] for t in data["trend"]]
        trend = data["trend"]
        rows.append(
            DashboardRow(
                id=data["id"],
                title=data["title"],
                definition=data["definition"],
                version=data["version"],
                periods=[p.code for p in periods],
                figures=figures,
                chart=trend_svg(
                    title=f"{data['id']} {data['trend_label']}: trend",
                    labels=[t["period"] for t in trend],
                    values=[t["value"] for t in trend],
                    partial=partial,
                    font_size=CHART_FONT_SIZE,
                ),
                chart_label=data["trend_label"],
                comparison=Comparison(
                    label=data["trend_label"],
                    last=trend[-2]["text"] if len(trend) > 1 else NOT_AVAILABLE,
                    this=trend[-1]["text"],
                    change=compare(
                        kind=figures[0]["kind"],
                        last=trend[-2]["value"] if len(trend) > 1 else None,
                        this=trend[-1]["value"],
                        partial=partial,
                    ),
                ),
            )
        )
    return rows


def dashboard(*, user: PolicyUser, ending: Period) -> list[DashboardSection]:
    """Every indicator for `ending` and the three periods before, with a trend chart.

    The VAP chair and performance analysts see exact partnership-wide figures. An agency
    manager sees the agency's own exact figures and the partnership's figures through the
    reports' disclosure control. A fixed number of queries whatever the data size.

    The sections are cached under what they depend on: which view the user's roles give
    (exact partnership-wide, or one agency's exact figures beside the controlled ones, links
    or not), the period, the stored figures' definitions and generation, and the published
    reports the control takes into account. A cache hit runs no indicator query.
    """
    periods = recent_periods(DASHBOARD_PERIODS, ending=ending)
    links = can_follow_to_records(user)
    exact = can_see_exact_partnership_figures(user)
    agency = None if exact else dashboard_agency(user)
    published = Report.objects.filter(status=Report.Status.READY).aggregate(
        n=Count("pk"), last=Max("pk")
    )
    scope = "exact" if exact else f"agency-{agency.pk if agency else 'none'}"
    partial = is_partial(ending)
    key = (
        f"dashboard:{ending.code}:{int(partial)}:{scope}:{int(links)}:"
        f"{published['n']}-{published['last']}"
    )
    return cached_view(
        key,
        lambda: _sections(user=user, periods=periods, links=links, partial=partial),
        periods=periods,
    )


def _sections(
    *, user: PolicyUser, periods: list[Period], links: bool, partial: bool
) -> list[DashboardSection]:
    if can_see_exact_partnership_figures(user):
        return [
            DashboardSection(
                "Partnership",
                "Exact figures for every partner agency: not for publication.",
                _exact_rows(periods=periods, agency=None, links=links, partial=partial),
                exact=True,
            )
        ]
    sections = []
    agency = dashboard_agency(user)
    if agency is not None:
        sections.append(
            DashboardSection(
                f"Your agency: {agency}",
                "Exact figures counting your agency's own records.",
                _exact_rows(periods=periods, agency=agency, links=links, partial=partial),
                exact=True,
            )
        )
    rows = _controlled_rows(periods=periods, partial=partial)
    sections.append(
        DashboardSection(
            "Partnership",
            'As the committee reports publish them: counts of 1 to 4 people shown as "<5", '
            'a further figure hidden ("*") where it would give one away.'
            if rows
            else ERROR_AUDIT_REFUSED,
            rows,
            exact=False,
        )
    )
    return sections


def report_list(*, user: PolicyUser) -> QuerySet[Report]:
    return report_queryset_for_user(user).select_related("committee", "requested_by", "corrects")


def committee_list() -> QuerySet[Committee]:
    return Committee.objects.order_by("name")
