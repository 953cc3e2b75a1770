"""Trend charts as small inline SVG, written directly. The dashboard and the PDF use this one
renderer so a committee sees the same picture as the VAP chair.

A trend chart is four points and a line: written by hand it is ~20 SVG elements, where
matplotlib's output was ~60 elements and 7 KB a chart, drawn in 20-40 ms. In the committee
PDF, WeasyPrint parses and styles every inline SVG element like an HTML element, so the
matplotlib charts were 70% of the document's HTML and a large part of its render time
(docs/DATABASE_TUNING.md, "Committee PDF").

Accessible: the SVG carries role="img", a <title> and a <desc>, and every chart is shown
next to a table of its numbers. Suppressed points (disclosure control) are left out of the
line and said so in the description, never drawn. No inline CSS (the page's
Content-Security-Policy forbids it): presentation attributes only.
"""

from collections.abc import Collection, Sequence
from itertools import count

from django.utils.html import escape

from partnership.periods import current_period

LINE_COLOUR = "#1d70b8"  # GOV.UK blue
AXIS_COLOUR = "#505a5f"
FONT = "DejaVu Sans, Arial, sans-serif"
WIDTH, HEIGHT = 420.0, 190.0  # the drawing's units; shown 302 x 137 pt (the PDF: 80 mm wide)
LEFT, RIGHT, TOP, AXIS = 40.0, 40.0, 22.0, 156.0  # margins and the x axis's height
_ids = count(1)


def _n(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _segments(points: list[tuple[float, float] | None]) -> list[list[tuple[float, float]]]:
    """Runs of consecutive shown points: a hidden point breaks the line (never interpolated)."""
    runs: list[list[tuple[float, float]]] = [[]]
    for point in points:
        if point is None:
            runs.append([])
        else:
            runs[-1].append(point)
    return [run for run in runs if run]


def worth_drawing(values: Sequence[float | None]) -> bool:
    """A chart whose points are all zero or all hidden shows nothing: the table says it."""
    return any(v for v in values)


def trend_svg(
    *,
    title: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    unit: str = "",
    unfinished: Collection[str] | None = None,
    partial: bool = False,
    font_size: int = 11,
) -> str:
    """A small line chart of one figure over periods, as an SVG string ready to inline.

    A period in `unfinished` (default: the current period; `partial`: the last label) is not
    over: its point is drawn hollow, joined by a dashed line, labelled "so far" and said so in
    the description, never drawn as a complete period (two months of a half-year would read
    as a sharp fall). `font_size` in the drawing's units: the web dashboard shows the chart
    larger than the PDF and draws larger text."""
    if partial:
        unfinished = set(labels[-1:])
    elif unfinished is None:
        unfinished = {current_period().code}
    chart_id = f"chart-{next(_ids)}"
    n = len(labels)
    step = (WIDTH - LEFT - RIGHT) / max(n - 1, 1)
    xs = [LEFT + i * step if n > 1 else WIDTH / 2 for i in range(n)]
    # No y-axis scale: each point carries its value, and a scale would print numbers that
    # are not counts (and could be read as ones under the suppression threshold).
    top = max((v for v in values if v is not None), default=0)
    scale = (AXIS - TOP) / (top * 1.3 + 1)
    points = [
        None if v is None else (x, AXIS - float(v) * scale) for x, v in zip(xs, values, strict=True)
    ]
    parts = [
        f'<line x1="{_n(LEFT / 2)}" y1="{_n(AXIS)}" x2="{_n(WIDTH - RIGHT / 2)}" '
        f'y2="{_n(AXIS)}" stroke="{AXIS_COLOUR}" stroke-width="1"/>'
    ]
    open_ = [label in unfinished for label in labels]
    complete = [None if o else p for p, o in zip(points, open_, strict=True)]
    for run in _segments(complete):
        path = " ".join(f"{_n(x)},{_n(y)}" for x, y in run)
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="{LINE_COLOUR}" stroke-width="2.5"/>'
        )
    for i in range(1, n):
        a, b = points[i - 1], points[i]
        if open_[i] and a is not None and b is not None:
            (x0, y0), (x1, y1) = a, b
            parts.append(
                f'<line x1="{_n(x0)}" y1="{_n(y0)}" x2="{_n(x1)}" y2="{_n(y1)}" '
                f'stroke="{LINE_COLOUR}" stroke-width="1.5" stroke-dasharray="4 3"/>'
            )
    for point, v, is_open in zip(points, values, open_, strict=True):
        if point is None or v is None:
            continue
        x, y = point
        fill = "#ffffff" if is_open else LINE_COLOUR
        parts.append(
            f'<circle cx="{_n(x)}" cy="{_n(y)}" r="4" fill="{fill}" stroke="{LINE_COLOUR}" '
            f'stroke-width="1.5"/>'
        )
        text = escape(f"{v:g}{unit}")
        parts.append(f'<text x="{_n(x)}" y="{_n(y - 8)}" text-anchor="middle">{text}</text>')
    label_y = AXIS + font_size + 5  # period labels under the axis, "so far" a line lower
    for x, label, is_open in zip(xs, labels, open_, strict=True):
        parts.append(
            f'<text x="{_n(x)}" y="{_n(label_y)}" text-anchor="middle">{escape(label)}</text>'
        )
        if is_open:
            parts.append(
                f'<text x="{_n(x)}" y="{_n(label_y + font_size + 1)}" '
                f'text-anchor="middle">(so far)</text>'
            )
    shown = [
        f"{label}{' (so far, period not over)' if label in unfinished else ''}: {v:g}{unit}"
        for label, v in zip(labels, values, strict=True)
        if v is not None
    ]
    hidden = [label for label, v in zip(labels, values, strict=True) if v is None]
    desc = "; ".join(shown) or "No figures to show."
    if hidden:
        desc += f". Not shown (small numbers suppressed or not available): {', '.join(hidden)}."
    for label in (label for label in labels if label in unfinished):
        desc += f". {label} is not over: its figure covers only the part so far."
    height = HEIGHT + 2 * (font_size - 11)  # larger type needs the labels' room below
    return (
        f'<svg role="img" aria-labelledby="{chart_id}-t {chart_id}-d" class="app-chart" '
        f'xmlns="http://www.w3.org/2000/svg" width="302.4pt" '
        f'height="{_n(136.8 * height / HEIGHT)}pt" '
        f'viewBox="0 0 {_n(WIDTH)} {_n(height)}" font-family="{FONT}" font-size="{font_size}" '
        f'fill="#0b0c0c">'
        f'<title id="{chart_id}-t">{escape(title)}</title>'
        f'<desc id="{chart_id}-d">{escape(desc)}</desc>' + "".join(parts) + "</svg>"
    )
