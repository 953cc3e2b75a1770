"""Disclosure control for every figure that leaves the system (committee PDFs, exports).

- Primary suppression: a count from 1 to threshold-1 (settings.CSE_SUPPRESSION_THRESHOLD,
  default 5) is shown as "<5". Zeros stay zeros.
- Secondary suppression: a suppressed cell must not be recoverable from the totals of its
  row or column. In every line (a row or column together with its published total) that
  holds a suppressed entry, we make sure at least two entries are suppressed, and that
  the suppressed primaries cannot be pinned down by their sum (e.g. two "<5" cells adding
  up to 8 must both be 4). A secondary cell is shown as "*". Only non-zero entries are
  suppressed (a zero is never hidden, so it never has to be guessed either).
- Percentages built on a suppressed count are suppressed.

tests/performance/test_disclosure.py proves with hypothesis, by searching for every table
consistent with what is published, that no suppressed primary value can be derived.
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace

from django.conf import settings

SECONDARY_MARK = "*"


def threshold() -> int:
    return settings.CSE_SUPPRESSION_THRESHOLD


def primary_mark(limit: int | None = None) -> str:
    return f"<{limit or threshold()}"


def is_primary(value: int, limit: int | None = None) -> bool:
    return 0 < value < (limit or threshold())


def count_text(value: int | None, limit: int | None = None) -> str:
    """One count on its own: "<5" for 1-4, the number otherwise."""
    if value is None:
        return "–"
    return primary_mark(limit) if is_primary(value, limit) else f"{value:,}"


def percent_text(value: float | None, *, suppressed: bool) -> str:
    if value is None:
        return "–"
    return SECONDARY_MARK if suppressed else f"{value:.1f}%"


Position = tuple[int, int]


@dataclass(frozen=True)
class ControlledTable:
    """A table after disclosure control. Entries include the margins: the row totals are
    column ``n_cols`` and the column totals are row ``n_rows`` (when published)."""

    values: tuple[tuple[int, ...], ...]  # the full grid with margins (true values)
    suppressed: frozenset[Position]
    primary: frozenset[Position]
    n_rows: int
    n_cols: int
    row_totals: bool
    col_totals: bool
    limit: int
    # True when even hiding every non-zero entry would leave a small count derivable (all
    # counts tiny): the breakdown is then withheld and only its total ("<5") is published.
    withheld: bool = False

    def text(self, row: int, col: int) -> str:
        if (row, col) in self.primary:
            return primary_mark(self.limit)
        if (row, col) in self.suppressed:
            return SECONDARY_MARK
        return f"{self.values[row][col]:,}"

    def is_suppressed(self, row: int, col: int) -> bool:
        return (row, col) in self.suppressed

    def lines(self) -> list[list[Position]]:
        return _lines(self.n_rows, self.n_cols, self.row_totals, self.col_totals)


def _lines(n_rows: int, n_cols: int, row_totals: bool, col_totals: bool) -> list[list[Position]]:
    """Each published linear relation: the entries of a row or column with its total last."""
    lines: list[list[Position]] = []
    if row_totals:
        for r in range(n_rows):
            lines.append([(r, c) for c in range(n_cols)] + [(r, n_cols)])
    if col_totals:
        for c in range(n_cols):
            lines.append([(r, c) for r in range(n_rows)] + [(n_rows, c)])
    if row_totals and col_totals:
        lines.append([(n_rows, c) for c in range(n_cols)] + [(n_rows, n_cols)])
        lines.append([(r, n_cols) for r in range(n_rows)] + [(n_rows, n_cols)])
    return lines


def _line_is_exposed(
    line: list[Position], grid: list[list[int]], suppressed: set[Position], limit: int
) -> bool:
    """Could a suppressed entry of this line be worked out from the line alone?"""
    hidden = [p for p in line if p in suppressed]
    if not hidden:
        return False
    if len(hidden) == 1:
        return True
    total = line[-1]
    if total in suppressed:
        if not is_primary(grid[total[0]][total[1]], limit):
            return False  # an unbounded hidden total: the hidden cells' sum is unknown
        # A "<limit" total bounds the hidden cells: each is at most limit-1 minus the
        # published cells and the other hidden cells (at least 1 each).
        published = sum(grid[r][c] for r, c in line[:-1] if (r, c) not in suppressed)
        hidden_cells = len(hidden) - 1
        return limit - 1 - published - (hidden_cells - 1) <= 1
    if any(not is_primary(grid[r][c], limit) for r, c in hidden):
        return False  # an unbounded secondary cell absorbs any change
    # Only "<limit" cells hide, and their sum is published: at the extremes of the sum
    # (all 1s, or all limit-1) every one of them is determined.
    known_sum = sum(grid[r][c] for r, c in hidden)
    return known_sum in (len(hidden), len(hidden) * (limit - 1))


def control_table(
    cells: Sequence[Sequence[int]],
    *,
    row_totals: bool = True,
    col_totals: bool = True,
    limit: int | None = None,
) -> ControlledTable:
    """Apply primary and secondary suppression to a table of counts and its margins."""
    limit = limit or threshold()
    n_rows = len(cells)
    n_cols = len(cells[0]) if n_rows else 0
    grid = [list(row) for row in cells]
    if row_totals:
        for row in grid:
            row.append(sum(row[:n_cols]))
    if col_totals:
        width = n_cols + (1 if row_totals else 0)
        grid.append([sum(grid[r][c] for r in range(n_rows)) for c in range(width)])
    primary = {
        (r, c)
        for r, row in enumerate(grid)
        for c, value in enumerate(row)
        if is_primary(value, limit)
    }
    suppressed = set(primary)
    lines = _lines(n_rows, n_cols, row_totals, col_totals)
    withheld = False
    changed = True
    while changed:
        changed = False
        for line in lines:
            if not _line_is_exposed(line, grid, suppressed, limit):
                continue
            candidates = [p for p in line if p not in suppressed and grid[p[0]][p[1]] > 0]
            if not candidates:
                withheld = True  # nothing left to hide: publish no breakdown at all
                continue

            # Prefer an inner cell over a total, then one whose other line already hides
            # something (it protects two lines at once), then the smallest.
            def cost(p: Position, line: list[Position] = line) -> tuple[int, int, int]:
                is_total = p == line[-1]
                shares = sum(1 for other in lines if p in other and set(other) & suppressed)
                return (int(is_total), -shares, grid[p[0]][p[1]])

            suppressed.add(min(candidates, key=cost))
            changed = True
    table = ControlledTable(
        values=tuple(tuple(row) for row in grid),
        suppressed=frozenset(suppressed),
        primary=frozenset(primary),
        n_rows=n_rows,
        n_cols=n_cols,
        row_totals=row_totals,
        col_totals=col_totals,
        limit=limit,
        withheld=withheld,
    )
    if withheld or not (row_totals and col_totals and n_rows > 1 and n_cols > 1):
        # One relation per line and no crossing lines: the line rule above is exact.
        return table
    # Rows and columns cross: hidden cells can be pinned by combining lines (e.g. a
    # rectangle whose "<5" corners sit at opposite ends of their range). Check exactly and
    # hide one more entry next to each derivable cell until none is left.
    while True:
        try:
            exposed = derivable_primaries(table)
        except _TooHard:
            return replace(table, withheld=True)
        if not exposed:
            return table
        grown = set(table.suppressed)
        for r, c in exposed:
            candidates = [
                p
                for line in lines
                if (r, c) in line
                for p in line
                if p not in grown and grid[p[0]][p[1]] > 0
            ]
            if candidates:
                grown.add(min(candidates, key=lambda p: grid[p[0]][p[1]]))
        if grown == set(table.suppressed):
            return replace(table, withheld=True)
        table = replace(table, suppressed=frozenset(grown))


class _TooHard(Exception):
    """The exact search ran past its budget: the caller withholds the table to be safe."""


def _feasible(table: ControlledTable, fixed: dict[Position, int], budget: list[int]) -> bool:
    """Is there a table of counts consistent with everything published, and with `fixed`?

    A "<limit" entry may be 1..limit-1 and a "*" entry any positive count bounded by the
    published totals of its lines (zeros are always shown, so a hidden entry is not zero).
    """
    limit = table.limit
    lines = table.lines()
    cap = sum(sum(row) for row in table.values) + limit
    domains: dict[Position, range] = {}
    for p in table.suppressed:
        if p in table.primary:
            domains[p] = range(1, limit)
            continue
        bound = cap
        for line in lines:
            total = line[-1]
            if p in line and p != total and total not in table.suppressed:
                bound = min(bound, table.values[total[0]][total[1]])
        domains[p] = range(1, bound + 1)

    def solve(assign: dict[Position, int]) -> bool:
        budget[0] -= 1
        if budget[0] < 0:
            raise _TooHard
        assign = dict(assign)
        progress = True
        while progress:
            progress = False
            for line in lines:
                residual, open_ = 0, []
                for index, p in enumerate(line):
                    sign = -1 if index == len(line) - 1 else 1
                    if p in table.suppressed and p not in assign:
                        open_.append((p, sign))
                    else:
                        v = assign[p] if p in assign else table.values[p[0]][p[1]]
                        residual += sign * v
                if not open_:
                    if residual:
                        return False
                elif len(open_) == 1:
                    p, sign = open_[0]
                    v = -residual * sign
                    if v not in domains[p]:
                        return False
                    assign[p] = v
                    progress = True
        free = [p for p in table.suppressed if p not in assign]
        if not free:
            return True
        p = min(free, key=lambda q: len(domains[q]))
        return any(solve({**assign, p: v}) for v in domains[p])

    return solve(fixed)


def derivable_primaries(table: ControlledTable, budget: int = 20000) -> list[Position]:
    """The "<limit" entries whose true value is the only one consistent with the table."""
    remaining = [budget]
    exposed = []
    for p in sorted(table.primary):
        true = table.values[p[0]][p[1]]
        if not any(_feasible(table, {p: v}, remaining) for v in range(1, table.limit) if v != true):
            exposed.append(p)
    return exposed


def control_breakdown(counts: Sequence[int], *, limit: int | None = None) -> ControlledTable:
    """A one-way breakdown with its total: a single row with a row total."""
    return control_table([list(counts)], row_totals=True, col_totals=False, limit=limit)
