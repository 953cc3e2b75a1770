"""The data of a committee report: every figure passed through disclosure control, as a
JSON-serialisable snapshot that is stored with the PDF (the data cut it used)."""

from typing import Any

from django.conf import settings
from django.db.models import Prefetch

from actions.models import ActionItem, ProgressUpdate
from partnership.models import Committee
from partnership.periods import Period, recent_periods
from performance.disclosure import (
    control_breakdown,
    count_text,
    is_primary,
    percent_text,
    primary_mark,
    threshold,
)
from performance.indicators import IndicatorResult, compute_indicators

TREND_PERIODS = 4  # the period reported on and the three before it

# What each committee's report leads with (Committee.focus says it in words). Indicators and
# action items not listed follow in their usual order. A committee added later by an
# administrator gets the usual order.
COMMITTEE_LEADS: dict[str, dict[str, tuple]] = {
    "csp": {"indicators": ("N13", "N8", "N12", "N15"), "items": (13, 1, 12, 3)},
    "ccpc": {
        "indicators": ("N1", "N2", "N3", "N6", "N7", "N9", "N10", "N11"),
        "items": (11, 2, 7, 10, 1),
    },
    "cog": {"indicators": ("N4", "N5", "N14", "N16", "N1"), "items": (5, 6, 4, 8, 14, 3)},
}


def _ordered(keys: list, lead: tuple) -> list:
    return [k for k in lead if k in keys] + [k for k in keys if k not in lead]


def _controlled_indicator(result: IndicatorResult) -> dict[str, Any]:
    """Figures and tables of one indicator after primary and secondary suppression."""
    limit = threshold()
    hidden: set[str] = set()
    tables = []
    for table in result.tables:
        controlled = control_breakdown([n for _, n in table.rows], limit=limit)
        n = len(table.rows)
        total_hidden = controlled.is_suppressed(0, n)
        if total_hidden and not is_primary(table.total, limit):
            # The total had to be hidden to protect a cell: hide it wherever it appears.
            hidden.update(f.key for f in result.figures if f.value == table.total)
        tables.append(
            {
                "key": table.key,
                "title": table.title,
                "dimension": table.dimension,
                "equality": table.equality,
                "withheld": controlled.withheld,
                "rows": [
                    {"label": label, "text": controlled.text(0, i)}
                    for i, (label, _) in enumerate(table.rows)
                ],
                "total_text": controlled.text(0, n),
            }
        )
    figures = []
    for figure in result.figures:
        if figure.kind == "count":
            suppressed = figure.key in hidden or is_primary(figure.value or 0, limit)
            text = (
                "*"
                if figure.key in hidden and not is_primary(figure.value or 0, limit)
                else count_text(figure.value, limit)
            )
            figures.append(
                {
                    "key": figure.key,
                    "label": figure.label,
                    "kind": "count",
                    "text": text,
                    "value": None if suppressed else figure.value,
                }
            )
    shown = {f["key"]: f for f in figures}
    for figure in result.figures:
        if figure.kind == "percent":
            suppressed = any(shown.get(k, {}).get("value") is None for k in figure.based_on)
            figures.append(
                {
                    "key": figure.key,
                    "label": figure.label,
                    "kind": "percent",
                    "text": percent_text(figure.value, suppressed=suppressed),
                    "value": None if suppressed else figure.value,
                }
            )
    order = [f.key for f in result.figures]
    figures.sort(key=lambda f: order.index(f["key"]))
    return {
        "id": result.id,
        "title": result.title,
        "definition": result.definition,
        "version": result.version,
        "figures": figures,
        "tables": tables,
    }


def report_snapshot(*, committee: Committee, period: Period) -> dict[str, Any]:
    """Everything the committee's PDF shows, disclosure-controlled, for one period."""
    periods = recent_periods(TREND_PERIODS, ending=period)
    by_period = {p.code: compute_indicators(p) for p in periods}
    current = by_period[period.code]
    lead = COMMITTEE_LEADS.get(committee.code, {"indicators": (), "items": ()})
    ids = _ordered([r.id for r in current], lead["indicators"])
    indicators = []
    for indicator_id in ids:
        result = next(r for r in current if r.id == indicator_id)
        data = _controlled_indicator(result)
        headline = data["figures"][0]
        trend = []
        for p in periods:
            earlier = next(r for r in by_period[p.code] if r.id == indicator_id)
            value = earlier.headline.value
            hidden = value is not None and is_primary(int(value), threshold())
            trend.append(
                {
                    "period": p.code,
                    "text": count_text(value) if not hidden else primary_mark(),
                    "value": None if hidden else value,
                }
            )
        trend[-1] = {"period": period.code, "text": headline["text"], "value": headline["value"]}
        data["trend"] = trend
        data["trend_label"] = headline["label"]
        data["leads"] = indicator_id in lead["indicators"]
        indicators.append(data)

    updates = ProgressUpdate.objects.filter(period=period.code)
    items = list(
        ActionItem.objects.prefetch_related(
            Prefetch("updates", queryset=updates, to_attr="period_updates")
        ).order_by("number")
    )
    numbers = _ordered([item.number for item in items], lead["items"])
    by_number = {item.number: item for item in items}
    progress = []
    for number in numbers:
        item = by_number[number]
        update = item.period_updates[0] if item.period_updates else None
        progress.append(
            {
                "number": item.number,
                "action": item.action,
                "measure": item.measure,
                "lead": item.lead_officer,
                "status": update.status if update else "",
                "status_label": update.get_status_display() if update else "No update",
                "narrative": update.narrative if update else "",
                "remedial_action": update.remedial_action if update else "",
                "leads": number in lead["items"],
            }
        )
    return {
        "committee": {
            "code": committee.code,
            "name": committee.name,
            "report_by": committee.report_by,
            "focus": committee.focus,
        },
        "period": {"code": period.code, "label": period.label},
        "periods": [p.code for p in periods],
        "threshold": settings.CSE_SUPPRESSION_THRESHOLD,
        "indicators": indicators,
        "progress": progress,
    }
