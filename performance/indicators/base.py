"""The shapes every indicator module shares: its definition, its published figures and
tables, and the declared structure that disclosure control works from.

Structure, stated by each indicator next to its definition:
- which figures and tables are counts of people (``people``): only those are suppressed;
- which published numbers are the same quantity (``cell``): a total printed in N1 and N2,
  the shared total of four equality tables, a headline that repeats a table row;
- which figures are sums of which cells (``Relation``) and which unpublished counts a reader
  can work out as a difference (``Complement``: returned minus satisfied).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from cases import models as cm

AGE_BANDS = ("Under 8", "8-12", "13-15", "16-17", "18 or over")
EQUALITY_DIMENSIONS = ("sex", "age_band", "looked_after", "ethnicity")
EQUALITY_TITLES = {
    "sex": "Sex",
    "age_band": "Age band",
    "looked_after": "Looked-after status",
    "ethnicity": "Ethnicity",
}


@dataclass(frozen=True)
class Indicator:
    id: str
    title: str
    definition: str
    version: str
    about_young_people: bool = False


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: int | float | None
    kind: str = "count"  # "count" or "percent"
    # For a percentage: the keys of the counts it is built on (numerator, denominator), so
    # disclosure control can suppress it when either count is suppressed.
    based_on: tuple[str, ...] = ()
    # A count of people (children, victims, offenders, carers, episodes of a child) is
    # disclosure-controlled; meetings, milestones, schools, venues, sessions are not.
    people: bool = True
    # The quantity published: two figures (or a figure and a table cell) with one cell name
    # print one number, so suppressing it in one place suppresses it everywhere.
    cell: str = ""


@dataclass(frozen=True)
class Table:
    """A one-way breakdown of a count; its rows add up to `total`."""

    key: str
    title: str
    dimension: str
    rows: tuple[tuple[str, int], ...]
    total: int
    equality: bool = False
    people: bool = True
    total_cell: str = ""  # the quantity of the total (shared with a figure or another table)
    row_prefix: str = ""  # row cells are "<row_prefix>.<label>"; tables sharing it share rows


@dataclass(frozen=True)
class Relation:
    """A published identity: `parent` = the sum of `children` (cell names)."""

    parent: str
    children: tuple[str, ...]


@dataclass(frozen=True)
class Complement:
    """A count that is never printed but that a reader gets by subtraction: whole - part."""

    cell: str
    whole: str
    part: str
    label: str


@dataclass
class IndicatorResult:
    id: str
    title: str
    definition: str
    version: str
    period: str
    about_young_people: bool
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    sums: list[Relation] = field(default_factory=list)
    complements: list[Complement] = field(default_factory=list)

    @property
    def headline(self) -> Figure:
        return self.figures[0]

    def figure(self, key: str) -> Figure:
        return next(f for f in self.figures if f.key == key)

    def figure_cell(self, figure: Figure) -> str:
        return figure.cell or f"{self.id}.{figure.key}"

    def table_total_cell(self, table: Table) -> str:
        return table.total_cell or f"{self.id}.{table.key}.total"

    def table_row_cell(self, table: Table, label: str) -> str:
        return f"{table.row_prefix or f'{self.id}.{table.key}'}.{label}"

    def cell_of(self, key: str) -> str:
        """The cell of one of this indicator's figures, by figure key."""
        return self.figure_cell(self.figure(key))

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["tables"] = [
            {**asdict(t), "rows": [{"label": label, "count": n} for label, n in t.rows]}
            for t in self.tables
        ]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "IndicatorResult":
        """The inverse of `as_dict` (a stored row back into the result it was made from)."""
        scalars = {k: v for k, v in data.items() if k not in _NESTED}
        return cls(
            **scalars,
            figures=[Figure(**{**f, "based_on": tuple(f["based_on"])}) for f in data["figures"]],
            tables=[
                Table(**{**t, "rows": tuple((r["label"], r["count"]) for r in t["rows"])})
                for t in data["tables"]
            ],
            sums=[Relation(r["parent"], tuple(r["children"])) for r in data["sums"]],
            complements=[Complement(**c) for c in data["complements"]],
        )


_NESTED = ("figures", "tables", "sums", "complements")


def percent(numerator: int, denominator: int | None) -> float | None:
    if not denominator:
        return None
    return round(100 * numerator / denominator, 1)


def equality_tables(
    groups: Iterable[dict[str, Any]], measure: str, total: int, *, total_cell: str
) -> list[Table]:
    """Sum the per-group counts of one measure over each equality dimension. The four tables
    share one total (`total_cell`): the number of young people the measure counts."""
    labels: dict[str, dict[Any, str]] = {
        "sex": dict(cm.Sex.choices),
        "ethnicity": dict(cm.Ethnicity.choices),
        "looked_after": {True: "Looked after", False: "Not looked after"},
        "age_band": {band: band for band in AGE_BANDS},
    }
    groups = list(groups)
    tables = []
    for dimension in EQUALITY_DIMENSIONS:
        sums: dict[str, int] = defaultdict(int)
        for group in groups:  # aggregated groups (at most a few hundred), not rows
            sums[labels[dimension].get(group[dimension], str(group[dimension]))] += group[measure]
        rows = tuple((label, sums.get(label, 0)) for label in labels[dimension].values())
        tables.append(
            Table(
                key=f"{measure}_{dimension}",
                title=f"{EQUALITY_TITLES[dimension]}",
                dimension=EQUALITY_TITLES[dimension],
                rows=rows,
                total=total,
                equality=True,
                total_cell=total_cell,
            )
        )
    return tables
