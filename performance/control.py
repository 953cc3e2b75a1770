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

from dataclasses import dataclass
from typing import Any

from performance.lp import INF, Cell, ComponentLP, Range, System, components, sensitive

__all__ = [
    "AuditResult",
    "Cell",
    "Controlled",
    "Range",
    "System",
    "audit_system",
    "control_system",
    "sensitive",
]


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
    for cells, relations in components(system):
        if not _worth_auditing(system, cells, hidden):
            continue
        targets = _targets(system, cells, hidden, limit)
        if not targets:
            continue
        key = (frozenset(cells), frozenset(hidden & cells))
        if cache is not None and key in cache:
            ranges.extend(cache[key])
            continue
        component = ComponentLP(system, cells, relations, hidden, limit)
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
    seen, frontier = {key}, [key]
    found: list[str] = []
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
