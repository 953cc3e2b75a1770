"""Reads of the MAOG records (a package, like actions.selectors; callers import from here).

Every selector starts from maog.permissions, so no list, search, count, chronology or
network holds what the user may not see; intelligence is only ever read through
``permissions.intelligence_queryset_for_user`` (empty for non-MAOG users).

- ``lists``: list pages, search before create, the records on a person's or place's page;
- ``links``: the links a user may see (both ends in reach);
- ``chronology``: the MAOG source of a young person's chronology (registered on import,
  from ``MaogConfig.ready``);
- ``network``: the network view, the networks list and the place hotspots.
"""

from maog.selectors.links import (
    LINK_RELATED,
    person_links,
    target_links,
    visible_links,
)
from maog.selectors.lists import (
    PATHWAY_STAGES,
    PersonCandidate,
    allegation_list,
    handle_list,
    handle_platforms,
    intelligence_list,
    person_allegations,
    person_duplicates,
    person_list,
    person_search,
    place_list,
    place_records,
    vehicle_list,
)
from maog.selectors.network import (
    DETAIL_URLS,
    INTELLIGENCE_THROUGH,
    KIND_LABELS,
    LINK_ENDS,
    MAX_NETWORK_NODES,
    NODE_KINDS,
    GraphEdge,
    GraphNode,
    NetworkGraph,
    NetworkGroup,
    link_ends,
    link_rows,
    network_graph,
    network_groups,
    node_key,
    other_end,
    place_hotspots,
)

__all__ = [
    "DETAIL_URLS",
    "GraphEdge",
    "GraphNode",
    "INTELLIGENCE_THROUGH",
    "KIND_LABELS",
    "LINK_ENDS",
    "LINK_RELATED",
    "MAX_NETWORK_NODES",
    "NODE_KINDS",
    "NetworkGraph",
    "NetworkGroup",
    "PATHWAY_STAGES",
    "PersonCandidate",
    "allegation_list",
    "handle_list",
    "handle_platforms",
    "intelligence_list",
    "link_ends",
    "link_rows",
    "network_graph",
    "network_groups",
    "node_key",
    "other_end",
    "person_allegations",
    "person_duplicates",
    "person_links",
    "person_list",
    "person_search",
    "place_hotspots",
    "place_list",
    "place_records",
    "target_links",
    "vehicle_list",
    "visible_links",
]
