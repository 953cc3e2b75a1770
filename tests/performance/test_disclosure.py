"""Printing controlled counts, and two-way tables (rows and columns crossing, so the audit
needs the LP rather than closed forms) controlled and attacked."""

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from performance.control import Cell, System, control_system, sensitive
from performance.disclosure import count_text, percent_text
from tests.performance.test_audit_properties import _integer_values

LIMIT = 5


def test_counts_and_percentages_print_as_published() -> None:
    assert count_text(0) == "0"
    assert count_text(4) == "<5"
    assert count_text(5) == "5"
    assert count_text(1234) == "1,234"
    assert count_text(None) == "–"
    assert percent_text(40.0, suppressed=True) == "*"
    assert percent_text(40.0, suppressed=False) == "40.0%"


def _cross_table(cells: list[list[int]]) -> System:
    """A two-way table with row totals, column totals and a grand total, all printed."""
    system = System()
    rows, cols = len(cells), len(cells[0])
    row_sums = [sum(row) for row in cells]
    col_sums = [sum(cells[r][c] for r in range(rows)) for c in range(cols)]
    for r, c in itertools.product(range(rows), range(cols)):
        # As the report does: a row or column of 1-4 people is withheld (its cells unprinted).
        few = 0 < row_sums[r] < LIMIT or 0 < col_sums[c] < LIMIT
        system.add(Cell(f"c{r}.{c}", cells[r][c], published=not few))
    for r in range(rows):
        system.add(Cell(f"r{r}", sum(cells[r])))
        system.relate(f"r{r}", [f"c{r}.{c}" for c in range(cols)], breakdown=True)
    for c in range(cols):
        system.add(Cell(f"k{c}", sum(cells[r][c] for r in range(rows))))
        system.relate(f"k{c}", [f"c{r}.{c}" for r in range(rows)], breakdown=True)
    system.add(Cell("total", sum(map(sum, cells))))
    system.relate("total", [f"r{r}" for r in range(rows)])
    system.relate("total", [f"k{c}" for c in range(cols)])
    return system


counts = st.one_of(st.integers(0, 4), st.integers(5, 30))


@settings(
    max_examples=100, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(
    st.integers(2, 3).flatmap(
        lambda rows: st.integers(2, 3).flatmap(
            lambda cols: st.lists(
                st.lists(counts, min_size=cols, max_size=cols), min_size=rows, max_size=rows
            )
        )
    )
)
def test_two_way_tables_after_control_pin_no_small_count(cells: list[list[int]]) -> None:
    system = _cross_table(cells)
    result = control_system(system, LIMIT)
    assert result.audit.passed, result.audit.reason()
    for key, cell in system.cells.items():
        if sensitive(cell, LIMIT):
            assert key in result.hidden or not cell.published
            low, high = _integer_values(system, result.hidden, key)
            assert high > low, (key, cells)


def test_rectangle_of_small_counts_is_not_pinned() -> None:
    # Four "<5" corners of a rectangle with every margin printed: the classic attack.
    system = _cross_table([[4, 20, 1], [1, 20, 4], [10, 10, 10]])
    result = control_system(system, LIMIT)
    assert result.audit.passed
    for key in ("c0.0", "c0.2", "c1.0", "c1.2"):
        low, high = _integer_values(system, result.hidden, key)
        assert high > low
