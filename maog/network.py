"""Draw a network graph as an SVG: layout by networkx, markup built here.

The SVG is accessible and works without JavaScript: each node is an <a href> with a <title>
(read by screen readers and shown as a tooltip), and the page lists the same nodes and links
in tables beside the picture. Colours come from presentation attributes, not inline styles,
so the strict Content-Security-Policy (style-src 'self') needs no exception.
"""

from dataclasses import dataclass

import networkx as nx
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from maog.selectors import NetworkGraph

WIDTH = 960
HEIGHT = 640
MARGIN = 40
LABEL_ROOM = 200  # room on the right for the labels of the right-most nodes
# spring_layout needs scipy above 500 nodes; past this size use a layout numpy can do alone.
SPRING_LIMIT = 450
LABEL_LIMIT = 60  # above this many nodes, names live in the titles and the table only
KIND_STYLE = {
    # kind: (fill, radius): GOV.UK palette colours, distinguishable in greyscale by size too.
    "person": ("#d4351c", 11),
    "young_person": ("#1d70b8", 9),
    "place": ("#00703c", 9),
    "vehicle": ("#4c2c92", 7),
    "handle": ("#f47738", 7),
}


@dataclass(frozen=True)
class Placed:
    x: float
    y: float


def layout(graph: NetworkGraph) -> dict[str, Placed]:
    """Node positions in SVG coordinates, deterministic for a given graph."""
    g = nx.Graph()
    g.add_nodes_from(graph.nodes)
    g.add_edges_from((edge.source, edge.target) for edge in graph.edges)
    if len(g) == 1:
        return {graph.root: Placed(WIDTH / 2, HEIGHT / 2)}
    if len(g) <= SPRING_LIMIT:
        positions = nx.spring_layout(g, seed=2015, iterations=60)
    else:
        shells = [
            [key for key, node in graph.nodes.items() if node.distance == distance]
            for distance in sorted({node.distance for node in graph.nodes.values()})
        ]
        positions = nx.shell_layout(g, nlist=shells)
    xs = [float(p[0]) for p in positions.values()]
    ys = [float(p[1]) for p in positions.values()]
    min_x, span_x = min(xs), (max(xs) - min(xs)) or 1.0
    min_y, span_y = min(ys), (max(ys) - min(ys)) or 1.0
    return {
        key: Placed(
            MARGIN + (float(p[0]) - min_x) / span_x * (WIDTH - MARGIN - LABEL_ROOM),
            MARGIN + (float(p[1]) - min_y) / span_y * (HEIGHT - 2 * MARGIN),
        )
        for key, p in positions.items()
    }


def _n(value: float) -> str:
    # format_html escapes its arguments into strings, so numbers are formatted first.
    return f"{value:.1f}"


def render_svg(graph: NetworkGraph, *, title: str) -> SafeString:
    """The network as inline SVG markup (all text escaped)."""
    positions = layout(graph)
    edges = format_html_join(
        "",
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#505a5f" '
        'stroke-width="1.5"><title>{}</title></line>',
        (
            (
                _n(positions[edge.source].x),
                _n(positions[edge.source].y),
                _n(positions[edge.target].x),
                _n(positions[edge.target].y),
                f"{graph.nodes[edge.source].label} – {edge.nature} – "
                f"{graph.nodes[edge.target].label}",
            )
            for edge in graph.edges
            if edge.source in positions and edge.target in positions
        ),
    )
    show_labels = len(graph.nodes) <= LABEL_LIMIT
    parts = []
    for key, node in graph.nodes.items():
        fill, radius = KIND_STYLE[node.kind]
        if key == graph.root:
            radius += 5
        point = positions[key]
        shape = format_html(
            '<circle cx="{}" cy="{}" r="{}" fill="{}" stroke="#0b0c0c" stroke-width="{}"></circle>',
            _n(point.x),
            _n(point.y),
            radius,
            fill,
            3 if key == graph.root else 1,
        )
        label = (
            format_html(
                '<text x="{}" y="{}" font-size="12" fill="#0b0c0c">{}</text>',
                _n(point.x + radius + 3),
                _n(point.y + 4),
                node.label,
            )
            if show_labels
            else ""
        )
        tooltip = format_html("<title>{} ({})</title>", node.label, node.kind_label)
        if node.url:
            parts.append(
                format_html(
                    '<a href="{}" class="app-network__node">{}{}{}</a>',
                    node.url,
                    tooltip,
                    shape,
                    label,
                )
            )
        else:
            parts.append(format_html("<g>{}{}{}</g>", tooltip, shape, label))
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="app-network" viewBox="0 0 {} {}" '
        'width="100%" role="group" aria-labelledby="network-svg-title">'
        '<title id="network-svg-title">{}</title><g>{}</g><g>{}</g></svg>',
        WIDTH,
        HEIGHT,
        title,
        edges,
        mark_safe("".join(parts)),  # noqa: S308 - each part built with format_html above
    )
