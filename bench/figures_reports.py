"""The report-side figures of the bench: all indicators for one period (cold, against one
hand-written statement), the performance dashboard of a closed period (against rendering the
same figures from a dict, and the queries of a cache hit), and each committee's PDF (end to
end in a fresh process: figures, audit, render; wall and CPU time, peak memory).

Moved out of bench/figures.py (which keeps the list, HTTP and chronology figures)."""

import importlib
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.shortcuts import render
from django.test.utils import CaptureQueriesContext

from bench.core import Row, child, compared, errored, interleaved, median, not_built
from bench.pages import call_ok as _call
from bench.pages import make_request as _request
from bench.seed import Seeded, period_with_data

# Tables an indicator computation reads: a dashboard served from stored or cached figures
# touches none of them.
INDICATOR_TABLES = ("cases_", "maog_", "actions_", "performance_storedindicators")


# --- 4. indicators --------------------------------------------------------------------------

# The case-side indicators for one period in one statement: each measure is a conditional
# aggregate over one pass of its table, as a DBA would write it.
INDICATORS_SQL = """
WITH yp AS (
    SELECT y.sex, y.ethnicity, y.looked_after,
        CASE WHEN y.date_of_birth > %(end)s::date - interval '8 years' THEN 'a'
             WHEN y.date_of_birth > %(end)s::date - interval '13 years' THEN 'b'
             WHEN y.date_of_birth > %(end)s::date - interval '16 years' THEN 'c'
             WHEN y.date_of_birth > %(end)s::date - interval '18 years' THEN 'd'
             ELSE 'e' END AS band,
        EXISTS (SELECT 1 FROM cases_referral r WHERE r.young_person_id = y.id
                AND r.received_on BETWEEN %(start)s AND %(end)s) AS referred,
        (SELECT max(CASE m.risk_level WHEN 'significant' THEN 3 WHEN 'moderate' THEN 2
                     WHEN 'mild' THEN 1 ELSE 0 END) FROM cases_csemarker m
         WHERE m.young_person_id = y.id AND m.start_date <= %(end)s
           AND (m.end_date IS NULL OR m.end_date >= %(start)s)) AS marker_level,
        EXISTS (SELECT 1 FROM cases_missingepisode e WHERE e.young_person_id = y.id
                AND e.missing_from >= %(start_dt)s AND e.missing_from < %(end_dt)s) AS missing,
        EXISTS (SELECT 1 FROM cases_support s WHERE s.young_person_id = y.id
                AND s.offered_on BETWEEN %(start)s AND %(end)s) AS offered
    FROM cases_youngperson y
), groups AS (
    SELECT sex, ethnicity, looked_after, band, count(*) FILTER (WHERE referred) AS referred,
        count(*) FILTER (WHERE marker_level IS NOT NULL) AS marked,
        count(*) FILTER (WHERE marker_level = 3) AS significant,
        count(*) FILTER (WHERE missing) AS missing, count(*) FILTER (WHERE offered) AS offered
    FROM yp GROUP BY 1, 2, 3, 4
), referrals AS (
    SELECT referring_agency_id, count(*) AS total,
        count(*) FILTER (WHERE outcome = 'ird') AS ird,
        count(*) FILTER (WHERE outcome = 'cp_registration') AS registered
    FROM cases_referral WHERE received_on BETWEEN %(start)s AND %(end)s GROUP BY 1
), episodes AS (
    SELECT count(*) FILTER (WHERE missing_from >= %(start_dt)s
                              AND missing_from < %(end_dt)s) AS started,
        count(*) FILTER (WHERE located_at >= %(start_dt)s AND located_at < %(end_dt)s) AS ended,
        count(*) FILTER (WHERE located_at >= %(start_dt)s AND located_at < %(end_dt)s
                         AND return_discussion = 'completed'
                         AND rd_completed_at <= located_at + interval '72 hours') AS within
    FROM cases_missingepisode
), feedback AS (
    SELECT count(*) AS returned, count(*) FILTER (WHERE satisfied) AS satisfied
    FROM cases_feedback WHERE received_on BETWEEN %(start)s AND %(end)s
)
SELECT (SELECT json_agg(groups) FROM groups), (SELECT json_agg(referrals) FROM referrals),
    (SELECT row_to_json(episodes) FROM episodes), (SELECT row_to_json(feedback) FROM feedback)
"""


def _indicator_function() -> Callable[[Any], Any] | None:
    try:
        module = importlib.import_module("performance.indicators")
    except ImportError:
        return None
    for name in ("compute_all", "indicators_for_period", "compute_indicators"):
        function = getattr(module, name, None)
        if callable(function):
            return function
    return None


def indicators(seeded: Seeded, *, runs: int) -> list[Row]:
    figure = "all indicators for one period"
    target = "<= 1.2x, <= 5 queries, < 1 s"
    compute = _indicator_function()
    if compute is None:
        return [not_built(figure, target, "performance.indicators (all indicators for a period)")]
    period = period_with_data()
    params = {
        "start": period.start,
        "end": period.end,
        "start_dt": period.start_datetime(),
        "end_dt": period.end_datetime_exclusive(),
    }

    def ours() -> None:
        compute(period)

    def reference() -> None:
        with connection.connection.cursor() as cursor:
            cursor.execute(INDICATORS_SQL, params)
            cursor.fetchall()

    try:
        with CaptureQueriesContext(connection) as queries:
            compute(period)
        ours_ms, ref_ms = interleaved(ours, reference, runs=runs, warmup=1)
    except Exception as error:  # noqa: BLE001
        return [errored(figure, target, error)]
    return [
        compared(
            figure,
            ours_ms,
            ref_ms,
            at_most=1.2,
            target=target,
            ours_detail=f", {len(queries)} queries",
            reference_detail=", 1 statement",
            limits=[("queries", len(queries), 5), ("time", median(ours_ms), 1000.0)],
            note=f"period {period.code}",
        )
    ]


# --- 6. committee PDFs ----------------------------------------------------------------------


def committee_pdfs(seeded: Seeded, *, limit: int | None = None) -> list[Row]:
    """Each committee's report (the first `limit` of them) rendered in a child process:
    wall time and peak memory."""
    target = "<= 5 s, <= 400 MB"
    try:
        importlib.import_module("performance.pdf").render_report_pdf  # noqa: B018
        importlib.import_module("performance.reports").report_snapshot  # noqa: B018
    except (ImportError, AttributeError):
        return [not_built("committee PDF report", target, "performance.pdf / reports")]
    from partnership.models import Committee

    rows = []
    for code in Committee.objects.order_by("code").values_list("code", flat=True)[:limit]:
        figure = f"{code.upper()} committee PDF"
        try:
            data = child("pdf_child.py", code, timeout=600)
        except Exception as error:  # noqa: BLE001
            rows.append(errored(figure, target, error))
            continue
        rows.append(
            Row(
                figure=figure,
                ours=(
                    f"{data['total_s']:.2f} s end to end ({data['total_cpu']:.2f} s CPU): "
                    f"figures and audit {data['snapshot_s']:.2f} s, render "
                    f"{data['render_s']:.2f} s ({data['render_cpu']:.2f} s CPU); "
                    f"{data['peak_mb']:.0f} MB peak"
                ),
                reference=(
                    f"before it, reading or storing the four periods' figures "
                    f"({data['already_stored']} of 4 already stored): "
                    f"{data['materialise_s']:.2f} s ({data['materialise_cpu']:.2f} s CPU)"
                ),
                limits=[("time", data["total_s"], 5.0), ("memory", data["peak_mb"], 400.0)],
                target=target,
                note=f"{data['pages']} pages, {data['bytes'] // 1024} KB",
            ).finish()
        )
    return rows


# --- the dashboard of a closed period --------------------------------------------------------


def dashboard(seeded: Seeded, *, runs: int) -> list[Row]:
    """The performance dashboard of the last closed period, as the largest agency's manager
    sees it (their agency's exact figures and the partnership's through disclosure control),
    once its figures are stored and cached, against rendering the same sections from a dict."""
    figure = "dashboard of a closed period (cache hit)"
    target = "<= 2x render from a dict; 0 indicator queries"
    try:
        from performance import selectors
        from performance import views as performance_views
    except ImportError:
        return [not_built(figure, target, "performance.selectors")]
    period = period_with_data()
    query = {"period": period.code}

    def ours() -> None:
        _call(performance_views.dashboard, _request("/performance/", query))

    def reference() -> None:
        request = _request("/performance/", query)
        context = {"sections": sections, "period": period, "form": form}
        response = render(request, "performance/dashboard.html", context)
        if response.status_code != 200:
            raise RuntimeError("the reference render failed")

    try:
        from performance.forms import DashboardPeriodForm

        cold_request = _request("/performance/", query)
        with CaptureQueriesContext(connection) as cold:
            ours()  # the first load: stores the closed periods' figures (or reads them)
        sections = selectors.dashboard(user=cold_request.user, ending=period)
        form = DashboardPeriodForm(query)
        form.is_valid()
        with CaptureQueriesContext(connection) as hit:
            ours()
        touched = [q["sql"] for q in hit if any(t in q["sql"] for t in INDICATOR_TABLES)]
        ours_ms, ref_ms = interleaved(ours, reference, runs=runs, warmup=2)
    except Exception as error:  # noqa: BLE001
        return [errored(figure, target, error)]
    return [
        compared(
            figure,
            ours_ms,
            ref_ms,
            at_most=2.0,
            target=target,
            ours_detail=f", {len(hit)} queries, {len(touched)} indicator queries",
            reference_detail=" (template from a dict)",
            limits=[("indicator queries", float(len(touched)), 0.0)],
            note=f"period {period.code}, agency manager; first load {len(cold)} queries",
        )
    ]
