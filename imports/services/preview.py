"""Upload, column mapping and the preview: every row checked, nothing imported."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from audit.models import AccessEvent
from audit.services import access_event_record
from cases import permissions as case_permissions
from cases.models import (
    YoungPerson,
)
from cases.selectors import young_people_duplicates
from imports.fields import guess_columns
from imports.models import ColumnMapping, ImportBatch, ImportRow
from imports.reading import read_rows
from imports.services.common import (
    CHUNK,
    ERROR_DOB_FUTURE,
    ERROR_LIKELY_MATCH,
    ERROR_SEX_FOR_NEW,
    MODELS,
    RECORD_TYPES,
    _parse_row,
    _require,
    _split,
    cell_text,
)

if TYPE_CHECKING:
    from accounts.models import User

# --- Upload and mapping ------------------------------------------------------------------


def batch_upload(
    *, actor: User, file: UploadedFile, kind: str, mapping: ColumnMapping | None = None
) -> ImportBatch:
    """Keep the file, read its headings and propose a mapping (the saved one, or by name)."""
    _require(actor)
    assert actor.agency_id is not None  # noqa: S101 managers have an agency (_require)
    headings, _rows = read_rows(file, file.name or "")
    file.seek(0)
    if mapping is not None and (mapping.agency_id != actor.agency_id or mapping.kind != kind):
        raise PermissionDenied
    columns = guess_columns(kind, headings)
    if mapping is not None:
        columns |= {f: h for f, h in mapping.columns.items() if h in headings}
    batch = ImportBatch(
        agency_id=actor.agency_id,
        kind=kind,
        filename=(file.name or "upload")[:200],
        headings=headings,
        columns=columns,
        created_by=actor,
    )
    batch.file.save(f"{kind}.{(file.name or 'x.csv').rsplit('.', 1)[-1]}", file, save=False)
    batch.save()
    access_event_record(actor=actor, action=AccessEvent.Action.OTHER, instance=batch)
    return batch


def mapping_save(*, actor: User, kind: str, name: str, columns: dict[str, str]) -> ColumnMapping:
    """Save (or replace) a named mapping for the agency, to reuse with the next file."""
    _require(actor)
    mapping, _created = ColumnMapping.objects.update_or_create(
        agency_id=actor.agency_id,
        kind=kind,
        name=name.strip()[:100],
        defaults={"columns": columns, "created_by": actor},
    )
    return mapping


# --- Checking every row (the preview) ----------------------------------------------------


def _domain_errors(kind: str, person: dict[str, Any], record: dict[str, Any]) -> dict[str, str]:
    """The services' own rules, run on unsaved objects so the preview shows them."""
    if person["date_of_birth"] >= timezone.localdate():
        return {"date_of_birth": ERROR_DOB_FUTURE}
    young_person = YoungPerson(**person)
    instance = MODELS[kind](
        young_person=young_person, **{k: v for k, v in record.items() if k != "external_ref"}
    )
    try:
        RECORD_TYPES[kind].validate(instance)
    except ValidationError as error:
        return {field: "; ".join(messages) for field, messages in error.message_dict.items()}
    return {}


PersonKey = tuple[str, str, dt.date]


class _People:
    """The duplicate check, once per (name, date of birth) in a batch, a chunk at a time."""

    def __init__(self, actor: User) -> None:
        self.actor = actor
        self.seen: dict[PersonKey, tuple[int | None, str]] = {}

    @staticmethod
    def key(person: dict[str, Any]) -> PersonKey:
        return (person["first_name"].lower(), person["last_name"].lower(), person["date_of_birth"])

    def prime(self, people: list[dict[str, Any]]) -> None:
        """Check every name of a chunk not checked yet, in one call of the duplicate check."""
        asked = {
            self.key(person): (person["first_name"], person["last_name"], person["date_of_birth"])
            for person in people
            if self.key(person) not in self.seen
        }
        found = young_people_duplicates(user=self.actor, people=asked.values(), names_only=True)
        for key, spelled in asked.items():
            candidates = found[spelled]
            exact = [
                c.young_person
                for c in candidates
                if c.young_person is not None
                and (c.young_person.first_name.lower(), c.young_person.last_name.lower()) == key[:2]
            ]
            if len(exact) == 1:
                self.seen[key] = (exact[0].pk, "")
            elif candidates:
                agencies = ", ".join(sorted({c.agency_name for c in candidates}))
                self.seen[key] = (None, ERROR_LIKELY_MATCH.format(agencies=agencies))
            else:
                self.seen[key] = (None, "")

    def match(self, person: dict[str, Any]) -> tuple[int | None, str]:
        """(young person id to link, or None) and a reason when a decision is needed."""
        if self.key(person) not in self.seen:
            self.prime([person])
        return self.seen[self.key(person)]


def batch_check(*, actor: User, batch: ImportBatch, columns: dict[str, str]) -> ImportBatch:
    """Read every row with the mapping, validate it, match its young person; keep the
    result per row (errors keyed by the column that caused them). Nothing is imported."""
    _require(actor, batch)
    columns = {f: h for f, h in columns.items() if h in batch.headings}
    people = _People(actor)
    with transaction.atomic():
        batch.rows.all().delete()
        total = valid = 0
        for chunk in _checked_chunks(batch, columns, people):
            ImportRow.objects.bulk_create(chunk)
            total += len(chunk)
            valid += sum(row.status == ImportRow.Status.VALID for row in chunk)
        batch.columns = columns
        batch.total_rows, batch.valid_rows = total, valid
        batch.status = ImportBatch.Status.PREVIEWED
        batch.save()
    return batch


def _checked_chunks(
    batch: ImportBatch, columns: dict[str, str], people: _People
) -> Iterator[list[ImportRow]]:
    """The file's rows checked, CHUNK at a time (the duplicate check asks once per chunk)."""
    chunk: list[tuple[ImportRow, dict[str, Any] | None]] = []
    for row, person in _parsed_rows(batch, columns):
        chunk.append((row, person))
        if len(chunk) == CHUNK:
            yield _matched(chunk, columns, people)
            chunk = []
    if chunk:
        yield _matched(chunk, columns, people)


def _parsed_rows(
    batch: ImportBatch, columns: dict[str, str]
) -> Iterator[tuple[ImportRow, dict[str, Any] | None]]:
    """Each row with its errors, and its young person's values when it has none."""
    headings = batch.headings
    heading_of = dict(columns)  # errors are shown next to the column that caused them
    with batch.file.open("rb") as handle:
        _headings, rows = read_rows(handle, batch.file.name)
        for number, raw in enumerate(rows, start=2):
            if not any(cell not in (None, "") for cell in raw):
                continue  # blank lines are not rows
            cells = {h: cell_text(raw[i]) if i < len(raw) else "" for i, h in enumerate(headings)}
            values, errors = _parse_row(batch.kind, columns, cells)
            row = ImportRow(batch=batch, number=number, cells=cells)
            if not errors:
                person, record = _split(batch.kind, values)
                errors = {
                    heading_of.get(field, field): message
                    for field, message in _domain_errors(batch.kind, person, record).items()
                }
                if not errors:
                    yield row, person
                    continue
            row.errors, row.status = errors, ImportRow.Status.INVALID
            yield row, None


def _matched(
    chunk: list[tuple[ImportRow, dict[str, Any] | None]],
    columns: dict[str, str],
    people: _People,
) -> list[ImportRow]:
    """The chunk's valid rows matched to young people: linked, new, or for a decision."""
    people.prime([person for _row, person in chunk if person is not None])
    for row, person in chunk:
        if person is None:
            continue
        row.young_person_id, reason = people.match(person)
        if reason:
            row.status, row.errors = ImportRow.Status.DECIDE, {"row": reason}
        elif row.young_person_id is None and not person.get("sex"):
            row.status = ImportRow.Status.INVALID
            row.errors = {columns.get("sex", "Sex"): ERROR_SEX_FOR_NEW}
        else:
            row.status, row.errors = ImportRow.Status.VALID, {}
    return [row for row, _person in chunk]


def row_decide(*, actor: User, row: ImportRow, young_person: YoungPerson | None) -> ImportRow:
    """A manager's decision on a likely match: link to this young person (one they can see),
    or import as a new young person. The row is then ready to import."""
    _require(actor, row.batch)
    if row.status != ImportRow.Status.DECIDE:
        return row
    if young_person is not None:
        young_person = case_permissions.young_person_policy.get_for_user_or_404(
            actor, young_person.pk
        )
        row.young_person_id = young_person.pk
    values, _errors = _parse_row(row.batch.kind, row.batch.columns, row.cells)
    if young_person is None and not values.get("sex"):
        row.status, row.errors = ImportRow.Status.INVALID, {"row": ERROR_SEX_FOR_NEW}
    else:
        row.status, row.errors = ImportRow.Status.VALID, {}
    row.save(update_fields=["young_person_id", "status", "errors"])
    ImportBatch.objects.filter(pk=row.batch_id).update(
        valid_rows=ImportRow.objects.filter(batch_id=row.batch_id, status="valid").count()
    )
    return row
