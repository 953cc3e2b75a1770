"""In-process figures: the young person's page, chronology, network, indicators, audited
saves, PDFs (the list pages are in bench/figures_lists.py).

Each function returns rows for the results table. Code another area has not built yet is
looked up at run time, so a later build is measured without touching the bench.
"""

import datetime as dt
import importlib
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bench import sql
from bench.core import (
    Row,
    errored,
    interleaved,
    median,
    ms_text,
    not_built,
    p95,
    timed,
)
from bench.figures_lists import RENDER_TARGET, render_only
from bench.pages import bench_user, call_ok, captured_render, make_request
from bench.seed import Seeded, period_with_data

BENCH_DIR = Path(__file__).resolve().parent


# --- 2. the young person's page -------------------------------------------------------------


def young_person_page(seeded: Seeded, *, runs: int) -> list[Row]:
    """The young person's page (the record and its lists) for the chronology's young person:
    in-process time and its template alone. No fair reference is written for it (a dozen
    sections), so it has the render-only target only."""
    from cases.views import pages as views

    figure = "young person's page (200 records), in-process"
    yp = seeded.chronology_young_person_id
    path = reverse("cases:young_person_detail", args=[yp])

    def ours() -> None:
        call_ok(views.young_person_detail, make_request(path, {}), yp)

    try:
        with transaction.atomic():
            with captured_render() as captured:
                ours()
            times = [timed(ours) for _ in range(runs)]
            render = render_only("young person's page", runs=runs, captured=captured)
            transaction.set_rollback(True)
    except Exception as error:  # noqa: BLE001
        return [errored(figure, RENDER_TARGET, error)]
    return [
        Row(
            figure=figure,
            ours=ms_text(times),
            target="no fair reference written",
            status="measured",
        ),
        render,
    ]


# --- 3. chronology and network --------------------------------------------------------------


def chronology(seeded: Seeded, *, runs: int) -> list[Row]:
    """The chronology page (view, sources, template) against the SQL it needs: the young
    person's visibility check, the access-log insert and every visible record's shown
    columns in one UNION ALL (bench/sql.py), no Python and no HTML.

    The page compiles its statement once per user (cases/chronology.py); the figure is a
    user's views after the first, and the note gives the first view's time (compiled)."""
    from cases import chronology as chronology_module
    from cases.models import YoungPerson
    from cases.selectors import young_person_records
    from cases.views import pages as views

    figure = "chronology of a young person with 200 events, rendering included"
    target = "<= 3x the SQL it needs"
    yp = seeded.chronology_young_person_id
    path = reverse("cases:chronology", args=[yp])
    user = bench_user()
    params = {
        **sql.share_params(agency_id=user.agency_id, group_id=user.agency.group_id),
        "yp": yp,
        "user": user.pk,
        "page": path,
    }

    def ours() -> None:
        call_ok(views.chronology, make_request(path, {}), yp)

    def reference() -> None:
        bench_user()  # the page loads its user; so would any raw page
        sql.chronology(params)

    try:
        with transaction.atomic():
            # The page records an access event per view; roll them back, not pile them up.
            records = young_person_records(user=user, young_person=YoungPerson(pk=yp))
            expected = sum(len(records[k]) for k in records if k != "shares")
            found = len(sql.chronology(params))
            if found != expected:
                raise RuntimeError(f"the SQL returns {found} records, the page shows {expected}")
            events = call_ok(views.chronology, make_request(path, {}), yp).content.count(
                b'<tr class="govuk-table__row'
            )
            ours_ms, ref_ms = interleaved(ours, reference, runs=runs)

            def first_view() -> None:
                chronology_module._STATEMENTS.clear()
                ours()

            first_ms, first_ref_ms = interleaved(first_view, reference, runs=max(5, runs // 2))
            transaction.set_rollback(True)
    except Exception as error:  # noqa: BLE001
        return [errored(figure, target, error)]
    first = (
        f"a user's first view (statement compiled) {median(first_ms):.1f} ms, "
        f"{median(first_ms) / median(first_ref_ms):.2f}x"
    )
    return [
        Row(
            figure=figure,
            ours=ms_text(ours_ms),
            reference=ms_text(ref_ms) + " (3 statements, SQL only)",
            ratio=median(ours_ms) / median(ref_ms),
            ratio_target=("<=", 3.0),
            target=target,
            note=f"{events - 1} events from {found} records; {first}",
        ).finish()
    ]


def network(seeded: Seeded, *, runs: int) -> list[Row]:
    figure = "network view of 200 nodes"
    target = "p95 <= 150 ms"
    try:
        intel = importlib.import_module("maog.selectors")
        network_graph = intel.network_graph
    except (ImportError, AttributeError):
        return [not_built(figure, target, "cases.intel_selectors.network_graph")]
    user = bench_user("police")

    def ours() -> None:
        network_graph(user=user, root_kind="person", root_id=seeded.network_root_id, depth=2)

    try:
        graph = network_graph(
            user=user, root_kind="person", root_id=seeded.network_root_id, depth=2
        )
        nodes = _node_count(graph)
        ours_ms = [timed(ours) for _ in range(runs)]
    except Exception as error:  # noqa: BLE001
        return [errored(figure, target, error)]
    return [
        Row(
            figure=figure,
            ours=ms_text(ours_ms),
            reference="-",
            limits=[("p95", p95(ours_ms), 150.0)],
            target=target,
            note=f"{nodes} nodes returned" if nodes is not None else "",
        ).finish()
    ]


def _node_count(graph: Any) -> int | None:
    nodes = getattr(graph, "nodes", None)
    if nodes is None and isinstance(graph, dict):
        nodes = graph.get("nodes")
    try:
        return len(nodes) if nodes is not None else None
    except TypeError:
        return None


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
        Row(
            figure=figure,
            ours=f"{ms_text(ours_ms)}, {len(queries)} queries",
            reference=ms_text(ref_ms) + ", 1 statement",
            ratio=median(ours_ms) / median(ref_ms),
            ratio_target=("<=", 1.2),
            limits=[("queries", len(queries), 5), ("time", median(ours_ms), 1000.0)],
            target=target,
            note=f"period {period.code}",
        ).finish()
    ]


# --- 5. audited saves -----------------------------------------------------------------------


def audited_saves(seeded: Seeded, *, count: int) -> list[Row]:
    """`count` edits through cases.services.referral_update (version check, validation,
    history row, access event) against the same edits with a plain Model.save()."""
    figure = f"{count:,} audited saves (referral_update) vs plain save()"
    target = "<= 3x"
    from cases import services
    from cases.models import Referral

    user = bench_user()
    referrals = list(
        # Rows the service's validation accepts as they are (the seed does not apply it).
        Referral.objects.filter(
            owner_agency_id=user.agency_id,
            received_on__gte=timezone.localdate() - dt.timedelta(days=365),
            young_person__date_of_birth__gt=timezone.localdate() - dt.timedelta(days=16 * 365),
        )
        .filter(Q(outcome_date__isnull=True) | Q(outcome_date__lte=timezone.localdate()))
        .select_related("young_person")
        .order_by("-id")[: count * 2]
    )
    if len(referrals) < count * 2:
        return [errored(figure, target, RuntimeError("not enough referrals seeded"))]
    service_set, plain_set = referrals[:count], referrals[count:]

    def run_service() -> None:
        for referral in service_set:
            services.referral_update(
                actor=user,
                instance=referral,
                expected_version=referral.version,
                changes={"referrer_role": "Head teacher"},
            )
            referral.version += 1

    def run_plain() -> None:
        for referral in plain_set:
            referral.referrer_role = "Head teacher"
            referral.save()

    try:
        ours_ms = timed(run_service)
        ref_ms = timed(run_plain)
    except Exception as error:  # noqa: BLE001
        return [errored(figure, target, error)]
    return [
        Row(
            figure=figure,
            ours=f"{ours_ms / count:.2f} ms per save",
            reference=f"{ref_ms / count:.2f} ms per save",
            ratio=ours_ms / ref_ms,
            ratio_target=("<=", 3.0),
            target=target,
            note="each save in its own transaction (autocommit), as from a page",
        ).finish()
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
        result = subprocess.run(  # noqa: S603 - our own script, fixed arguments
            [sys.executable, str(BENCH_DIR / "pdf_child.py"), code],
            capture_output=True,
            text=True,
            env=os.environ.copy(),
            timeout=600,
            check=False,
        )
        if result.returncode != 0:
            error = RuntimeError((result.stderr.strip().splitlines() or ["failed"])[-1])
            rows.append(errored(figure, target, error))
            continue
        data = json.loads(result.stdout.strip().splitlines()[-1])
        rows.append(
            Row(
                figure=figure,
                ours=f"{data['render_s']:.2f} s render, {data['peak_mb']:.0f} MB peak",
                reference=f"figures {data['snapshot_s']:.2f} s",
                limits=[("time", data["render_s"], 5.0), ("memory", data["peak_mb"], 400.0)],
                target=target,
                note=f"{data['pages']} pages, {data['bytes'] // 1024} KB",
            ).finish()
        )
    return rows
