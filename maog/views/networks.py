"""Network pages (of a person of concern or a young person), the networks list and the
place hotspots (MAOG only)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cases.views import (
    _page,
    _query_without,
)
from maog import forms, network, permissions, selectors
from maog.views.common import _require_maog


def person_network(request: HttpRequest, pk: int) -> HttpResponse:
    return _network_page(request, "person", pk)


def young_person_network(request: HttpRequest, pk: int) -> HttpResponse:
    return _network_page(request, "young_person", pk)


def _network_page(request: HttpRequest, root_kind: str, pk: int) -> HttpResponse:
    graph = selectors.network_graph(user=request.user, root_kind=root_kind, root_id=pk)
    root = graph.nodes[graph.root]
    title = f"Network of {root.label} within two steps"
    return render(
        request,
        "maog/network.html",
        {
            "graph": graph,
            "root": root,
            "title": title,
            "svg": network.render_svg(graph, title=title),
            "nodes": sorted(graph.nodes.values(), key=lambda n: (n.distance, n.kind, n.label)),
            "edges": [
                (graph.nodes[e.source], e.nature, graph.nodes[e.target]) for e in graph.edges
            ],
            "is_maog": permissions.is_maog_member(request.user),
        },
    )


# --- Networks and hotspots (MAOG) ----------------------------------------------------------


def networks(request: HttpRequest) -> HttpResponse:
    _require_maog(request)
    groups = selectors.network_groups(user=request.user)
    return render(
        request,
        "maog/networks.html",
        {"page": _page(request, groups), "group_count": len(groups), "query_without_page": ""},
    )


def hotspots(request: HttpRequest) -> HttpResponse:
    _require_maog(request)
    form = forms.DateRangeForm(request.GET or None)
    date_from = date_to = None
    if form.is_bound and form.is_valid():
        date_from, date_to = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    places = selectors.place_hotspots(user=request.user, date_from=date_from, date_to=date_to)
    return render(
        request,
        "maog/hotspots.html",
        {
            "filter_form": form,
            "page": _page(request, places),
            "query_without_page": _query_without(request, "page"),
        },
    )
