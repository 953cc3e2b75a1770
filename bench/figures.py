"""In-process figures: the young person's page, chronology, network, indicators, audited
saves, PDFs (the list pages are in bench/figures_lists.py).

Each function returns rows for the results table. Code another area has not built yet is
looked up at run time, so a later build is measured without touching the bench.
"""

import datetime as dt
import importlib
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from bench import sql
from bench.core import (
    Row,
    compared,
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
from bench.seed import Seeded

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
    person's visibility check, the access-log insert, every visible record's shown columns
    in one UNION ALL and the header's open-task count (bench/sql.py), no Python and no HTML.

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
        **sql.share_params(
            agency_id=user.agency_id, group_id=user.agency.group_id, user_id=user.pk
        ),
        "yp": yp,
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
        compared(
            figure,
            ours_ms,
            ref_ms,
            at_most=3.0,
            target=target,
            reference_detail=" (4 statements, SQL only)",
            note=f"{events - 1} events from {found} records; {first}",
        )
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


# --- 4. indicators, the dashboard and committee PDFs: bench/figures_reports.py -----------


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
