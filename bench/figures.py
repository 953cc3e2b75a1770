"""In-process figures: list pages, chronology, network, indicators, audited saves, PDFs.

Each function returns rows for the results table. Code another area has not built yet is
looked up at run time, so a later build is measured without touching the bench.
"""

import datetime as dt
import importlib
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection, transaction
from django.db.models import Q
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bench import sql
from bench.core import (
    Row,
    errored,
    interleaved,
    interleaved_many,
    median,
    ms_text,
    not_built,
    p95,
    timed,
)
from bench.seed import LARGEST_AGENCY, Seeded

BENCH_DIR = Path(__file__).resolve().parent
LIST_TARGET = "<= 1.3x, p95 <= 20 ms"
PAGES = (1, 200)


def bench_user(code: str = LARGEST_AGENCY) -> Any:
    """A fresh user object each time, as AuthenticationMiddleware loads one per request."""
    from accounts.models import User

    return User.objects.select_related("agency").get(username=f"bench.{code}")


def _request(path: str, query: dict[str, Any], user_code: str = LARGEST_AGENCY) -> Any:
    request = RequestFactory().get(path, query)
    request.user = bench_user(user_code)
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _call(view: Callable[..., HttpResponse], request: Any, *args: Any) -> HttpResponse:
    response = view(request, *args)
    if response.status_code != 200:
        raise RuntimeError(f"{request.path} answered {response.status_code}")
    return response


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


@contextmanager
def captured_render() -> Iterator[dict[str, Any]]:
    """What cases.views hands to render(): the template and the context, as the page built
    them, so a reference can be checked against what the page shows."""
    from cases.views import pages as views

    captured: dict[str, Any] = {}
    original = views.render

    def capture(request: Any, template: str, context: Any = None, *args: Any, **kw: Any) -> Any:
        captured.update(request=request, template=template, context=context)
        return original(request, template, context, *args, **kw)

    views.render = capture
    try:
        yield captured
    finally:
        views.render = original


def _page_shown(kind: str, page: int) -> tuple[dict[str, Any], list[int], int, bool]:
    """The page's own context: the ids in the order shown, the count shown and whether it
    says "more than"."""
    from cases.views import pages as views

    url_name, view_name = LIST_VIEWS[kind]
    with captured_render() as captured:
        query = {"page": page} if page > 1 else {}
        _call(getattr(views, view_name), _request(reverse(url_name), query))
    shown = captured["context"]["page"]
    ids = [row.pk for row in shown.object_list]
    return captured, ids, shown.paginator.count, bool(getattr(shown.paginator, "count_capped", 0))


def _check_fair(kind: str, params: dict[str, Any], page: int, cap: int) -> tuple[int, bool]:
    """Both capped-count references and the exact one return what the page shows: the same
    ids in the same order and the same count (or "more than" the same cap)."""
    _, ids, count, capped = _page_shown(kind, page)
    for variant in ("single", "split"):
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
    params = sql.share_params(agency_id=user.agency_id, group_id=user.agency.group_id)
    rows: list[Row] = []
    choice: dict[str, str] = {}
    for kind, (url_name, view_name) in LIST_VIEWS.items():
        path = reverse(url_name)
        view = getattr(views, view_name)
        medians = {"single": 0.0, "split": 0.0}
        for page in PAGES:
            figure = f"{kind.replace('_', ' ')} list page {page}, in-process"
            try:
                exact, capped = _check_fair(kind, params, page, cap)

                def ours(page: int = page, path: str = path, view: Any = view) -> None:
                    query = {"page": page} if page > 1 else {}
                    _call(view, _request(path, query))

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

                ours_ms, single_ms, split_ms, exact_ms = interleaved_many(
                    [ours, fair("single"), fair("split"), exact_reference], runs=runs
                )
            except Exception as error:  # noqa: BLE001 - a broken figure is a row, not a crash
                rows.append(errored(figure, LIST_TARGET, error))
                continue
            medians["single"] += median(single_ms)
            medians["split"] += median(split_ms)
            variant, ref_ms = min(
                (("single", single_ms), ("split", split_ms)), key=lambda v: median(v[1])
            )
            rows.append(
                Row(
                    figure=figure,
                    ours=ms_text(ours_ms),
                    reference=f"{ms_text(ref_ms)} ({variant} capped count)",
                    exact=f"{ms_text(exact_ms)} ({median(ours_ms) / median(exact_ms):.2f}x)",
                    ratio=median(ours_ms) / median(ref_ms),
                    ratio_target=("<=", 1.3),
                    target=LIST_TARGET,
                    note=f"{exact:,} rows visible"
                    + (f", count capped at {cap:,}" if capped else ""),
                ).finish()
            )
        choice[kind] = min(medians, key=medians.get)
        rows.append(_render_only(kind, runs=runs))
    # The raw views behind the middleware (here and under gunicorn) use the faster count.
    from bench import urls

    urls.COUNT_SQL.update(choice)
    os.environ["BENCH_COUNT_SQL"] = ",".join(f"{k}={v}" for k, v in choice.items())
    rows.extend(full_stack(runs=runs))
    return rows


def _render_only(kind: str, *, runs: int, captured: dict[str, Any] | None = None) -> Row:
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


def signed_in_client() -> Any:
    """A test client carrying a signed-in session of the bench user (made directly)."""
    from django.test import Client

    from bench.http_load import sessions

    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies[settings.SESSION_COOKIE_NAME] = sessions(1)[0]
    return client


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
                Row(
                    figure=figure,
                    ours=ms_text(ours_ms),
                    reference=ms_text(raw_ms) + " (raw view, same stack)",
                    ratio=median(ours_ms) / median(raw_ms),
                    ratio_target=("<=", 1.6),
                    target=FULL_STACK_TARGET,
                ).finish()
            )
    return rows


def young_person_page(seeded: Seeded, *, runs: int) -> list[Row]:
    """The young person's page (the record and its lists) for the chronology's young person:
    in-process time and its template alone. No fair reference is written for it (a dozen
    sections), so it has the render-only target only."""
    from cases.views import pages as views

    figure = "young person's page (200 records), in-process"
    yp = seeded.chronology_young_person_id
    path = reverse("cases:young_person_detail", args=[yp])

    def ours() -> None:
        _call(views.young_person_detail, _request(path, {}), yp)

    try:
        with transaction.atomic():
            with captured_render() as captured:
                ours()
            times = [timed(ours) for _ in range(runs)]
            render = _render_only("young person's page", runs=runs, captured=captured)
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
        _call(views.chronology, _request(path, {}), yp)

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
            events = _call(views.chronology, _request(path, {}), yp).content.count(
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
