"""The action plan's items that measure themselves (registered in actions.measure_sources
by PerformanceConfig.ready):

- items measured by an indicator (4, 5, 6, 7 and 11 in the seed) show its figures for the
  last closed period and the one before, with the definition, from the stored indicators
  and through the dashboard's rules: exact figures for those who may see them (the VAP
  chair, analysts), the partnership's figures as the committee reports publish them
  (disclosure controlled) for everyone else;
- item 8 (the NWG performance framework reported 6-monthly) is done for a period once one
  committee report of it is published, item 14 (6-monthly reports to the COG, the CSP and
  the CCPC) once every committee's is: computed from the published reports, not ticked.
"""

import datetime as dt
from typing import Any

from accounts.models import User
from actions.measure_sources import MeasureSection, register
from actions.models import ActionItem
from partnership.models import Committee
from partnership.periods import Period, current_period
from performance.models import Report
from performance.selectors import ERROR_AUDIT_REFUSED, dashboard

# The seed's reporting milestones: item number -> whether one committee's published report
# is enough (item 8) or every committee's is needed (item 14).
REPORTING_ITEMS = {8: "any", 14: "all"}
REPORTS_NOTE = {
    "any": "Done for a period once a committee report of it has been published.",
    "all": "Done for a period once the report of every committee ({names}) has been published.",
}


@register("performance-indicators")
def indicator_section(user: User, item: ActionItem, periods: list[Period]) -> MeasureSection | None:
    if item.measure_kind != ActionItem.MeasureKind.INDICATOR or not item.measure_code:
        return None
    ending = current_period().previous()
    sections = dashboard(user=user, ending=ending)
    # The partnership's figures (the last section): exact, or as the reports publish them.
    partnership = sections[-1]
    row = next((r for r in partnership.rows if r.id == item.measure_code), None)
    context: dict[str, Any] = {
        "indicator_id": item.measure_code,
        "periods": (ending.previous().code, ending.code),
        "exact": partnership.exact,
        "note": partnership.note,
        "refused": ERROR_AUDIT_REFUSED if row is None else "",
    }
    if row is not None:
        context |= {
            "title": row.title,
            "definition": row.definition,
            "version": row.version,
            "figures": [
                {
                    "label": figure["label"],
                    "previous": figure["texts"][-2] or "–",
                    "current": figure["texts"][-1] or "–",
                }
                for figure in row.figures
            ],
        }
    return MeasureSection(template="performance/plan/item_indicator.html", context=context)


@register("performance-reports")
def reports_section(user: User, item: ActionItem, periods: list[Period]) -> MeasureSection | None:
    rule = REPORTING_ITEMS.get(item.number)
    if rule is None:
        return None
    committees = dict(Committee.objects.order_by("name").values_list("code", "name"))
    published: dict[str, dict[str, dt.datetime]] = {}
    for code, committee, at in Report.objects.filter(
        stage=Report.Stage.PUBLISHED,
        period__in=[p.code for p in periods],
    ).values_list("period", "committee__code", "published_at"):
        if at is None:
            continue
        entry = published.setdefault(code, {})
        # The first publication of each committee's report (a correction is published later).
        entry[committee] = min(at, entry.get(committee, at))
    rows = []
    for period in reversed(periods):
        entry = published.get(period.code, {})
        done = bool(entry) if rule == "any" else bool(committees) and set(committees) <= set(entry)
        rows.append(
            {
                "period": period,
                "done": done,
                "date": max(entry.values()).date() if done else None,
                "evidence": [],
                "evidence_link": "",
                "committees": sorted(committees[c] for c in entry if c in committees),
            }
        )
    note = REPORTS_NOTE[rule].format(names=", ".join(committees.values()))
    return MeasureSection(
        template="performance/plan/item_reports.html",
        context={"note": note, "rows": rows},
        rows=rows,
    )
