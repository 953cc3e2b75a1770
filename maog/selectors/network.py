"""The network view (links within two steps of a root, a constant number of queries:
one per step out), the networks list (connected groups) and the place hotspots."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse

from accounts.models import User
from maog import permissions
from maog.models import (
    EpisodePlace,
    Intelligence,
    Link,
    Place,
)
from maog.selectors.links import LINK_RELATED, visible_links

MAX_NETWORK_NODES = 400


# --- Network view --------------------------------------------------------------------------

NODE_KINDS = ("person", "young_person", "place", "vehicle", "handle")
KIND_LABELS = {
    "person": "Person of concern",
    "young_person": "Young person",
    "place": "Place",
    "vehicle": "Vehicle",
    "handle": "Online handle",
}
# Link column -> node kind.
LINK_ENDS = {
    "person": "person",
    "other_person": "person",
    "young_person": "young_person",
    "place": "place",
    "vehicle": "vehicle",
    "handle": "handle",
}
DETAIL_URLS = {
    "person": "maog:person_detail",
    "young_person": "cases:young_person_detail",
    "place": "maog:place_detail",
    "vehicle": "maog:vehicle_detail",
    "handle": "maog:handle_detail",
}


@dataclass
class GraphNode:
    key: str
    kind: str
    pk: int
    label: str
    url: str
    distance: int
    intelligence: int | None = None

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


@dataclass
class GraphEdge:
    source: str
    target: str
    nature: str


@dataclass
class NetworkGraph:
    root: str
    nodes: dict[str, GraphNode] = field(default_factory=dict)
    edges: list[GraphEdge] = field(default_factory=list)
    truncated: bool = False


def node_key(kind: str, pk: int) -> str:
    return f"{kind}:{pk}"


def _node_for(kind: str, record: Any, *, visible: bool, distance: int) -> GraphNode:
    if kind == "young_person" and not visible:
        # MAOG view of a child whose case their agency was not given: the holding agency
        # only, never the child's name, and no link to a record they cannot open.
        return GraphNode(
            key=node_key(kind, record.pk),
            kind=kind,
            pk=record.pk,
            label=f"Young person held by {record.owner_agency.short_name}",
            url="",
            distance=distance,
        )
    label = record.full_name if kind == "young_person" else str(record)
    return GraphNode(
        key=node_key(kind, record.pk),
        kind=kind,
        pk=record.pk,
        label=label,
        url=reverse(DETAIL_URLS[kind], args=[record.pk]),
        distance=distance,
    )


def link_ends(link: Link) -> list[tuple[str, Any]]:
    """The (node kind, record) at each end of a link, from its joined rows."""
    ends = []
    for column, kind in LINK_ENDS.items():
        if getattr(link, f"{column}_id"):
            ends.append((kind, getattr(link, column)))
    return ends


def _root_record(user: User, root_kind: str, root_id: int) -> Any:
    if root_kind == "person":
        return permissions.person_for_user_or_404(user, root_id)
    if root_kind == "young_person":
        return permissions.young_person_for_user_or_404(user, root_id)
    raise Http404


def _touching(frontier: Mapping[str, set[int]]) -> Q:
    query = Q(pk__in=[])
    for column, kind in LINK_ENDS.items():
        if frontier.get(kind):
            query |= Q(**{f"{column}_id__in": sorted(frontier[kind])})
    return query


def network_graph(*, user: User, root_kind: str, root_id: int, depth: int = 2) -> NetworkGraph:
    """The graph of visible links within ``depth`` steps of a person of concern or a young
    person. 404 when the root is out of reach.

    Queries: one for the root, one per step (links with both ends joined), and for MAOG
    members one per node kind for intelligence counts: constant for any network size.
    """
    root = _root_record(user, root_kind, root_id)
    graph = NetworkGraph(root=node_key(root_kind, root.pk))
    graph.nodes[graph.root] = _node_for(root_kind, root, visible=True, distance=0)
    links_seen: set[int] = set()
    frontier: dict[str, set[int]] = {root_kind: {root.pk}}
    base = visible_links(user).select_related(*LINK_RELATED)
    for step in range(1, depth + 1):
        if not any(frontier.values()):
            break
        next_frontier: dict[str, set[int]] = defaultdict(set)
        for link in base.filter(_touching(frontier)).exclude(pk__in=links_seen):
            links_seen.add(link.pk)
            keys = []
            for kind, record in link_ends(link):
                key = node_key(kind, record.pk)
                if key not in graph.nodes:
                    if len(graph.nodes) >= MAX_NETWORK_NODES:
                        graph.truncated = True
                        break
                    # young_person_visible is annotated by visible_links.
                    visible = kind != "young_person" or bool(
                        getattr(link, "young_person_visible", False)
                    )
                    graph.nodes[key] = _node_for(kind, record, visible=visible, distance=step)
                    next_frontier[kind].add(record.pk)
                keys.append(key)
            if len(keys) == 2:
                graph.edges.append(GraphEdge(keys[0], keys[1], link.get_nature_display()))
        frontier = next_frontier
    if permissions.is_maog_member(user):
        _add_intelligence_counts(user, graph.nodes.values())
    return graph


INTELLIGENCE_THROUGH = {
    "person": ("persons", "personofconcern_id"),
    "young_person": ("young_people", "youngperson_id"),
    "place": ("places", "place_id"),
    "vehicle": ("vehicles", "vehicle_id"),
    "handle": ("handles", "onlinehandle_id"),
}


def _add_intelligence_counts(user: User, nodes: Iterable[GraphNode]) -> None:
    """MAOG only: how many intelligence entries mention each node (one query per kind)."""
    by_kind: dict[str, dict[int, GraphNode]] = defaultdict(dict)
    for node in nodes:
        by_kind[node.kind][node.pk] = node
    entries = permissions.intelligence_queryset_for_user(user).values("pk")
    for kind, (relation, column) in INTELLIGENCE_THROUGH.items():
        wanted = by_kind.get(kind)
        if not wanted:
            continue
        through = getattr(Intelligence, relation).through
        counts = (
            through.objects.filter(**{f"{column}__in": list(wanted)}, intelligence_id__in=entries)
            .values(column)
            .annotate(n=Count("id"))
            .values_list(column, "n")
        )
        for pk, count in counts:
            wanted[pk].intelligence = count
        for node in wanted.values():
            node.intelligence = node.intelligence or 0


# --- Networks list -------------------------------------------------------------------------


@dataclass
class NetworkGroup:
    """One connected group of linked people, places, vehicles and handles."""

    size: int
    persons: list[GraphNode]
    young_people: list[GraphNode]
    places: list[GraphNode]
    vehicles: list[GraphNode]
    handles: list[GraphNode]

    @property
    def entry(self) -> GraphNode | None:
        """Where to open the network view of this group: its first person or young person."""
        for node in (*self.persons, *self.young_people):
            if node.url:
                return node
        return None


def network_groups(*, user: User) -> list[NetworkGroup]:
    """Connected groups over every link, for the MAOG, largest first.

    Two queries whatever the number of links: every link with its ends' labels, and the
    young people whose case the user's agency can see (the rest stay anonymised).
    """
    if not permissions.can_see_networks(user):
        return []
    links = list(
        permissions.network_policy.visible_to(user).values_list(
            "nature",
            "person_id",
            "person__name",
            "person__aliases",
            "other_person_id",
            "other_person__name",
            "other_person__aliases",
            "young_person_id",
            "young_person__first_name",
            "young_person__last_name",
            "young_person__owner_agency__short_name",
            "place_id",
            "place__name",
            "vehicle_id",
            "vehicle__registration",
            "handle_id",
            "handle__platform",
            "handle__handle",
        )
    )
    visible_young_people = set(
        permissions.young_person_queryset_for_user(user)
        .filter(links__isnull=False)
        .values_list("pk", flat=True)
        .distinct()
    )
    graph = nx.Graph()
    labels: dict[str, tuple[str, int, str, bool]] = {}
    for row in links:
        (_, person, p_name, p_alias, other, o_name, o_alias, yp, yp_first, yp_last, yp_agency) = (
            row[:11]
        )
        place, place_name, vehicle, registration, handle, platform, handle_name = row[11:]
        ends = []
        if person:
            ends.append(("person", person, p_name or p_alias or f"Unnamed person {person}", True))
        if other:
            ends.append(("person", other, o_name or o_alias or f"Unnamed person {other}", True))
        if yp:
            shown = yp in visible_young_people
            label = f"{yp_first} {yp_last}" if shown else f"Young person held by {yp_agency}"
            ends.append(("young_person", yp, label, shown))
        if place:
            ends.append(("place", place, place_name, True))
        if vehicle:
            ends.append(("vehicle", vehicle, registration, True))
        if handle:
            ends.append(("handle", handle, f"{platform}: {handle_name}", True))
        keys = []
        for kind, pk, label, shown in ends:
            key = node_key(kind, pk)
            labels[key] = (kind, pk, label, shown)
            keys.append(key)
        if len(keys) == 2:
            graph.add_edge(*keys)
    groups = []
    for component in nx.connected_components(graph):
        members: dict[str, list[GraphNode]] = defaultdict(list)
        for key in component:
            kind, pk, label, shown = labels[key]
            url = reverse(DETAIL_URLS[kind], args=[pk]) if shown else ""
            members[kind].append(GraphNode(key, kind, pk, label, url, 0))
        for nodes in members.values():
            nodes.sort(key=lambda node: (node.label.lower(), node.pk))
        groups.append(
            NetworkGroup(
                size=len(component),
                persons=members["person"],
                young_people=members["young_person"],
                places=members["place"],
                vehicles=members["vehicle"],
                handles=members["handle"],
            )
        )
    groups.sort(key=lambda group: (-group.size, group.persons[0].label if group.persons else ""))
    return groups


# --- Hotspots ------------------------------------------------------------------------------


def _count(
    queryset: QuerySet[Any], group_by: str, counted: str, *, distinct: bool = False
) -> Coalesce:
    return Coalesce(
        Subquery(
            queryset.order_by()
            .values(group_by)
            .annotate(n=Count(counted, distinct=distinct))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def place_hotspots(
    *, user: User, date_from: dt.date | None, date_to: dt.date | None
) -> QuerySet[Place]:
    """Places ranked by linked young people, missing episodes found there and intelligence
    entries about them in a date range (MAOG only; counts in SQL, one query).

    - young people: distinct young people linked to the place by a link active in the range
      (started on or before its end, not ended before its start; open dates count);
    - episodes: missing episodes located at the place, reported missing in the range;
    - intelligence: entries about the place received in the range.
    """
    if not permissions.can_see_networks(user):
        return Place.objects.none()
    links = Link.objects.filter(place_id=OuterRef("pk"), young_person__isnull=False)
    episodes = EpisodePlace.objects.filter(place_id=OuterRef("pk"))
    intelligence = Intelligence.places.through.objects.filter(
        place_id=OuterRef("pk"),
        intelligence_id__in=permissions.intelligence_queryset_for_user(user).values("pk"),
    )
    if date_from:
        links = links.filter(Q(end_date__isnull=True) | Q(end_date__gte=date_from))
        episodes = episodes.filter(episode__missing_from__date__gte=date_from)
        intelligence = intelligence.filter(intelligence__received_on__gte=date_from)
    if date_to:
        links = links.filter(Q(start_date__isnull=True) | Q(start_date__lte=date_to))
        episodes = episodes.filter(episode__missing_from__date__lte=date_to)
        intelligence = intelligence.filter(intelligence__received_on__lte=date_to)
    return (
        Place.objects.annotate(
            young_people=_count(links, "place_id", "young_person_id", distinct=True),
            episode_count=_count(episodes, "place_id", "episode_id"),
            intelligence_count=_count(intelligence, "place_id", "id"),
        )
        .filter(Q(young_people__gt=0) | Q(episode_count__gt=0) | Q(intelligence_count__gt=0))
        .order_by("-young_people", "-episode_count", "-intelligence_count", "name", "id")
    )


def other_end(link: Link, *, kind: str, pk: int) -> GraphNode:
    """The far end of a link seen from one record (a person, a place...), ready to show:
    label, kind and URL; a young person out of the user's reach stays anonymised."""
    ends = link_ends(link)
    far = [(k, record) for k, record in ends if (k, record.pk) != (kind, pk)] or ends
    far_kind, record = far[0]
    visible = far_kind != "young_person" or bool(getattr(link, "young_person_visible", False))
    return _node_for(far_kind, record, visible=visible, distance=1)


def link_rows(links: Iterable[Link], *, kind: str, pk: int) -> list[tuple[Link, GraphNode]]:
    return [(link, other_end(link, kind=kind, pk=pk)) for link in links]
