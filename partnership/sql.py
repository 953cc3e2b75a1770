"""SQL helpers shared by the apps' selectors."""

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import connection
from django.db.models import QuerySet, Value

AggregatePart = tuple[QuerySet, Mapping[str, Any]]


def aggregates_in_one_statement(parts: Sequence[AggregatePart]) -> list[dict[str, Any]]:
    """Single-row aggregates over several tables in one SELECT: one round trip instead of one
    per table (the indicators read nine tables). Each part is (queryset, {name: aggregate});
    the result is one {name: value} dict per part, in order."""
    if not parts:
        return []
    selects: list[str] = []
    params: list[Any] = []
    names: list[tuple[int, str]] = []
    for index, (queryset, aggregates) in enumerate(parts):
        aliases = {
            f"p{index}c{position}": aggregate
            for position, aggregate in enumerate(aggregates.values())
        }
        names += [(index, name) for name in aggregates]
        # A constant "group" with no GROUP BY left: exactly one row, even for an empty table.
        sql, part_params = (
            queryset.order_by()
            .annotate(_cse_one=Value(1))
            .values("_cse_one")
            .annotate(**aliases)
            .values(*aliases)
            .query.sql_with_params()
        )
        selects.append(f"({sql}) AS part{index}")
        params += part_params
    # The parts are compiled querysets with their parameters bound: nothing typed is spliced.
    statement = "SELECT * FROM " + " CROSS JOIN ".join(selects)  # noqa: S608  # nosec B608
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        row = cursor.fetchone()
    results: list[dict[str, Any]] = [{} for _ in parts]
    for (index, name), value in zip(names, row, strict=True):
        results[index][name] = value
    return results
