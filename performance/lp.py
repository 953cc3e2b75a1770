"""The linear system a report publishes, and the LP of each connected part of it.

Cells and relations (`System`) are what a reader can combine; `ComponentLP` bounds a hidden
cell's value over one connected group of cells (interval propagation when rows do not share
unknowns, scipy's `linprog` with HiGHS otherwise). `performance.control` chooses what to
hide and runs the audit over these; the rules are in its docstring and docs/DISCLOSURE.md.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.optimize import linprog

EPS = 1e-6
# Each unknown's (lower, upper) bound; None: no upper bound.
Bounds = list[tuple[float, float | None]]
INF = float("inf")
NAN = float("nan")


@dataclass
class Cell:
    key: str
    value: int
    people: bool = True
    published: bool = True  # printed in this report
    label: str = ""


@dataclass
class System:
    """Everything a reader of the report (and of the reports before it) can combine."""

    cells: dict[str, Cell] = field(default_factory=dict)
    relations: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)  # p = sum(c)
    known: set[str] = field(default_factory=set)  # shown by an earlier published report
    forced: set[str] = field(default_factory=set)  # hidden by an earlier published report
    # Relations that are a breakdown (table rows -> total): printing any row of a breakdown
    # of 1..limit-1 people tells the reader about every one of them (attribute disclosure).
    breakdowns: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)

    def add(self, cell: Cell) -> None:
        have = self.cells.get(cell.key)
        if have is None:
            self.cells[cell.key] = cell
        else:
            have.published = have.published or cell.published
            have.people = have.people or cell.people

    def relate(self, parent: str, children: Iterable[str], *, breakdown: bool = False) -> None:
        relation = (parent, tuple(children))
        if relation not in self.relations:
            self.relations.append(relation)
        if breakdown and relation not in self.breakdowns:
            self.breakdowns.append(relation)


@dataclass
class Range:
    key: str
    low: float
    high: float  # inf when unbounded
    labelled_low: float
    labelled_high: float
    ok: bool
    reason: str = ""
    # False: the range is an inner bound (values shown consistent with the report by
    # feasible points), enough to prove a pass; True: the exact LP range.
    exact: bool = True

    def as_dict(self) -> dict[str, Any]:
        def num(x: float) -> float | None:
            return None if x == INF or np.isnan(x) else round(float(x), 3)

        return {
            "cell": self.key,
            "range": [num(self.low), num(self.high)],
            "range_with_labels": [num(self.labelled_low), num(self.labelled_high)],
            "ok": self.ok,
            "exact": self.exact,
            "reason": self.reason,
        }


def sensitive(cell: Cell, limit: int) -> bool:
    """A count of people from 1 to limit-1: what must never be worked out."""
    return cell.people and 0 < cell.value < limit


def components(system: System) -> list[tuple[set[str], list[tuple[str, tuple[str, ...]]]]]:
    parent: dict[str, str] = {k: k for k in system.cells}

    def find(k: str) -> str:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for p, children in system.relations:
        for c in children:
            a, b = find(p), find(c)
            if a != b:
                parent[a] = b
    groups: dict[str, set[str]] = defaultdict(set)
    for k in system.cells:
        groups[find(k)].add(k)
    rels: dict[str, list] = defaultdict(list)
    for relation in system.relations:
        rels[find(relation[0])].append(relation)
    return [(cells, rels[root]) for root, cells in groups.items()]


class ComponentLP:
    """The LP of one connected group of cells: unknowns, equalities and bounds."""

    def __init__(
        self,
        system: System,
        cells: set[str],
        relations: list[tuple[str, tuple[str, ...]]],
        hidden: set[str],
        limit: int,
    ) -> None:
        self.limit = limit
        self.system = system
        revealed = {
            k for k in cells if (system.cells[k].published and k not in hidden) or k in system.known
        }
        self.unknown = sorted(cells - revealed)
        self.index = {k: i for i, k in enumerate(self.unknown)}
        rows, rhs = [], []
        for p, children in relations:
            row = np.zeros(len(self.unknown))
            b = 0.0
            for k, sign in [(p, 1.0)] + [(c, -1.0) for c in children]:
                if k in self.index:
                    row[self.index[k]] += sign
                else:
                    b -= sign * system.cells[k].value
            if np.any(row):
                rows.append(row)
                rhs.append(b)
        self.a_eq = np.array(rows) if rows else None
        self.b_eq = np.array(rhs) if rows else None
        # (a): every unknown only >= 0. (b): the labels too.
        self.bounds_plain: Bounds = [(0.0, None)] * len(self.unknown)
        self.bounds_labelled: Bounds = []
        for k in self.unknown:
            cell = system.cells[k]
            if cell.published and k not in system.known:  # printed as "<5" or "*"
                if sensitive(cell, limit):
                    self.bounds_labelled.append((1.0, float(limit - 1)))
                else:
                    self.bounds_labelled.append((1.0 if cell.value > 0 else 0.0, None))
            else:
                self.bounds_labelled.append((0.0, None))
        self.solved = 0
        # Rows each unknown appears in. When no unknown is in two rows, the rows are
        # independent single equalities with box bounds, whose ranges have a closed form;
        # only linked rows need the LP solver.
        self.rows_of: dict[int, list[int]] = defaultdict(list)
        for r, row in enumerate(rows):
            for j in np.flatnonzero(row):
                self.rows_of[int(j)].append(r)
        self.decoupled = all(len(v) <= 1 for v in self.rows_of.values())

    def _row_range(self, r: int, i: int, bounds: list[tuple[float, float]]) -> tuple[float, float]:
        """The values of unknown i that row r allows, given the other unknowns' bounds."""
        assert self.a_eq is not None and self.b_eq is not None  # noqa: S101 - called with rows
        row, b = self.a_eq[r], self.b_eq[r]
        s_low = s_high = 0.0
        for j in np.flatnonzero(row):
            if j == i:
                continue
            lo, hi = bounds[j]
            a = row[j]
            s_low += a * lo if a > 0 else a * hi
            s_high += a * hi if a > 0 else a * lo
        a = row[i]
        ends = sorted(((b - s_high) / a, (b - s_low) / a))
        return ends[0], ends[1]

    def outer(self, bounds: Bounds) -> list[tuple[float, float]]:
        """Interval propagation over the rows: bounds that contain every consistent value
        (exact when no unknown is in two rows). A range this wide that still fails the
        rules fails for certain, without the LP."""
        box = [(lo, INF if hi is None else hi) for lo, hi in bounds]
        if self.a_eq is None:
            return box
        for _ in range(2 * len(self.unknown) + 2):
            changed = False
            for r in range(len(self.a_eq)):
                for j in np.flatnonzero(self.a_eq[r]):
                    lo, hi = self._row_range(r, int(j), box)
                    new = (max(box[j][0], lo), min(box[j][1], hi))
                    if new[0] > box[j][0] + EPS or new[1] < box[j][1] - EPS:
                        box[j] = new
                        changed = True
            if not changed:
                break
        return box

    def extent(self, key: str, bounds: Bounds) -> tuple[float, float]:
        """The exact (LP) smallest and largest value of `key` under `bounds`."""
        i = self.index[key]
        n = len(self.unknown)
        if self.a_eq is None or self.decoupled:
            low, high = self.outer(bounds)[i]
            return (NAN, NAN) if low > high + EPS else (low, high)
        out = []
        for sign in (1.0, -1.0):
            c = np.zeros(n)
            c[i] = sign
            self.solved += 1
            res = linprog(c, A_eq=self.a_eq, b_eq=self.b_eq, bounds=bounds, method="highs")
            if res.status == 3:  # unbounded
                out.append(-sign * INF if sign < 0 else 0.0)
                continue
            if res.status != 0:
                # The true values satisfy every constraint, so this is a solver fault: fail
                # closed (the caller treats a NaN range as a failure).
                return (NAN, NAN)
            out.append(sign * res.fun)
        low, high = out[0], out[1]
        return (low, INF if high == INF or high > 1e12 else high)

    def _reasons(
        self, cell: Cell, plain: tuple[float, float], labelled: tuple[float, float] | None
    ) -> list[str]:
        limit = self.limit
        low, high = plain
        if np.isnan(low) or (labelled is not None and np.isnan(labelled[0])):
            return ["the audit could not solve the system"]
        reasons = []
        if high - low < limit - EPS:
            reasons.append(
                f"the published figures pin it to {fmt(low)}..{fmt(high)}, narrower than {limit}"
            )
        if low >= 1 - EPS and high <= limit - 1 + EPS:
            reasons.append(f"the published figures prove it is 1..{limit - 1}")
        if labelled is not None:
            llow, lhigh = labelled
            if self._printed_small(cell):
                if np.floor(lhigh + EPS) - np.ceil(llow - EPS) < 1:
                    reasons.append(f"with the labels, it is pinned to {fmt(llow)}..{fmt(lhigh)}")
            elif llow >= 1 - EPS and lhigh <= limit - 1 + EPS:
                reasons.append(
                    f"with the labels, it is {fmt(llow)}..{fmt(lhigh)}: a small count of "
                    f"people is disclosed"
                )
        return reasons

    def _printed_small(self, cell: Cell) -> bool:
        return cell.published and cell.key not in self.system.known and sensitive(cell, self.limit)

    def quick_failure(self, key: str) -> Range | None:
        """A certain failure found by propagation alone, or None (then ask `check`)."""
        i = self.index[key]
        cell = self.system.cells[key]
        if not hasattr(self, "_outer"):
            self._outer = (self.outer(self.bounds_plain), self.outer(self.bounds_labelled))
        plain = self._outer[0][i]
        labelled = self._outer[1][i] if sensitive(cell, self.limit) else None
        reasons = self._reasons(cell, plain, labelled)
        if not reasons:
            return None
        return Range(key, *plain, *(labelled or (NAN, NAN)), False, "; ".join(reasons))

    def witnesses(self, bounds: Bounds, targets: list[str]) -> np.ndarray:
        """Feasible points (rows): the true values, and the LP optima pushing every target up
        and every target down together. The values they give a cell are all consistent with
        the report, so the span they cover is an inner bound of its range: if that already
        passes the rules, the exact range (wider) passes too."""
        true = np.array([float(self.system.cells[k].value) for k in self.unknown])
        points = [true]
        if self.a_eq is None or self.decoupled:
            return np.array(points)
        cap = float(sum(c.value for c in self.system.cells.values()) + 10 * self.limit)
        capped = [(lo, cap if hi is None else min(hi, cap)) for lo, hi in bounds]
        c = np.zeros(len(self.unknown))
        for k in targets:
            c[self.index[k]] = 1.0
        for sign in (1.0, -1.0):
            self.solved += 1
            res = linprog(sign * c, A_eq=self.a_eq, b_eq=self.b_eq, bounds=capped, method="highs")
            if res.status == 0:
                points.append(res.x)
        return np.array(points)

    def inner_pass(self, key: str, witness: tuple[np.ndarray, np.ndarray]) -> Range | None:
        """A certain pass shown by the witnesses alone, or None (then ask `check`)."""
        i = self.index[key]
        cell = self.system.cells[key]
        plain = (float(witness[0][:, i].min()), float(witness[0][:, i].max()))
        labelled = None
        if sensitive(cell, self.limit):
            labelled = (float(witness[1][:, i].min()), float(witness[1][:, i].max()))
        if self._reasons(cell, plain, labelled):
            return None
        return Range(key, *plain, *(labelled or (NAN, NAN)), True, "", exact=False)

    def check(self, key: str) -> Range:
        """The exact ranges of one hidden cell and the rules they break, if any."""
        cell = self.system.cells[key]
        plain = self.extent(key, self.bounds_plain)
        labelled = None
        if sensitive(cell, self.limit) and not self._reasons(cell, plain, None):
            # Only a count of 1..limit-1 needs the labelled bounds (and only if it is not
            # already refused without them). Every such target keeps its own label: a "<5"
            # cell's own bounds, an unprinted count's >= 0.
            labelled = self.extent(key, self.bounds_labelled)
        reasons = self._reasons(cell, plain, labelled)
        return Range(key, *plain, *(labelled or (NAN, NAN)), not reasons, "; ".join(reasons))


def fmt(x: float) -> str:
    return "∞" if x == INF else f"{x:g}"
