"""Disclosure control: "<5" for 1-4, zeros stay zeros, and no suppressed value can be derived
from the margins (hypothesis searches every table consistent with what is published)."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from performance.disclosure import (
    ControlledTable,
    control_breakdown,
    control_table,
    count_text,
    percent_text,
)

Position = tuple[int, int]


def _feasible(table: ControlledTable, fixed: dict[Position, int]) -> bool:
    """Is there a table with non-negative counts matching everything published, and `fixed`?

    A "<limit" entry may be any of 1..limit-1; a "*" entry any positive count (zeros are always
    shown, so a hidden entry is known not to be zero).
    """
    limit = table.limit
    cap = sum(sum(row) for row in table.values) + limit
    domains = {
        p: range(1, limit) if p in table.primary else range(1, cap + 1) for p in table.suppressed
    }
    lines = table.lines()

    def value_of(p: Position, assign: dict[Position, int]) -> int | None:
        if p in table.suppressed:
            return assign.get(p)
        return table.values[p[0]][p[1]]

    def solve(assign: dict[Position, int]) -> bool:
        assign = dict(assign)
        progress = True
        while progress:
            progress = False
            for line in lines:
                coefs = [1] * (len(line) - 1) + [-1]
                residual = 0
                open_ = []
                for p, k in zip(line, coefs, strict=True):
                    v = value_of(p, assign)
                    if v is None:
                        open_.append((p, k))
                    else:
                        residual += k * v
                if not open_:
                    if residual != 0:
                        return False
                elif len(open_) == 1:
                    p, k = open_[0]
                    v = -residual * k
                    if v not in domains[p]:
                        return False
                    assign[p] = v
                    progress = True
                else:
                    # Bound: cells are positive, so the known total caps the open cells' sum.
                    total = line[-1]
                    if value_of(total, assign) is not None:
                        open_cells = [p for p, k in open_ if k == 1]
                        if residual + sum(domains[p][0] for p in open_cells) > 0:
                            return False
        free = [p for p in table.suppressed if p not in assign]
        if not free:
            return True
        p = min(free, key=lambda q: len(domains[q]))
        return any(solve({**assign, p: v}) for v in domains[p])

    return solve(fixed)


def _derivable(table: ControlledTable) -> list[Position]:
    """Primary cells whose value is the only one consistent with the published table."""
    exposed = []
    for p in table.primary:
        true = table.values[p[0]][p[1]]
        others = [v for v in range(1, table.limit) if v != true]
        if not any(_feasible(table, {p: v}) for v in others):
            exposed.append(p)
    return exposed


counts = st.integers(min_value=0, max_value=14)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(1, 3).flatmap(
        lambda rows: st.integers(1, 3).flatmap(
            lambda cols: st.lists(
                st.lists(counts, min_size=cols, max_size=cols), min_size=rows, max_size=rows
            )
        )
    ),
    st.sampled_from([3, 5, 6]),
)
def test_no_suppressed_value_can_be_derived_from_the_margins(
    cells: list[list[int]], limit: int
) -> None:
    table = control_table(cells, limit=limit)
    if not table.withheld:
        assert _derivable(table) == []
    for r, row in enumerate(table.values):
        for c, value in enumerate(row):
            text = table.text(r, c)
            if value == 0:
                assert text == "0"  # zeros stay zeros
            if 0 < value < limit:
                assert text == f"<{limit}"
            assert text not in {str(n) for n in range(1, limit)}


@settings(max_examples=300, deadline=None)
@given(st.lists(counts, min_size=1, max_size=9), st.sampled_from([3, 5]))
def test_a_breakdown_never_gives_away_a_small_count(values: list[int], limit: int) -> None:
    table = control_breakdown(values, limit=limit)
    if not table.withheld:
        assert _derivable(table) == []


def test_single_small_cell_takes_a_second_cell_with_it() -> None:
    table = control_breakdown([3, 10, 20], limit=5)
    assert [table.text(0, c) for c in range(4)] == ["<5", "*", "20", "33"]


def test_two_small_cells_at_the_extreme_of_their_sum_are_protected() -> None:
    # 4 + 4 = 8 with both "<5": each must be 4, so a third cell is hidden too.
    table = control_breakdown([4, 4, 20], limit=5)
    assert table.is_suppressed(0, 2)


def test_zeros_and_large_counts_are_shown() -> None:
    table = control_breakdown([0, 12, 7], limit=5)
    assert [table.text(0, c) for c in range(4)] == ["0", "12", "7", "19"]
    assert count_text(0) == "0"
    assert count_text(4) == "<5"
    assert count_text(5) == "5"
    assert percent_text(40.0, suppressed=True) == "*"
