"""List page figures: each list in-process against its fair reference (bench/sql.py), the
template alone, and the whole middleware stack against the fair raw view (bench/urls.py)."""

import os
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench import sql
from bench.core import Row, compared, errored, interleaved_many, median, ms_text, timed
from bench.pages import bench_user, call_ok, captured_render, make_request, signed_in_client
from bench.seed import Seeded

PAGES = (1, 200)

# --- 1. list pages: in-process, render-only, full stack ----------------------------------

LIST_VIEWS = {
    # kind: (url name, view attribute in cases.views)
    "referral": ("cases:referral_list", "referral_list"),
    "young_person": ("cases:young_person_list", "young_person_list"),
    "missing": ("cases:missing_list", "missing_list"),
}
LIST_TARGET = "<= 1.3x fair reference"
FULL_STACK_TARGET = "<= 1.6x fair raw view"
RENDER_TARGET = "<= 8 ms"


def _page_shown(kind: str, page: int) -> tuple[dict[str, Any], list[int], int, bool]:
    """The page's own context: the ids in the order shown, the count shown and whether it
    says "more than"."""
    from cases.views import pages as views

    url_name, view_name = LIST_VIEWS[kind]
    with captured_render() as captured:
        query = {"page": page} if page > 1 else {}
        call_ok(getattr(views, view_name), make_request(reverse(url_name), query))
    shown = captured["context"]["page"]
    ids = [row.pk for row in shown.object_list]
    return captured, ids, shown.paginator.count, bool(getattr(shown.paginator, "count_capped", 0))


def _check_fair(kind: str, params: dict[str, Any], page: int, cap: int) -> tuple[int, bool]:
    """Both capped-count references and the exact one return what the page shows: the same
    ids in the same order and the same count (or "more than" the same cap)."""
    _, ids, count, capped = _page_shown(kind, page)
    for variant in sql.COUNT_VARIANTS:
        rows, ref_count, ref_capped = sql.fair_page(kind, params, page, cap=cap, count_sql=variant)
        if [row[0] for row in rows] != ids or (ref_count, ref_capped) != (count, capped):
            raise RuntimeError(f"the {kind} fair reference ({variant}) differs from the page")
    rows, exact = sql.list_page(kind, params, page)
    if [row[0] for row in rows] != ids or min(exact, cap) != count or (exact > cap) != capped:
        raise RuntimeError(f"the {kind} exact-count reference differs from the page")
    return exact, capped


def list_pages(seeded: Seeded, *, runs: int) -> list[Row]:
    """Each list page, in-process (the view with data and template, no middleware), against
    the fair reference (same capped count, same 25 rows, same order, written into a bare
    table); what an exact count costs beside it; then the template alone; then the whole
    middleware stack against the fair raw view behind the same stack."""
    from cases.views import pages as views

    cap = settings.CSE_LIST_COUNT_CAP
    user = bench_user()
    params = sql.share_params(
        agency_id=user.agency_id, group_id=user.agency.group_id, user_id=user.pk
    )
    rows: list[Row] = []
    choice: dict[str, str] = {}
    for kind, (url_name, view_name) in LIST_VIEWS.items():
        path = reverse(url_name)
        view = getattr(views, view_name)
        medians = dict.fromkeys(sql.COUNT_VARIANTS, 0.0)
        for page in PAGES:
            figure = f"{kind.replace('_', ' ')} list page {page}, in-process"
            try:
                exact, capped = _check_fair(kind, params, page, cap)

                def ours(page: int = page, path: str = path, view: Any = view) -> None:
                    query = {"page": page} if page > 1 else {}
                    call_ok(view, make_request(path, query))

                def fair(variant: str, page: int = page, kind: str = kind) -> Callable[[], None]:
                    def reference() -> None:
                        bench_user()  # the page loads its user; so does any raw view
                        found, count, more = sql.fair_page(
                            kind, params, page, cap=cap, count_sql=variant
                        )
                        sql.bare_html(found, count, more)

                    return reference

                def exact_reference(page: int = page, kind: str = kind) -> None:
                    bench_user()
                    found, count = sql.list_page(kind, params, page)
                    sql.bare_html(found, count, False)

                ours_ms, *variant_ms, exact_ms = interleaved_many(
                    [ours, *(fair(v) for v in sql.COUNT_VARIANTS), exact_reference], runs=runs
                )
            except Exception as error:  # noqa: BLE001 - a broken figure is a row, not a crash
                rows.append(errored(figure, LIST_TARGET, error))
                continue
            timings = dict(zip(sql.COUNT_VARIANTS, variant_ms, strict=True))
            for name, measured in timings.items():
                medians[name] += median(measured)
            variant, ref_ms = min(timings.items(), key=lambda v: median(v[1]))
            rows.append(
                compared(
                    figure,
                    ours_ms,
                    ref_ms,
                    at_most=1.3,
                    target=LIST_TARGET,
                    reference_detail=f" ({variant} capped count)",
                    exact=f"{ms_text(exact_ms)} ({median(ours_ms) / median(exact_ms):.2f}x)",
                    note=f"{exact:,} rows visible"
                    + (f", count capped at {cap:,}" if capped else ""),
                )
            )
        choice[kind] = min(medians, key=medians.__getitem__)
        rows.append(render_only(kind, runs=runs))
    # The raw views behind the middleware (here and under gunicorn) use the faster count.
    from bench import urls

    urls.COUNT_SQL.update(choice)
    os.environ["BENCH_COUNT_SQL"] = ",".join(f"{k}={v}" for k, v in choice.items())
    rows.extend(full_stack(runs=runs))
    return rows


def render_only(kind: str, *, runs: int, captured: dict[str, Any] | None = None) -> Row:
    """The template alone, with the page's context and its rows already fetched."""
    from django.template.loader import render_to_string

    figure = f"{kind.replace('_', ' ')} list page 1, render only"
    if captured is not None:
        figure = f"{kind}, render only"
    try:
        if captured is None:
            captured, _, _, _ = _page_shown(kind, 1)
            context = dict(captured["context"])
            context["page"].object_list = list(context["page"].object_list)
        else:
            context = {
                key: list(value) if hasattr(value, "_fetch_all") else value
                for key, value in captured["context"].items()
            }
        request = captured["request"]

        def render() -> None:
            render_to_string(captured["template"], context, request=request)

        render()  # what is cached on the user (role, navigation) is cached from here on
        with CaptureQueriesContext(connection) as queries:
            render()
        wall, cpu = [], []
        for _ in range(runs):
            started_cpu = time.process_time()
            wall.append(timed(render))
            cpu.append((time.process_time() - started_cpu) * 1000)
    except Exception as error:  # noqa: BLE001
        return errored(figure, RENDER_TARGET, error)
    # Rendering is pure CPU work in this process: its CPU time is what it costs, while the
    # wall time also counts the waits for a core that neighbours on a shared machine cause.
    return Row(
        figure=figure,
        ours=f"CPU {ms_text(cpu)}; wall {ms_text(wall)}",
        limits=[("CPU median", median(cpu), 8.0), ("queries", len(queries), 0)],
        target=RENDER_TARGET + " (CPU), no query",
        note=f"{len(queries)} queries while rendering",
    ).finish()


def full_stack(*, runs: int) -> list[Row]:
    """Every middleware, URL resolution, session and user load: the product's page against
    the fair raw view served by the same stack (bench/urls.py)."""
    rows = []
    client = signed_in_client()
    for kind, (url_name, _view) in LIST_VIEWS.items():
        for page in PAGES:
            figure = f"{kind.replace('_', ' ')} list page {page}, full middleware stack"
            query = {"page": page} if page > 1 else {}
            ours_path, raw_path = reverse(url_name), reverse("bench_raw_list", args=[kind])

            def get(path: str, query: dict[str, Any] = query) -> Callable[[], None]:
                def fetch() -> None:
                    response = client.get(path, query)
                    if response.status_code != 200:
                        raise RuntimeError(f"{path} answered {response.status_code}")

                return fetch

            try:
                ours_ms, raw_ms = interleaved_many([get(ours_path), get(raw_path)], runs=runs)
            except Exception as error:  # noqa: BLE001
                rows.append(errored(figure, FULL_STACK_TARGET, error))
                continue
            rows.append(
                compared(
                    figure,
                    ours_ms,
                    raw_ms,
                    at_most=1.6,
                    target=FULL_STACK_TARGET,
                    reference_detail=" (raw view, same stack)",
                )
            )
    return rows
