"""Disclosure control of a whole report as one linear system, and the LP audit that proves it.

A report publishes *cells*: quantities such as "2025-26-H1:referrals", each printed once or
several times (N1 and N2 print one referral total; a trend row repeats an earlier period's
headline). The indicators declare how cells relate (`performance.indicators`): table rows
add up to their total, a headline is the sum of some rows, and a complement (returned minus
satisfied) is a count nobody prints but every reader can work out.

Control (`control_system`):
1. primary: every count of people from 1 to threshold-1 is hidden ("<5"), including cells a
   reader would otherwise work out (complements);
2. what an earlier published report hid stays hidden; what it showed is known to the reader;
3. secondary: while the audit finds a hidden count of people that the published figures pin
   down, one more published count of people next to it (in a relation with it) is hidden.
   Counts that are not people are never hidden.

Audit (`audit_system`): the reader's knowledge is the linear system of every published
figure (and what earlier reports showed). For every hidden cell, scipy's `linprog` (HiGHS)
gives the smallest and largest value consistent with it:
- (a) with every hidden cell only known to be >= 0, the range must be at least `threshold`
  wide and must not lie inside 1..threshold-1;
- (b) with the labels used too ("<5" means 1..4, a hidden "*" is not zero), a "<5" cell must
  not be pinned to one value, and a count of 1..threshold-1 that is not printed must not be
  proved to lie in 1..threshold-1;
- (c) no row of a breakdown of 1..threshold-1 people is printed (attribute disclosure).
A report failing the audit is refused. docs/DISCLOSURE.md states the rules and the limits.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.optimize import linprog

EPS = 1e-6
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


@dataclass
class AuditResult:
    passed: bool
    ranges: list[Range]
    threshold: int
    lp_solved: int = 0

    @property
    def failures(self) -> list[Range]:
        return [r for r in self.ranges if not r.ok]

    def reason(self) -> str:
        if self.passed:
            return ""
        first = self.failures[0]
        more = len(self.failures) - 1
        return f"{first.key}: {first.reason}" + (f" (and {more} more)" if more else "")

    def as_dict(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "threshold": self.threshold,
            "method": "linear programming bounds (scipy.optimize.linprog, HiGHS)",
            "cells_checked": len(self.ranges),
            "lp_solved": self.lp_solved,
            "failures": [r.as_dict() for r in self.failures],
            "ranges": [r.as_dict() for r in self.ranges],
        }


def sensitive(cell: Cell, limit: int) -> bool:
    """A count of people from 1 to limit-1: what must never be worked out."""
    return cell.people and 0 < cell.value < limit


def _components(system: System) -> list[tuple[set[str], list[tuple[str, tuple[str, ...]]]]]:
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


class _Component:
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
        self.bounds_plain = [(0.0, None)] * len(self.unknown)
        self.bounds_labelled = []
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

    def outer(self, bounds: list[tuple[float, float | None]]) -> list[tuple[float, float]]:
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

    def extent(self, key: str, bounds: list[tuple[float, float | None]]) -> tuple[float, float]:
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
                f"the published figures pin it to {_fmt(low)}..{_fmt(high)}, narrower than {limit}"
            )
        if low >= 1 - EPS and high <= limit - 1 + EPS:
            reasons.append(f"the published figures prove it is 1..{limit - 1}")
        if labelled is not None:
            llow, lhigh = labelled
            if self._printed_small(cell):
                if np.floor(lhigh + EPS) - np.ceil(llow - EPS) < 1:
                    reasons.append(f"with the labels, it is pinned to {_fmt(llow)}..{_fmt(lhigh)}")
            elif llow >= 1 - EPS and lhigh <= limit - 1 + EPS:
                reasons.append(
                    f"with the labels, it is {_fmt(llow)}..{_fmt(lhigh)}: a small count of "
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

    def witnesses(self, bounds: list[tuple[float, float | None]], targets: list[str]) -> np.ndarray:
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


def _fmt(x: float) -> str:
    return "∞" if x == INF else f"{x:g}"


def _targets(system: System, cells: set[str], hidden: set[str], limit: int) -> list[str]:
    """Hidden published cells, and counts of 1..limit-1 the report does not print."""
    out = []
    for k in sorted(cells):
        if k in system.known:
            continue
        cell = system.cells[k]
        if (cell.published and k in hidden) or (not cell.published and sensitive(cell, limit)):
            out.append(k)
    return sorted(out, key=lambda k: not sensitive(system.cells[k], limit))


def _worth_auditing(system: System, cells: set[str], hidden: set[str]) -> bool:
    """A group with at most one revealed figure and nothing hidden in print cannot pin a cell
    below the threshold that the primary rule has not hidden already (see DISCLOSURE.md)."""
    revealed = sum(
        1 for k in cells if (system.cells[k].published and k not in hidden) or k in system.known
    )
    printed_hidden = any(system.cells[k].published and k in hidden for k in cells)
    return printed_hidden or revealed >= 2


def audit_system(
    system: System,
    hidden: set[str],
    limit: int,
    cache: dict | None = None,
    *,
    fail_fast: bool = False,
) -> AuditResult:
    """Bound every hidden cell of the system with linear programming. `cache` keeps each
    group's ranges between the controller's rounds (a group is re-solved only when what it
    hides changed); `fail_fast` stops a group at its first failure (the controller only
    needs one per round; the stored audit is always complete)."""
    ranges: list[Range] = []
    solved = 0
    for cells, relations in _components(system):
        if not _worth_auditing(system, cells, hidden):
            continue
        targets = _targets(system, cells, hidden, limit)
        if not targets:
            continue
        key = (frozenset(cells), frozenset(hidden & cells))
        if cache is not None and key in cache:
            ranges.extend(cache[key])
            continue
        component = _Component(system, cells, relations, hidden, limit)
        if fail_fast:
            quick = next((r for r in map(component.quick_failure, targets) if r is not None), None)
            if quick is not None:
                ranges.append(quick)
                continue
        witness = (
            component.witnesses(component.bounds_plain, targets),
            component.witnesses(component.bounds_labelled, targets),
        )
        found = []
        for k in targets:
            found.append(component.inner_pass(k, witness) or component.check(k))
            if fail_fast and not found[-1].ok:
                break
        else:
            if cache is not None:
                cache[key] = found
        ranges.extend(found)
        solved += component.solved
    for parent, children in system.breakdowns:
        cell = system.cells[parent]
        printed = [c for c in children if system.cells[c].published]
        if sensitive(cell, limit) and printed:
            ranges.append(
                Range(
                    parent,
                    0.0,
                    INF,
                    0.0,
                    INF,
                    False,
                    f"a breakdown of 1..{limit - 1} people is printed ({len(printed)} rows)",
                )
            )
    return AuditResult(all(r.ok for r in ranges), ranges, limit, solved)


def _neighbours(system: System, key: str) -> list[str]:
    out: list[str] = []
    for p, children in system.relations:
        members = (p, *children)
        if key in members:
            out.extend(m for m in members if m != key and m not in out)
    return out


def _candidates(system: System, key: str, hidden: set[str], *, zeros: bool = False) -> list[str]:
    """Printed counts of people next to `key` that hiding would help, nearest first. Zeros
    only as a last resort (`zeros`): a hidden zero costs a reader nothing to guess wrongly."""
    seen, frontier, found = {key}, [key], []
    parents = {p for p, _ in system.relations}
    while frontier and not found:
        nxt = []
        for k in frontier:
            for m in _neighbours(system, k):
                if m in seen:
                    continue
                seen.add(m)
                nxt.append(m)
                cell = system.cells[m]
                if (
                    cell.published
                    and cell.people
                    and m not in hidden
                    and m not in system.known
                    and (cell.value > 0 or zeros)
                ):
                    found.append(m)
        frontier = nxt
    # Prefer an inner cell over a total, then the smallest (the least information lost).
    return sorted(found, key=lambda m: (m in parents, system.cells[m].value, m))


@dataclass
class Controlled:
    hidden: set[str]
    primary: set[str]
    audit: AuditResult
    rounds: int


def control_system(system: System, limit: int, max_rounds: int = 500) -> Controlled:
    """Choose the hidden cells of a report (primary, then secondary until the audit passes)."""
    primary = {
        k for k, c in system.cells.items() if c.published and sensitive(c, limit)
    } - system.known
    hidden = set(primary) | {k for k in system.forced if k in system.cells}
    rounds = 0
    cache: dict = {}
    while True:
        rounds += 1
        audit = audit_system(system, hidden, limit, cache, fail_fast=True)
        if audit.passed or rounds > max_rounds:
            # The complete audit (groups that passed come from the cache).
            audit = audit_system(system, hidden, limit, cache)
            return Controlled(hidden, primary, audit, rounds)
        grew = False
        touched: set[str] = set()
        for failure in audit.failures:
            if failure.key in touched:
                continue
            options = _candidates(system, failure.key, hidden) or _candidates(
                system, failure.key, hidden, zeros=True
            )
            if options:
                hidden.add(options[0])
                touched.update(_neighbours(system, options[0]))
                grew = True
        if not grew:
            audit = audit_system(system, hidden, limit, cache)
            return Controlled(hidden, primary, audit, rounds)
