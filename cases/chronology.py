"""A young person's chronology, built from registered sources.

``cases`` knows only its own records. Every other app that holds events about a young person
(MAOG allegations and intelligence, for example) registers a source here from its
``AppConfig.ready``, so the chronology never imports the apps that feed it (the arrows point
at ``cases``, never out of it). A source answers only what the user may see: it must start
from its own app's permissions, in a constant number of queries.

Two kinds of source. A ``RecordSource`` hands over querysets (already limited to what the user
may see) and says which of its columns fill the chronology's common row (``COLUMNS``); the
records of every such source are read in ONE statement (a ``UNION ALL``), as plain rows, and
each row is turned into events in Python. A plain callable returning events also works (for a
source that cannot be written as a queryset), at the cost of its own queries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from django.core.exceptions import EmptyResultSet, ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections, models, router
from django.db.models import F, QuerySet, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone

from cases.models import (
    YoungPerson,
)

if TYPE_CHECKING:  # only the type: the user model is moving between apps
    from accounts.models import User


@dataclass
class ChronologyEvent:
    at: dt.datetime
    kind: str
    title: str
    detail: str
    agency: str
    significant: bool
    url: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


class ChronologySource(Protocol):
    def __call__(self, *, user: User, young_person: YoungPerson) -> Iterable[ChronologyEvent]: ...


# The common row every record source fills (a column it does not use is a typed NULL, so the
# UNION ALL's column types agree on PostgreSQL whatever the order of its branches).
COLUMNS: dict[str, models.Field[Any, Any]] = {
    "date_1": models.DateField(),
    "date_2": models.DateField(),
    "date_3": models.DateField(),
    "time_1": models.DateTimeField(),
    "time_2": models.DateTimeField(),
    "time_3": models.DateTimeField(),
    "text_1": models.TextField(),
    "text_2": models.TextField(),
    "text_3": models.TextField(),
    "text_4": models.TextField(),
    "text_5": models.TextField(),
    "number": models.DecimalField(max_digits=12, decimal_places=2),
    "flag": models.BooleanField(null=True),
    "agency": models.TextField(),
    "agency_2": models.TextField(),
}


# What a kind's ``events`` gets to address pages: ``urls("app:name")(pk)`` is a detail page.
Urls = Callable[[str], Callable[[int], str]]


class Row(NamedTuple):
    """One record as read: the source's tag and the record's id, then ``COLUMNS``. A
    column holds what its kind of record put there (a date, a time, text, NULL), so ``Any``:
    each kind's ``events`` knows which of its columns can be empty."""

    tag: str
    pk: int
    date_1: Any
    date_2: Any
    date_3: Any
    time_1: Any
    time_2: Any
    time_3: Any
    text_1: Any
    text_2: Any
    text_3: Any
    text_4: Any
    text_5: Any
    number: Any
    flag: Any
    agency: Any
    agency_2: Any

    def event(
        self,
        at: dt.date | None,
        kind: str,
        title: str,
        detail: str = "",
        *,
        significant: bool = False,
        url: str = "",
    ) -> ChronologyEvent | None:
        """One event of this record (a record can make several): the agency is the row's. A
        record dated to the day is placed at its midnight; a step the record has not reached
        (no date: not yet located, no outcome yet) is no event."""
        if at is None:
            return None
        return ChronologyEvent(
            at=at if isinstance(at, dt.datetime) else day(at),
            kind=kind,
            title=title,
            detail=detail,
            agency=self.agency,
            significant=significant,
            url=url,
        )


assert Row._fields[2:] == tuple(COLUMNS)  # noqa: S101 - the two lists must not drift


@dataclass(frozen=True)
class RecordKind:
    """One kind of record in a record source: which of its fields (paths or expressions)
    fill which common columns, and how one row becomes events. ``events`` receives the row
    and a ``urls`` helper (``urls("app:name")(pk)``: a detail page's address); a None among
    the events (``Row.event`` of a step the record has not reached) is left out."""

    columns: Mapping[str, str | Combinable]
    events: Callable[[Row, Urls], Iterable[ChronologyEvent | None]]


@dataclass(frozen=True)
class RecordSource:
    """A source read in the chronology's one statement: ``visible`` answers, for a user and a
    young person, a queryset per kind (only what the user may see; a kind left out is not
    read at all, e.g. intelligence for someone outside the MAOG)."""

    kinds: Mapping[str, RecordKind]
    visible: Callable[..., Mapping[str, QuerySet[Any]]]


# Ordered: sources registered first come first among events at the same moment (the sort
# below is stable), so the young person's own records lead.
_SOURCES: dict[str, ChronologySource | RecordSource] = {}


def register(name: str) -> Callable[[ChronologySource], ChronologySource]:
    """Register a chronology source under a unique name (decorator). Registering the same
    name again replaces the source, so a re-imported module does not double its events."""

    def decorator(source: ChronologySource) -> ChronologySource:
        _SOURCES[name] = source
        return source

    return decorator


def register_records(name: str, source: RecordSource) -> RecordSource:
    """Register a record source (read in the chronology's one statement) under a unique
    name; as ``register``, the same name again replaces it."""
    _SOURCES[name] = source
    return source


def registered_sources() -> dict[str, ChronologySource | RecordSource]:
    return dict(_SOURCES)


def day(value: dt.date) -> dt.datetime:
    """Midnight (local time) of a day, for records dated to the day only."""
    return timezone.make_aware(dt.datetime.combine(value, dt.time.min))


def _shaped(
    queryset: QuerySet[Any], tag: str, columns: Mapping[str, str | Combinable], *, first: bool
) -> Any:
    """The queryset as the common row: its tag, its id, the named columns, NULL elsewhere.

    Only the first branch casts its NULLs: PostgreSQL types a UNION's columns pair by pair
    from the left, so an untyped NULL in a later branch takes the first branch's type (two
    untyped NULLs first would make a text column that a later date cannot join). Casting
    every column of every branch cost more to build than the statement takes to run."""
    unknown = set(columns) - set(COLUMNS)
    if unknown:
        raise ValueError(f"Not chronology columns: {sorted(unknown)}")
    selected: dict[str, Any] = {
        "chron_tag": Value(tag, output_field=models.TextField()),
        "chron_pk": F("pk"),
    }
    for name, output in COLUMNS.items():
        given = columns.get(name)
        if given is not None:
            expression = F(given) if isinstance(given, str) else given
            selected[f"chron_{name}"] = Cast(expression, output) if first else expression
        else:
            selected[f"chron_{name}"] = (
                Cast(Value(None), output) if first else Value(None, output_field=output)
            )
    # No ordering inside a branch: a compound statement orders as a whole (and SQLite
    # refuses an ORDER BY in a branch); the events are sorted by time below.
    return queryset.order_by().annotate(**selected).values_list(*selected)


def _url_maker() -> Urls:
    """``reverse`` once per URL name and request, then the id put in by string joining:
    hundreds of events would otherwise pay a full reverse each."""
    sentinel = 987654321

    @cache
    def maker(name: str) -> Callable[[int], str]:
        before, _, after = reverse(name, args=[sentinel]).partition(str(sentinel))
        return lambda pk: f"{before}{pk}{after}"

    return maker


# The young person's id in a statement compiled once for a user (see ``_statement``): no
# record has a negative id, so a parameter equal to it can only be the young person's.
_YOUNG_PERSON_SLOT = -(2**31) + 7
_STATEMENTS: dict[tuple[Any, ...], _Statement | None] = {}
_STATEMENTS_KEPT = 512


@dataclass(frozen=True)
class _Statement:
    sql: str
    params: tuple[Any, ...]
    slots: tuple[int, ...]  # the positions of the young person's id among the params
    order: dict[str, int]  # branch tag -> position, for a stable order among equal times
    handlers: dict[str, tuple[str, RecordKind]]  # branch tag -> (source name, kind)
    converters: list[tuple[int, list[Any], Any]]  # (column, converters, expression)


def _statement(user: User, alias: str) -> _Statement | None:
    """The one statement that reads every record source for this user, with the young
    person's id left as a slot; None when the user may see no record at all.

    Building and compiling the querysets (seven branches, each with its permission
    predicate) took longer than the statement takes to run, on every view. The SQL depends
    on the user only through what the permission code branches on (the user, whether active,
    the agency, its group, the roles) and on which sources are registered: all of that is
    the key, so a change of role or agency compiles afresh, and grants are read by the
    statement itself. The young person is only ever a filter value, put in per view."""
    connection = connections[alias]
    key = (
        alias,
        connection.vendor,
        user.pk,
        user.is_active,
        user.agency_id,
        getattr(getattr(user, "agency", None), "group_id", None),
        frozenset(user.role_names()),
        tuple((name, id(source)) for name, source in _SOURCES.items()),
    )
    if key in _STATEMENTS:
        return _STATEMENTS[key]
    slot = YoungPerson(pk=_YOUNG_PERSON_SLOT)
    branches: list[Any] = []
    handlers: dict[str, tuple[str, RecordKind]] = {}
    order: dict[str, int] = {}
    for name, source in _SOURCES.items():
        if isinstance(source, RecordSource):
            for kind, queryset in source.visible(user=user, young_person=slot).items():
                tag = f"{name}.{kind}"
                handlers[tag] = (name, source.kinds[kind])
                order[tag] = len(order)
                branches.append(
                    _shaped(queryset, tag, source.kinds[kind].columns, first=not branches)
                )
    statement: _Statement | None = None
    if branches:
        combined = branches[0].union(*branches[1:], all=True) if len(branches) > 1 else branches[0]
        compiler = combined.query.get_compiler(using=alias)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:  # every branch is empty for this user (none())
            sql = ""
        if sql:
            slots = tuple(i for i, value in enumerate(params) if value == _YOUNG_PERSON_SLOT)
            if len(slots) < len(branches):
                # A branch that does not filter by the young person would list other
                # children's records: refuse rather than show them.
                raise ImproperlyConfigured(
                    "Every chronology record source must filter by the young person"
                )
            columns = [expression for expression, _, _ in compiler.select[: compiler.col_count]]
            converters = [
                (index, functions, expression)
                for index, (functions, expression) in compiler.get_converters(columns).items()
            ]
            statement = _Statement(sql, tuple(params), slots, order, handlers, converters)
    if len(_STATEMENTS) >= _STATEMENTS_KEPT:
        _STATEMENTS.clear()
    _STATEMENTS[key] = statement
    return statement


def _record_rows(user: User, young_person: YoungPerson) -> tuple[_Statement | None, list[Row]]:
    """Every record source's visible records about the young person, in one statement."""
    alias = router.db_for_read(YoungPerson) or DEFAULT_DB_ALIAS
    statement = _statement(user, alias)
    if statement is None:
        return None, []
    params = list(statement.params)
    for index in statement.slots:
        params[index] = young_person.pk
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, params)
        fetched = cursor.fetchall()
    if statement.converters:  # SQLite: dates, times, decimals and booleans come as text
        converted = []
        for values in fetched:
            values = list(values)
            for index, functions, expression in statement.converters:
                for function in functions:
                    values[index] = function(values[index], expression, connection)
            converted.append(values)
        fetched = converted
    order = statement.order
    # In branch order, then by id: records at the same moment keep one order whatever order
    # the UNION ALL returns its rows in (it promises none).
    fetched.sort(key=lambda values: (order[values[0]], values[1]))
    return statement, [Row._make(values) for values in fetched]


def young_person_chronology(*, user: User, young_person: YoungPerson) -> list[ChronologyEvent]:
    """Every event from every registered source the user may see, oldest first.

    The records of every record source are read in one statement; a plain source runs its
    own constant number of queries, so the count does not grow with the number of events.
    """
    statement, rows = _record_rows(user, young_person)
    rows_by_source: dict[str, list[Row]] = {}
    for row in rows:
        rows_by_source.setdefault(statement.handlers[row.tag][0], []).append(row)  # type: ignore[union-attr]
    urls = _url_maker()
    events: list[ChronologyEvent] = []
    for name, source in _SOURCES.items():
        if isinstance(source, RecordSource):
            for row in rows_by_source.get(name, ()):
                made = statement.handlers[row.tag][1].events(row, urls)  # type: ignore[union-attr]
                events.extend(event for event in made if event is not None)
        else:
            events.extend(source(user=user, young_person=young_person))
    events.sort(key=lambda event: event.at)
    return events


@cache
def choice_labels(model: type[models.Model], field_name: str) -> dict[Any, str]:
    """A field's choices as {value: label}, what ``get_FOO_display`` shows (value if none)."""
    field = model._meta.get_field(field_name)
    assert isinstance(field, models.Field)  # noqa: S101 - a column, not a relation
    return {value: str(label) for value, label in field.flatchoices}


def label(model: type[models.Model], field_name: str, value: Any) -> str:
    return choice_labels(model, field_name).get(value, str(value))


# The young person's own records register first (see chronology_records): imported last,
# once every name above exists, because that module builds on them.
from cases import chronology_records  # noqa: E402, F401
