"""Network pages (of a person of concern or a young person), the networks list and the
place hotspots (MAOG only)."""

from django.http import HttpResponse
from django.shortcuts import render

from audit.models import AccessEvent
from audit.services import access_event_record
from cases.views import (
    _page,
    _query_without,
)
from maog import forms, network, permissions, selectors
from maog.views.common import _require_maog, _sees_intelligence
from records.http import AuthenticatedRequest

# The record a network page is drawn around, as access events name it.
NETWORK_ROOT_LABELS = {"person": "maog.personofconcern", "young_person": "cases.youngperson"}


def person_network(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _network_page(request, "person", pk)


def young_person_network(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _network_page(request, "young_person", pk)


def _network_page(request: AuthenticatedRequest, root_kind: str, pk: int) -> HttpResponse:
    graph = selectors.network_graph(user=request.user, root_kind=root_kind, root_id=pk)
    access_event_record(
        actor=request.user,
        action=AccessEvent.Action.VIEW,
        object_type=NETWORK_ROOT_LABELS[root_kind],
        object_id=pk,
        request=request,
        detail={"page": "network"},
    )
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
            "is_maog": _sees_intelligence(request),
        },
    )


# --- Networks and hotspots (MAOG) ----------------------------------------------------------


def networks(request: AuthenticatedRequest) -> HttpResponse:
    _require_maog(request, permissions.network_policy)
    groups = selectors.network_groups(user=request.user)
    access_event_record(
        actor=request.user,
        action=AccessEvent.Action.VIEW,
        object_type="maog.network",
        request=request,
        detail={"groups": len(groups)},
    )
    return render(
        request,
        "maog/networks.html",
        {"page": _page(request, groups), "group_count": len(groups), "query_without_page": ""},
    )


def hotspots(request: AuthenticatedRequest) -> HttpResponse:
    _require_maog(request, permissions.network_policy)
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
