"""List pages read through statements compiled once per user and list shape.

Building and compiling a list's querysets (the permission predicate, its split count parts,
the joins) took as long as running them, on every view: about half of a list page's time at
scale (bench/). The SQL depends on the user only through what the permission code branches
on (the user, whether active, the agency, its group, the roles), on the filters and sort
chosen, on the count cap and on the day (the "active marker" annotation compares with
today): all of that is the key, so a change of role or agency compiles afresh, while grants
and shares are read by the statement itself on every run. The same reasoning as the
chronology's one statement (cases/chronology.py).

Rows come back as ListRow dicts of the values the page shows, never model instances: the
page shows a few columns of 25 rows, and building a model and three related ones per row
cost more than fetching them.
"""

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, overload

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections, router
from django.db.models import Model, QuerySet
from django.utils import timezone

from accounts.models import User

_STATEMENTS: dict[tuple[Any, ...], "CompiledList"] = {}
_STATEMENTS_KEPT = 512


class ListRow(dict[str, Any]):
    """One row of a list page: the shown values by name (templates look names up as keys)."""

    @property
    def pk(self) -> Any:
        return self["pk"]


@cache
def _choices(model: type[Model], field_name: str) -> dict[Any, Any]:
    return dict(model._meta.get_field(field_name).flatchoices)  # type: ignore[union-attr]


def choice_label(model: type[Model], field_name: str, value: Any) -> Any:
    """What get_FOO_display() shows, without building the choices' dict per call: the
    choice's label, else the value itself."""
    return _choices(model, field_name).get(value, value)


@dataclass(frozen=True)
class CompiledList:
    alias: str
    count_sql: str  # "" when no part can hold a row
    count_params: tuple[Any, ...]
    page_sql: str  # "" when the list is empty whatever the grants
    page_params: tuple[Any, ...]
    names: tuple[str, ...]
    converters: tuple[tuple[int, tuple[Any, ...], Any], ...]


def count_statement(
    parts: list[QuerySet[Any]], cap: int | None, alias: str
) -> tuple[str, list[Any]]:
    """Sum of the counts of disjoint querysets in one statement. With `cap`, each part stops
    counting after cap + 1 rows, and the other parts are not counted once the first is over
    the cap: a result above `cap` means "more than cap"."""
    compiled = []
    for part in parts:
        rows = part.order_by().values("pk")
        try:
            sql, params = (rows[: cap + 1] if cap else rows).query.get_compiler(alias).as_sql()
        except EmptyResultSet:  # a part the policy made none(): it counts nothing
            continue
        compiled.append((sql, params))
    if not compiled:
        return "", []
    if not cap or len(compiled) == 1:
        return f"SELECT {_sum_of_counts(compiled)}", [p for _, ps in compiled for p in ps]
    # Capped: when the first part (the agency's own rows, the largest) is already over the
    # cap, the answer is "more than cap" and the other parts are not counted. Each other
    # part is an uncorrelated scalar subquery, which PostgreSQL runs only when the ELSE
    # branch needs it (bench/: at 180,000 visible episodes, 1.9 ms instead of 15.7).
    (first_sql, first_params), rest = compiled[0], compiled[1:]
    statement = (
        "SELECT CASE WHEN part0.n > %s THEN part0.n"  # noqa: S608  # nosec B608 - compiled querysets, parameters bound
        f" ELSE part0.n + {_sum_of_counts(rest, start=1)} END"
        f" FROM (SELECT COUNT(*) AS n FROM ({first_sql}) AS counted) AS part0"
    )
    return statement, [cap, *(p for _, ps in rest for p in ps), *first_params]


def _sum_of_counts(compiled: list[tuple[str, Any]], start: int = 0) -> str:
    return " + ".join(
        f"(SELECT COUNT(*) FROM ({sql}) AS part{i})"  # noqa: S608  # nosec B608 - compiled querysets, parameters bound
        for i, (sql, _) in enumerate(compiled, start=start)
    )


def _compile(
    rows: QuerySet[Any], parts: list[QuerySet[Any]], cap: int | None, alias: str
) -> CompiledList:
    count_sql, count_params = count_statement(parts, cap, alias)
    compiler = rows.query.get_compiler(alias)
    try:
        page_sql, page_params = compiler.as_sql()
    except EmptyResultSet:  # the policy gave none(): nothing to list
        page_sql, page_params = "", ()
    query = rows.query
    # The columns in the order the SQL selects them: since Django 5.2 that is the order of
    # values()' arguments (query.selected), not fields first and annotations after.
    names = (
        tuple(query.selected)
        if query.selected
        else (*query.extra_select, *query.values_select, *query.annotation_select)
    )
    converters: tuple[tuple[int, tuple[Any, ...], Any], ...] = ()
    if page_sql:
        columns = [column for column, _, _ in compiler.select]
        converters = tuple(
            (index, tuple(functions), expression)
            for index, (functions, expression) in compiler.get_converters(columns).items()
        )
        page_sql += " LIMIT %s OFFSET %s"
    return CompiledList(
        alias, count_sql, tuple(count_params), page_sql, tuple(page_params), names, converters
    )


def user_key(user: User) -> tuple[Hashable, ...]:
    """What the permission policies branch on (see the module's docstring)."""
    return (
        user.pk,
        user.is_active,
        user.agency_id,
        getattr(getattr(user, "agency", None), "group_id", None),
        frozenset(user.role_names()),
    )


def compiled_list(
    *,
    name: str,
    user: User,
    model: type,
    filters: dict[str, Any],
    cap: int | None,
    rows: Callable[[], QuerySet[Any]],
    parts: Callable[[], list[QuerySet[Any]]],
) -> CompiledList:
    """The list's statements for this user and these filters, compiled on first use.
    `rows` is the list's values() queryset (ordered, unsliced), `parts` its disjoint
    count parts; both start from the permission policy."""
    alias = router.db_for_read(model) or DEFAULT_DB_ALIAS
    key = (
        name,
        alias,
        connections[alias].vendor,
        user_key(user),
        tuple(sorted((k, repr(v)) for k, v in filters.items())),
        cap,
        timezone.localdate(),
    )
    statement = _STATEMENTS.get(key)
    if statement is None:
        statement = _compile(rows(), parts(), cap, alias)
        if len(_STATEMENTS) >= _STATEMENTS_KEPT:
            _STATEMENTS.clear()
        _STATEMENTS[key] = statement
    return statement


@dataclass(frozen=True)
class CompiledCount:
    alias: str
    sql: str  # "" when the queryset can hold no row
    params: tuple[Any, ...]


_COUNTS: dict[tuple[Any, ...], CompiledCount] = {}


def compiled_count(*, name: str, user: User, model: type, rows: Callable[[], QuerySet[Any]]) -> int:
    """How many rows ``rows()`` holds, by a statement compiled once per user (see
    ``user_key``): for a count on every page, such as the header's task count, building and
    compiling the queryset cost several times the indexed count it runs. ``rows`` must
    depend on the user only through ``user_key`` (no date, no other argument)."""
    alias = router.db_for_read(model) or DEFAULT_DB_ALIAS
    key = (name, alias, connections[alias].vendor, user_key(user))
    statement = _COUNTS.get(key)
    if statement is None:
        sql, params = count_statement([rows()], None, alias)
        statement = CompiledCount(alias, sql, tuple(params))
        if len(_COUNTS) >= _STATEMENTS_KEPT:
            _COUNTS.clear()
        _COUNTS[key] = statement
    if not statement.sql:
        return 0
    with connections[statement.alias].cursor() as cursor:
        cursor.execute(statement.sql, statement.params)
        return int(cursor.fetchone()[0])


def count(statement: CompiledList) -> int:
    if not statement.count_sql:
        return 0
    with connections[statement.alias].cursor() as cursor:
        cursor.execute(statement.count_sql, statement.count_params)
        return int(cursor.fetchone()[0])


class CompiledRows(Sequence[ListRow]):
    """A list's rows for Django's Paginator: slicing runs the page statement for that slice
    only (Paginator.count is set from the capped count, never len() of this)."""

    def __init__(self, statement: CompiledList, shape: Callable[[ListRow], ListRow]) -> None:
        self.statement = statement
        self.shape = shape

    def __len__(self) -> int:  # only asked when a caller did not set the paginator's count
        return count(self.statement)

    @overload
    def __getitem__(self, index: int) -> ListRow: ...

    @overload
    def __getitem__(self, index: slice) -> list[ListRow]: ...

    def __getitem__(self, index: int | slice) -> ListRow | list[ListRow]:
        if isinstance(index, int):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop
        if index.step not in (None, 1) or stop is None or start < 0 or stop < start:
            raise ValueError("a list page is a plain slice")
        statement = self.statement
        if not statement.page_sql or stop == start:
            return []
        connection = connections[statement.alias]
        with connection.cursor() as cursor:
            cursor.execute(statement.page_sql, (*statement.page_params, stop - start, start))
            fetched = cursor.fetchall()
        names = statement.names
        result = []
        for values in fetched:
            if statement.converters:  # SQLite: dates, times and booleans come as text
                values = list(values)
                for position, functions, expression in statement.converters:
                    for function in functions:
                        values[position] = function(values[position], expression, connection)
            result.append(self.shape(ListRow(zip(names, values, strict=True))))
        return result
