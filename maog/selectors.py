"""Reads of the MAOG records. Every selector starts from maog.permissions, so no list, search,
count, chronology or network holds what the user may not see; intelligence is only ever
read through ``permissions.intelligence_queryset_for_user`` (empty for non-MAOG users).

Network reads run a constant number of queries: one per step out from the root (depth is
fixed at two), each fetching the visible links touching the current frontier with their
end records joined in.
"""

import datetime as dt
import difflib
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse

from accounts.models import User
from cases.chronology import (
    ChronologyEvent,
    RecordKind,
    RecordSource,
    Row,
    day,
    label,
    register_records,
)
from cases.models import MissingEpisode, YoungPerson
from maog import permissions
from maog.models import (
    Allegation,
    EpisodePlace,
    Intelligence,
    Link,
    OnlineHandle,
    PersonOfConcern,
    Place,
    Vehicle,
)

MAX_NETWORK_NODES = 400

# --- Lists ---------------------------------------------------------------------------------


def person_list(
    *, user: User, filters: Mapping[str, Any] | None = None
) -> QuerySet[PersonOfConcern]:
    """Persons of concern the user may see, searchable by name or alias."""
    filters = filters or {}
    queryset = permissions.person_queryset_for_user(user).select_related("owner_agency")
    text = (filters.get("q") or "").strip().lower()
    if text:
        queryset = queryset.filter(search_name__contains=text)
    if filters.get("agency"):
        queryset = queryset.filter(owner_agency_id=filters["agency"])
    return queryset.order_by("name", "aliases", "id")


def place_list(*, user: User, filters: Mapping[str, Any] | None = None) -> QuerySet[Place]:
    filters = filters or {}
    queryset = permissions.place_queryset_for_user(user).select_related("owner_agency")
    text = (filters.get("q") or "").strip()
    if text:
        queryset = queryset.filter(Q(name__icontains=text) | Q(address__icontains=text))
    if filters.get("place_type"):
        queryset = queryset.filter(place_type=filters["place_type"])
    return queryset.order_by("name", "id")


def _linked_to_person_named(user: User, filters: Mapping[str, Any], target: str) -> Exists:
    """EXISTS(a link the user may see from the row to a person whose name or alias holds
    the text): a person out of the user's reach never narrows (or reveals) anything."""
    text = (filters.get("person") or "").strip().lower()
    return Exists(
        visible_links(user).filter(**{target: OuterRef("pk")}, person__search_name__contains=text)
    )


def vehicle_list(*, user: User, filters: Mapping[str, Any] | None = None) -> QuerySet[Vehicle]:
    """Vehicles the user may see, by registration (spaces ignored), recording agency or the
    name of a linked person of concern."""
    filters = filters or {}
    queryset = permissions.vehicle_queryset_for_user(user).select_related("owner_agency")
    registration = (filters.get("q") or "").replace(" ", "").upper()
    if registration:
        queryset = queryset.filter(registration__contains=registration)
    if filters.get("agency"):
        queryset = queryset.filter(owner_agency_id=filters["agency"])
    if (filters.get("person") or "").strip():
        queryset = queryset.filter(_linked_to_person_named(user, filters, "vehicle_id"))
    return queryset.order_by("registration", "id")


def handle_list(*, user: User, filters: Mapping[str, Any] | None = None) -> QuerySet[OnlineHandle]:
    """Online handles the user may see, by handle text, platform, recording agency or the
    name of a linked person of concern."""
    filters = filters or {}
    queryset = permissions.handle_queryset_for_user(user).select_related("owner_agency")
    text = (filters.get("q") or "").strip()
    if text:
        queryset = queryset.filter(handle__icontains=text)
    if filters.get("platform"):
        queryset = queryset.filter(platform__iexact=filters["platform"])
    if filters.get("agency"):
        queryset = queryset.filter(owner_agency_id=filters["agency"])
    if (filters.get("person") or "").strip():
        queryset = queryset.filter(_linked_to_person_named(user, filters, "handle_id"))
    return queryset.order_by("platform", "handle", "id")


def handle_platforms(*, user: User) -> list[str]:
    """The platforms among the handles the user may see, for the filter's choices."""
    return list(
        permissions.handle_queryset_for_user(user)
        .order_by("platform")
        .values_list("platform", flat=True)
        .distinct()
    )


PATHWAY_STAGES = (
    ("alleged", "Alleged"),
    ("police", "Reported to police"),
    ("investigated", "Investigated"),
    ("copfs", "Reported to COPFS"),
    ("outcome", "Prosecution outcome"),
)


def _pathway_stage() -> Case:
    return Case(
        When(~Q(prosecution_outcome=Allegation.ProsecutionOutcome.PENDING), then=Value("outcome")),
        When(reported_to_copfs_on__isnull=False, then=Value("copfs")),
        When(investigated=True, then=Value("investigated")),
        When(reported_to_police_on__isnull=False, then=Value("police")),
        default=Value("alleged"),
    )


def allegation_list(
    *, user: User, filters: Mapping[str, Any] | None = None
) -> QuerySet[Allegation]:
    """Allegations the user may see, with their stage on the justice pathway."""
    filters = filters or {}
    queryset = (
        permissions.allegation_queryset_for_user(user)
        .select_related("owner_agency")
        .annotate(stage=_pathway_stage())
    )
    if filters.get("stage"):
        queryset = queryset.filter(stage=filters["stage"])
    if filters.get("mappa") == "yes":
        queryset = queryset.filter(mappa_managed=True)
    if filters.get("date_from"):
        queryset = queryset.filter(alleged_on__gte=filters["date_from"])
    if filters.get("date_to"):
        queryset = queryset.filter(alleged_on__lte=filters["date_to"])
    return queryset.order_by("-alleged_on", "-id")


def intelligence_list(
    *, user: User, filters: Mapping[str, Any] | None = None
) -> QuerySet[Intelligence]:
    """Intelligence entries: MAOG members only (an empty list for anyone else)."""
    filters = filters or {}
    queryset = permissions.intelligence_queryset_for_user(user).select_related(
        "owner_agency", "source_agency"
    )
    if filters.get("category"):
        queryset = queryset.filter(category=filters["category"])
    if filters.get("q"):
        queryset = queryset.filter(narrative__icontains=filters["q"])
    if filters.get("date_from"):
        queryset = queryset.filter(received_on__gte=filters["date_from"])
    if filters.get("date_to"):
        queryset = queryset.filter(received_on__lte=filters["date_to"])
    return queryset.order_by("-received_on", "-id")


# --- Search before create ------------------------------------------------------------------


@dataclass(frozen=True)
class PersonCandidate:
    """A possible duplicate held by an agency the user cannot see into: agency only."""

    agency_name: str
    similarity: float


def person_search(*, user: User, text: str) -> QuerySet[PersonOfConcern]:
    return person_list(user=user, filters={"q": text})


def person_duplicates(
    *, user: User, text: str, date_of_birth: dt.date | None
) -> list[PersonCandidate]:
    """Likely duplicates held elsewhere: the same date of birth and a similar name or alias.

    Only a name and a date of birth together get an answer: a date alone, or a name alone
    followed by a sweep of dates, would narrow a date of birth down (issue 13). Only the
    holding agency is named; candidates share the date (bounded to 200 rows), so the Python
    spelling comparison stays cheap.
    """
    wanted = text.strip().lower()
    if not (wanted and date_of_birth):
        return []
    visible = permissions.person_queryset_for_user(user).values("pk")
    candidates = []
    rows = (
        PersonOfConcern.objects.filter(date_of_birth=date_of_birth)
        .exclude(pk__in=visible)
        .select_related("owner_agency")[:200]
    )
    for person in rows:
        score = difflib.SequenceMatcher(None, wanted, person.search_name).ratio()
        if score >= 0.6 or wanted in person.search_name:
            candidates.append(PersonCandidate(person.owner_agency.name, max(score, 0.6)))
    return sorted(candidates, key=lambda c: -c.similarity)


# --- Links visible to a user ---------------------------------------------------------------


def visible_links(user: User) -> QuerySet[Link]:
    """Links both of whose ends the user may see, in one query (ends filtered by subquery).

    MAOG members see every person, place, vehicle and handle; a young person whose case
    their agency cannot see stays in their links but anonymised (``young_person_visible``).
    """
    if not permissions.is_caseworker(user):
        return Link.objects.none()
    # Correlated on the link's young person (a primary-key probe per link), not "IN (every
    # young person the agency may see)": that hashes the agency's whole caseload and made a
    # 200-node network take a second at 600,000 young people (bench/results/scale3.md).
    young_person_visible = Exists(
        permissions.young_person_queryset_for_user(user).filter(pk=OuterRef("young_person_id"))
    )
    queryset = Link.objects.annotate(young_person_visible=young_person_visible)
    if permissions.is_maog_member(user):
        return queryset
    persons = permissions.person_queryset_for_user(user).values("pk")
    vehicles = permissions.vehicle_queryset_for_user(user).values("pk")
    handles = permissions.handle_queryset_for_user(user).values("pk")
    return queryset.filter(
        Q(person__isnull=True) | Q(person__in=persons),
        Q(other_person__isnull=True) | Q(other_person__in=persons),
        Q(young_person__isnull=True) | Q(young_person_visible=True),
        Q(vehicle__isnull=True) | Q(vehicle__in=vehicles),
        Q(handle__isnull=True) | Q(handle__in=handles),
    )


LINK_RELATED = (
    "owner_agency",
    "person",
    "other_person",
    "young_person__owner_agency",
    "place",
    "vehicle",
    "handle",
)


def person_links(*, user: User, person: PersonOfConcern) -> list[Link]:
    """Every visible link from or to a person of concern (one query)."""
    return list(
        visible_links(user)
        .filter(Q(person=person) | Q(other_person=person))
        .select_related(*LINK_RELATED)
        .order_by("-start_date", "-id")
    )


def person_allegations(*, user: User, person: PersonOfConcern) -> QuerySet[Allegation]:
    return allegation_list(user=user).filter(persons=person)


def place_records(*, user: User, place: Place) -> dict[str, Any]:
    """A place's page: linked young people and persons, episodes found there, and (MAOG
    only) intelligence, each restricted to what the user may see."""
    from cases.permissions import case_record_queryset_for_user

    links = list(
        visible_links(user).filter(place=place).select_related(*LINK_RELATED).order_by("-id")
    )
    return {
        "person_links": [link for link in links if link.person_id],
        "young_person_links": [link for link in links if not link.person_id],
        "episodes": case_record_queryset_for_user(user, MissingEpisode)
        .filter(found_at__place=place)
        .select_related("young_person", "owner_agency")
        .order_by("-missing_from"),
        "intelligence": intelligence_list(user=user).filter(places=place),
    }


def target_links(*, user: User, field_name: str, target: Any) -> list[Link]:
    """Visible links to a vehicle or handle."""
    return list(
        visible_links(user)
        .filter(**{field_name: target})
        .select_related(*LINK_RELATED)
        .order_by("-id")
    )


# --- Chronology ----------------------------------------------------------------------------


def _allegation_events(
    row: Row, urls: Callable[[str], Callable[[int], str]]
) -> list[ChronologyEvent]:
    url = urls("maog:allegation_detail")(row.pk)
    events = [
        ChronologyEvent(
            at=day(row.date_1),
            kind="Allegation",
            title="Allegation made",
            detail=row.text_1,
            agency=row.agency,
            significant=True,
            url=url,
        )
    ]
    if row.date_2:
        events.append(
            ChronologyEvent(
                at=day(row.date_2),
                kind="Justice pathway",
                title="Reported to the Procurator Fiscal (COPFS)",
                detail="",
                agency=row.agency,
                significant=False,
                url=url,
            )
        )
    if row.date_3:
        events.append(
            ChronologyEvent(
                at=day(row.date_3),
                kind="Justice pathway",
                title=f"Outcome: {label(Allegation, 'prosecution_outcome', row.text_2)}",
                detail="MAPPA managed" if row.flag else "",
                agency=row.agency,
                significant=row.text_2 == Allegation.ProsecutionOutcome.CONVICTED,
                url=url,
            )
        )
    return events


def _intelligence_events(
    row: Row, urls: Callable[[str], Callable[[int], str]]
) -> list[ChronologyEvent]:
    return [
        ChronologyEvent(
            at=day(row.date_1),
            kind="Intelligence (MAOG)",
            title=f"Intelligence: {label(Intelligence, 'category', row.text_1)}",
            # As Intelligence.grading writes it, e.g. "2B P".
            detail=f"Graded {row.text_2}{row.text_3} {row.text_4}",
            agency=row.agency,
            significant=False,
            url=urls("maog:intelligence_detail")(row.pk),
        )
    ]


def young_person_intel_records(
    *, user: User, young_person: YoungPerson
) -> dict[str, QuerySet[Any]]:
    """Allegations (per allegation access) and, for MAOG members only, intelligence about
    one young person, for the chronology's one statement: intelligence is not even read when
    the user is not in the MAOG, so nothing about it can show."""
    records: dict[str, QuerySet[Any]] = {
        "allegations": permissions.allegation_queryset_for_user(user).filter(
            young_people=young_person
        )
    }
    if permissions.is_maog_member(user):
        records["intelligence"] = permissions.intelligence_queryset_for_user(user).filter(
            young_people=young_person
        )
    return records


register_records(
    "maog",
    RecordSource(
        kinds={
            "allegations": RecordKind(
                {
                    "date_1": "alleged_on",
                    "date_2": "reported_to_copfs_on",
                    "date_3": "outcome_date",
                    "text_1": "summary",
                    "text_2": "prosecution_outcome",
                    "flag": "mappa_managed",
                    "agency": "owner_agency__short_name",
                },
                _allegation_events,
            ),
            "intelligence": RecordKind(
                {
                    "date_1": "received_on",
                    "text_1": "category",
                    "text_2": "source_evaluation",
                    "text_3": "intelligence_assessment",
                    "text_4": "handling_code",
                    "agency": "source_agency__short_name",
                },
                _intelligence_events,
            ),
        },
        visible=young_person_intel_records,
    ),
)


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
                    visible = kind != "young_person" or bool(link.young_person_visible)
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
        Link.objects.values_list(
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


def _count(queryset: QuerySet, group_by: str, counted: str, *, distinct: bool = False) -> Coalesce:
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
