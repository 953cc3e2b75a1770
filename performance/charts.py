"""Trend charts as inline SVG, drawn by matplotlib. The dashboard and the PDF use this one
renderer so a committee sees the same picture as the VAP chair.

Accessible: the SVG carries role="img", a <title> and a <desc>, and every chart is shown
next to a table of its numbers. Suppressed points (disclosure control) are left out of the
line and said so in the description, never drawn.
"""

import io
import os
import re
from collections.abc import Sequence
from itertools import count

from django.conf import settings
from django.utils.html import escape

# matplotlib writes a font cache; keep it under var/, never in $HOME (read-only in containers).
os.environ.setdefault("MPLCONFIGDIR", str(settings.VAR_DIR / "matplotlib"))

import matplotlib  # noqa: E402

matplotlib.use("Agg")
from matplotlib.figure import Figure  # noqa: E402

LINE_COLOUR = "#1d70b8"  # GOV.UK blue
_ids = count(1)


def _style_to_attributes(match: re.Match[str]) -> str:
    attributes = []
    for declaration in match.group(1).split(";"):
        name, _, value = declaration.partition(":")
        name, value = name.strip(), value.strip()
        if name:
            attributes.append(f'{name}="{escape(value)}"')
    return " ".join(attributes)


def _without_inline_css(svg: str) -> str:
    """The page's Content-Security-Policy forbids inline CSS (style attributes and <style>),
    so matplotlib's styles become SVG presentation attributes, which CSP does not touch."""
    svg = re.sub(r"<style[^>]*>.*?</style>", "", svg, flags=re.S)
    svg = re.sub(r'style="([^"]*)"', _style_to_attributes, svg)
    # What the dropped <style> said for every element.
    return svg.replace("<g ", '<g stroke-linejoin="round" stroke-linecap="butt" ', 1)


def trend_svg(
    *, title: str, labels: Sequence[str], values: Sequence[float | None], unit: str = ""
) -> str:
    """A small line chart of one figure over periods, as an SVG string ready to inline."""
    fig = Figure(figsize=(4.2, 1.9), dpi=72)
    ax = fig.add_subplot()
    xs = list(range(len(labels)))
    ys = [float("nan") if v is None else float(v) for v in values]
    ax.plot(xs, ys, marker="o", color=LINE_COLOUR, linewidth=2)
    for x, v in zip(xs, values, strict=True):
        if v is not None:
            ax.annotate(
                f"{v:g}{unit}",
                (x, v),
                textcoords="offset points",
                xytext=(0, 6),
                ha="center",
                fontsize=8,
            )
    ax.set_xticks(xs, labels, fontsize=8)
    # No y-axis scale: each point carries its value, and a scale would print numbers that
    # are not counts (and could be read as ones under the suppression threshold).
    ax.set_yticks([])
    top = max((v for v in values if v is not None), default=0)
    ax.set_ylim(0, top * 1.3 + 1)
    ax.spines[["top", "right", "left"]].set_visible(False)
    fig.tight_layout(pad=0.4)
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "cse-portal"}):
        fig.savefig(buffer, format="svg")
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    chart_id = f"chart-{next(_ids)}"
    shown = [
        f"{label}: {v:g}{unit}" for label, v in zip(labels, values, strict=True) if v is not None
    ]
    hidden = [label for label, v in zip(labels, values, strict=True) if v is None]
    desc = "; ".join(shown) or "No figures to show."
    if hidden:
        desc += f". Not shown (small numbers suppressed or not available): {', '.join(hidden)}."
    svg = re.sub(
        r"<svg\b",
        f'<svg role="img" aria-labelledby="{chart_id}-t {chart_id}-d" class="app-chart"',
        svg,
        count=1,
    )
    # Drop matplotlib's metadata block and put our title and description first.
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    svg = _without_inline_css(svg)
    # matplotlib's ids (clip paths) repeat from chart to chart; a page holds many charts.
    for old_id in set(re.findall(r'id="([^"]+)"', svg)):
        svg = re.sub(rf"(?<=[\"#]){re.escape(old_id)}(?=[\")])", f"{chart_id}-{old_id}", svg)
    head_end = svg.index(">") + 1
    return (
        svg[:head_end]
        + f'<title id="{chart_id}-t">{escape(title)}</title>'
        + f'<desc id="{chart_id}-d">{escape(desc)}</desc>'
        + svg[head_end:]
    )
