"""Bench-only URLconf: the product's URLs plus the raw-SQL reference view.

Selected by bench/settings.py (ROOT_URLCONF); never part of the product.
"""

from html import escape

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import include, path

from bench import sql

_PARAMS: dict[int, dict] = {}


def raw_list(request: HttpRequest, kind: str) -> HttpResponse:
    """The minimal page: the hand-written SQL, rows written straight into a table."""
    if kind not in sql.LISTS or not request.user.is_authenticated or not request.user.agency_id:
        raise Http404
    agency = request.user.agency
    params = _PARAMS.get(agency.pk)
    if params is None:
        params = _PARAMS[agency.pk] = sql.share_params(
            agency_id=agency.pk, group_id=agency.group_id
        )
    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page = 1
    rows, count = sql.list_page(kind, params, page)
    cells = "".join(
        "<tr>" + "".join(f"<td>{escape(str(value))}</td>" for value in row) + "</tr>"
        for row in rows
    )
    return HttpResponse(f"<!doctype html><title>raw</title><p>{count}</p><table>{cells}</table>")


urlpatterns = [
    path("bench/raw/<str:kind>/", raw_list, name="bench_raw_list"),
    path("", include("cse_portal.urls")),
]
