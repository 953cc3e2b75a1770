"""Bench-only URLconf: the product's URLs plus the raw-SQL reference view.

Selected by bench/settings.py (ROOT_URLCONF); never part of the product.
"""

import os

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import include, path

from bench import sql

_PARAMS: dict[int, dict] = {}


def raw_list(request: HttpRequest, kind: str) -> HttpResponse:
    """The fair minimal page: the same capped count and the same 25 rows as the product's
    list (and the header's open-task count), by hand-written SQL, written straight into a
    bare table."""
    if kind not in sql.LISTS or not request.user.is_authenticated or not request.user.agency_id:
        raise Http404
    agency, user_id = request.user.agency, request.user.pk
    params = _PARAMS.get(user_id)
    if params is None:
        params = _PARAMS[user_id] = sql.share_params(
            agency_id=agency.pk, group_id=agency.group_id, user_id=user_id
        )
    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page = 1
    rows, count, capped = sql.fair_page(
        kind, params, page, cap=settings.CSE_LIST_COUNT_CAP, count_sql=COUNT_SQL.get(kind, "single")
    )
    return HttpResponse(sql.bare_html(rows, count, capped))


# Which capped count each raw view uses ("referral=single,missing=split-stop"):
# bench/figures_lists.py sets BENCH_COUNT_SQL to the fastest variant it measured in-process,
# so the full-stack and HTTP references (gunicorn inherits the environment) are the fast ones.
COUNT_SQL: dict[str, str] = dict(
    pair.split("=", 1) for pair in os.environ.get("BENCH_COUNT_SQL", "").split(",") if "=" in pair
)


urlpatterns = [
    path("bench/raw/<str:kind>/", raw_list, name="bench_raw_list"),
    path("", include("cse_portal.urls")),
]
