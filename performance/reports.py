"""The data of a committee report: every figure passed through disclosure control as one
system (performance.control), audited, as a JSON-serialisable snapshot that is stored with
the PDF (the data cut it used, the cells it published and the audit's result)."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Prefetch

from actions.models import ActionItem, ProgressUpdate
from cases.identifying_text import REMOVED, identifying_text_scrub
from partnership.models import Committee
from partnership.periods import Period, period_from_code, recent_periods
from performance.control import AuditResult, Cell, System, control_system
from performance.disclosure import SECONDARY_MARK, percent_text, primary_mark, threshold
from performance.indicators import IndicatorResult
from performance.meetings import report_heading
from performance.models import Report
from performance.stored import indicators_for_periods, is_closed

TREND_PERIODS = 4  # the period reported on and the three before it
WITHHELD_TEXT = "Not shown: fewer than {limit} people."
NOT_SHOWN = "not shown"

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


# Indicators whose measure is a rate: the chart and the key-messages table show the
# percentage, not its denominator. The counts the rate is built on are then published for
# the trend periods too, so disclosure control sees them (and hides the rate with them).
RATE_MEASURES: dict[str, str] = {
    "N4": "reported_copfs_pct",
    "N6": "rate",
    "N7": "within_target_pct",
    "N10": "satisfied_pct",
    "N12": "briefed_pct",
}


def _trend_keys(result: IndicatorResult) -> set[str]:
    """The figures a trend period publishes: the headline, or a rate's two counts."""
    rate = RATE_MEASURES.get(result.id)
    keys = {result.headline.key}
    if rate:
        keys |= set(result.figure(rate).based_on)
    return keys


def _ordered(keys: list, lead: tuple) -> list:
    return [k for k in lead if k in keys] + [k for k in keys if k not in lead]


def _key(period: str, cell: str) -> str:
    return f"{period}:{cell}"


def _withheld(result: IndicatorResult, table: Any, limit: int) -> bool:
    """A breakdown of 1..limit-1 people is withheld whole: every row would describe people
    who share one profile (attribute disclosure), even with the small cells hidden."""
    return table.people and 0 < table.total < limit


def _add_indicator(system: System, result: IndicatorResult, *, full: bool, limit: int) -> None:
    """Declare one indicator's cells and relations. `full`: the report prints all of it
    (the period reported on); otherwise only its headline (a trend row)."""
    p = result.period
    withheld_rows = {
        _key(p, result.table_row_cell(table, label))
        for table in result.tables
        if _withheld(result, table, limit)
        for label, _ in table.rows
    }
    counts = [f for f in result.figures if f.kind == "count"]
    trend_keys = _trend_keys(result)
    for figure in counts:
        key = _key(p, result.figure_cell(figure))
        system.add(
            Cell(
                key,
                int(figure.value or 0),
                people=figure.people,
                # A headline that is a row of a withheld breakdown is withheld with it.
                published=(full or figure.key in trend_keys) and key not in withheld_rows,
                label=f"{result.id} {figure.label} ({p})",
            )
        )
    for table in result.tables:
        total = _key(p, result.table_total_cell(table))
        system.add(
            Cell(
                total,
                table.total,
                people=table.people,
                published=full,
                label=f"{result.id} {table.title} total ({p})",
            )
        )
        shown = full and not _withheld(result, table, limit)
        rows = []
        for label, n in table.rows:
            key = _key(p, result.table_row_cell(table, label))
            rows.append(key)
            system.add(
                Cell(
                    key,
                    n,
                    people=table.people,
                    published=shown,
                    label=f"{result.id} {table.title}: {label} ({p})",
                )
            )
        if shown:
            # A breakdown the report does not print tells the reader nothing of its rows,
            # not even which categories have any (source agencies come and go).
            system.relate(total, rows, breakdown=True)
    for relation in result.sums:
        parent = _key(p, relation.parent)
        children = [_key(p, c) for c in relation.children]
        if any(c in withheld_rows for c in children):
            # A sum of rows of a withheld breakdown is a breakdown of the same few people.
            system.cells[parent].published = False
        system.relate(parent, children)
    for complement in result.complements:
        whole = system.cells[_key(p, complement.whole)]
        part = system.cells[_key(p, complement.part)]
        system.add(
            Cell(
                _key(p, complement.cell),
                whole.value - part.value,
                people=whole.people,
                published=False,
                label=f"{result.id} {complement.label} ({p})",
            )
        )
        # "Of which" figures are a breakdown of their whole: of 1..limit-1 people, not shown.
        system.relate(whole.key, [part.key, _key(p, complement.cell)], breakdown=True)
        if 0 < whole.value < limit and whole.people:
            part.published = False


def _earlier_knowledge(system: System, snapshots: Iterable[dict[str, Any]]) -> None:
    """What earlier published reports printed is known; what they hid stays hidden."""
    for snapshot in snapshots:
        cells = (snapshot or {}).get("disclosure", {}).get("cells", {})
        for key, value in cells.items():
            cell = system.cells.get(key)
            if cell is None:
                continue
            if value is None:
                system.forced.add(key)
            elif value == cell.value:
                system.known.add(key)
            # A different value: the records changed since. The older figure describes
            # other data; see DISCLOSURE.md (limits).


@dataclass
class ControlledReport:
    by_period: dict[str, list[IndicatorResult]]
    system: System
    hidden: set[str]
    audit: AuditResult
    periods: list[Period]


def controlled_figures(
    *,
    period: Period,
    earlier: Iterable[dict[str, Any]] | None = None,
    full: Iterable[str] | None = None,
) -> ControlledReport:
    """Compute the indicators for `period` and the three before, and control them as one
    system together with what earlier published reports showed (their snapshots). `full`:
    the periods printed in full (default `period`; the annual report prints both halves)."""
    limit = threshold()
    periods = recent_periods(TREND_PERIODS, ending=period)
    printed = set(full) if full is not None else {period.code}
    by_period = indicators_for_periods(periods)  # stored once a period is closed
    system = System()
    for p in periods:
        for result in by_period[p.code]:
            _add_indicator(system, result, full=p.code in printed, limit=limit)
    if earlier is None:
        earlier = Report.objects.filter(status=Report.Status.READY).values_list(
            "figures", flat=True
        )
    _earlier_knowledge(system, earlier)
    controlled = control_system(system, limit)
    return ControlledReport(by_period, system, controlled.hidden, controlled.audit, periods)


def _count_text(report: ControlledReport, key: str) -> tuple[str, int | None]:
    cell = report.system.cells[key]
    if not cell.published:
        return NOT_SHOWN, None
    if key in report.hidden:
        limit = threshold()
        small = cell.people and 0 < cell.value < limit
        return (primary_mark(limit) if small else SECONDARY_MARK), None
    return f"{cell.value:,}", cell.value


def _indicator_data(report: ControlledReport, result: IndicatorResult) -> dict[str, Any]:
    limit = threshold()
    p = result.period
    figures = []
    shown: dict[str, int | None] = {}
    for figure in result.figures:
        if figure.kind != "count":
            continue
        text, value = _count_text(report, _key(p, result.figure_cell(figure)))
        shown[figure.key] = value
        figures.append(
            {
                "key": figure.key,
                "label": figure.label,
                "kind": "count",
                "people": figure.people,
                "text": text,
                "value": value,
            }
        )
    for figure in result.figures:
        if figure.kind == "percent":
            # A percentage of a hidden count would give the count away.
            suppressed = any(shown.get(k) is None for k in figure.based_on)
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
    figures.sort(key=lambda f: order.index(str(f["key"])))
    tables = []
    for table in result.tables:
        withheld = _withheld(result, table, limit)
        total_text, _ = _count_text(report, _key(p, result.table_total_cell(table)))
        rows = (
            []
            if withheld
            else [
                {
                    "label": label,
                    "text": _count_text(report, _key(p, result.table_row_cell(table, label)))[0],
                }
                for label, _ in table.rows
            ]
        )
        tables.append(
            {
                "key": table.key,
                "title": table.title,
                "dimension": table.dimension,
                "equality": table.equality,
                "people": table.people,
                "withheld": withheld,
                "withheld_text": WITHHELD_TEXT.format(limit=limit) if withheld else "",
                "rows": rows,
                "total_text": total_text,
            }
        )
    return {
        "id": result.id,
        "title": result.title,
        "definition": result.definition,
        "version": result.version,
        "figures": figures,
        "tables": tables,
    }


def _columns(data: dict[str, Any], columns: list[dict[str, Any]]) -> None:
    """Each figure and table row of `data` gets `texts`: its printed text in each column
    (period printed in full), oldest first; a row a period does not have counts 0 there."""
    for figure in data["figures"]:
        figure["texts"] = [
            next((f["text"] for f in c["figures"] if f["key"] == figure["key"]), "–")
            for c in columns
        ]
    for table in data["tables"]:
        others = [next(t for t in c["tables"] if t["key"] == table["key"]) for c in columns]
        labels = list(dict.fromkeys(r["label"] for t in others for r in t["rows"]))
        table["rows"] = [
            {
                "label": label,
                "texts": [
                    "–"
                    if t["withheld"]
                    else next((r["text"] for r in t["rows"] if r["label"] == label), "0")
                    for t in others
                ],
            }
            for label in labels
        ]
        for row in table["rows"]:
            row["text"] = row["texts"][-1]
        table["total_texts"] = [t["total_text"] for t in others]
        table["withheld_any"] = any(t["withheld"] for t in others)


def controlled_indicators(
    report: ControlledReport, period: Period, columns: list[Period] | None = None
) -> list[dict[str, Any]]:
    """Every indicator of `period` as printed, with its trend row over the report's periods.
    `columns`: the periods printed side by side (default `period` alone)."""
    out = []
    for result in report.by_period[period.code]:
        data = _indicator_data(report, result)
        if columns:
            _columns(
                data,
                [
                    _indicator_data(
                        report, next(r for r in report.by_period[c.code] if r.id == result.id)
                    )
                    for c in columns
                ],
            )
        trend = []
        for p in report.periods:
            earlier = next(r for r in report.by_period[p.code] if r.id == result.id)
            text, value = _count_text(report, _key(p.code, earlier.figure_cell(earlier.headline)))
            trend.append({"period": p.code, "text": text, "value": value})
        data["trend"] = trend
        data["trend_people"] = result.headline.people
        data["trend_label"] = data["figures"][0]["label"]
        data["measure"] = _measure_trend(report, result, trend)
        out.append(data)
    return out


def _measure_trend(
    report: ControlledReport, result: IndicatorResult, headline: list[dict[str, Any]]
) -> dict[str, Any]:
    """What the indicator's chart and key-messages row show over the report's periods: the
    rate where the indicator is a rate (hidden where either count it is built on is hidden),
    otherwise the headline count."""
    rate = RATE_MEASURES.get(result.id)
    if not rate:
        return {"label": result.headline.label, "unit": "", "points": headline}
    points = []
    for p in report.periods:
        earlier = next(r for r in report.by_period[p.code] if r.id == result.id)
        figure = earlier.figure(rate)
        bases = [_count_text(report, _key(p.code, earlier.cell_of(k))) for k in figure.based_on]
        suppressed = any(value is None for _, value in bases)
        points.append(
            {
                "period": p.code,
                "text": percent_text(figure.value, suppressed=suppressed),
                "value": None if suppressed else figure.value,
                # The counts behind the rate, as printed (the chart's table of numbers).
                "of": " of ".join(text for text, _ in bases),
            }
        )
    return {"label": result.figure(rate).label, "unit": "%", "points": points}


def published_cells(report: ControlledReport) -> dict[str, int | None]:
    """Every cell the report prints: its value, or None where it is hidden."""
    return {
        key: (None if key in report.hidden else cell.value)
        for key, cell in sorted(report.system.cells.items())
        if cell.published
    }


def _progress(codes: list[str], lead: tuple) -> list[dict[str, Any]]:
    """Each item's update for the report: the latest of the periods `codes` that has one."""
    updates = ProgressUpdate.objects.filter(period__in=codes).order_by("-period")
    items = list(
        ActionItem.objects.prefetch_related(
            Prefetch("updates", queryset=updates, to_attr="period_updates"), "lead_agencies"
        ).order_by("number")
    )
    numbers = _ordered([item.number for item in items], lead)
    by_number = {item.number: item for item in items}
    texts = []
    for item in items:
        update = item.period_updates[0] if item.period_updates else None
        texts += [update.narrative, update.remedial_action] if update else []
    # Free text is checked again here (it was checked on save): any name, date of birth or
    # school of a young person in the records is replaced, whoever wrote it and whenever.
    scrubbed = dict(zip(texts, identifying_text_scrub(texts), strict=True))
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
                "lead_agencies": ", ".join(
                    sorted(a.short_name or a.name for a in item.lead_agencies.all())
                ),
                "status": update.status if update else "",
                "status_label": update.get_status_display() if update else "No update",
                "narrative": scrubbed[update.narrative] if update else "",
                "remedial_action": scrubbed[update.remedial_action] if update else "",
                "leads": number in lead,
            }
        )
    return progress


YEAR_PATTERN = re.compile(r"^(?P<start>\d{4})-(?P<end>\d{2})$")


def financial_year(code: str) -> Period:
    """The financial year ``2025-26`` (its two halves, April-March by default) as one
    reporting period: the annual report's period."""
    match = YEAR_PATTERN.match(code.strip())
    if not match:
        raise ValueError(f"Enter a financial year like 2025-26, not {code!r}")
    first = period_from_code(f"{code.strip()}-H1")
    return Period(start=first.start, end=first.next().end, code=code.strip())


def report_period(code: str) -> Period:
    """A report's period: a half-year (``2025-26-H1``) or, for the annual report, a
    financial year (``2025-26``)."""
    return financial_year(code) if YEAR_PATTERN.match(code.strip()) else period_from_code(code)


def is_annual(period: Period) -> bool:
    return bool(YEAR_PATTERN.match(period.code))


def report_snapshot(
    *, committee: Committee, period: Period, earlier: Iterable[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """Everything the committee's PDF shows, disclosure-controlled and audited, for one period
    (a half-year, or a financial year: the annual report prints its two halves side by side,
    controlled in one system with the trend of the year before).

    `disclosure.audit.passed` False means the report must not be published."""
    lead = COMMITTEE_LEADS.get(committee.code, {"indicators": (), "items": ()})
    annual = is_annual(period)
    columns = [period_from_code(f"{period.code}-H1")] if annual else []
    columns.append(columns[0].next() if annual else period)
    last = columns[-1]
    report = controlled_figures(period=last, earlier=earlier, full=[c.code for c in columns])
    by_id = {i["id"]: i for i in controlled_indicators(report, last, columns)}
    indicators = []
    for indicator_id in _ordered(list(by_id), lead["indicators"]):
        data = by_id[indicator_id]
        data["leads"] = indicator_id in lead["indicators"]
        indicators.append(data)
    return {
        "committee": {
            "code": committee.code,
            "name": committee.name,
            "report_by": committee.report_by,
            "focus": committee.focus,
        },
        "period": {"code": period.code, "label": period.label, "annual": annual},
        "columns": [c.code for c in columns],
        # REPORT TO (the meeting) and REPORT BY (the named officer): performance.meetings;
        # an annual report goes to the meeting after its second half's update window.
        **report_heading(committee=committee, period=last),
        "periods": [p.code for p in report.periods],
        # Periods not over when the figures were taken: never drawn as if complete.
        "unfinished": [p.code for p in report.periods if not is_closed(p)],
        "threshold": settings.CSE_SUPPRESSION_THRESHOLD,
        "demo": bool(settings.CSE_DEMO),
        "removed_text": REMOVED,
        "indicators": indicators,
        "progress": _progress([c.code for c in columns], lead["items"]),
        "disclosure": {
            "cells": published_cells(report),
            "audit": report.audit.as_dict(),
        },
    }
