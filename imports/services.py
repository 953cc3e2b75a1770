"""Spreadsheet imports: upload, check every row (preview), commit the valid rows through the
case services, roll a batch back. For agency managers, on their own agency's batches.

Every record is written by the same services as the forms (``api.services.record_put``),
with a reference per row (the file's own reference column, or a digest of the row), so a
re-import finds what the first import made instead of making it twice.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from api.services import record_put, records_by_reference
from audit.models import AccessEvent
from audit.services import access_event_record
from cases import permissions as case_permissions
from cases import services as case_services
from cases.models import CASE_RECORDS, CaseShare, MissingEpisode, Referral, YoungPerson
from cases.selectors import young_person_duplicates
from imports.fields import ERROR_REQUIRED, FIELDS, CellError, guess_columns
from imports.models import ColumnMapping, ImportBatch, ImportRow, Kind
from imports.reading import read_rows
from records.services import EditConflict, RecordType

if TYPE_CHECKING:
    from accounts.models import User

SOURCE = "spreadsheet"
CHUNK = 500
ROLLBACK_WINDOW = dt.timedelta(days=1)
ERROR_LIKELY_MATCH = (
    "A young person with a similar name and this date of birth is already held ({agencies}). "
    "Decide whether this is them before importing this row."
)
ERROR_SEX_FOR_NEW = "Needed for a young person not yet on the portal"
ERROR_DOB_FUTURE = "Date of birth must be in the past"
ERROR_CONFLICT = "A record with this reference exists and has been changed since: not updated."
ERROR_ROLLBACK_LATE = "A batch can be rolled back only within a day of importing it."
ERROR_NOT_COMMITTED = "Only an imported batch can be rolled back."

RECORD_TYPES: dict[str, RecordType[Any]] = {
    Kind.REFERRAL: case_services.REFERRAL,
    Kind.MISSING_EPISODE: case_services.MISSING_EPISODE,
}
MODELS: dict[str, type[Referral] | type[MissingEpisode]] = {
    Kind.REFERRAL: Referral,
    Kind.MISSING_EPISODE: MissingEpisode,
}


def can_import(user: Any) -> bool:
    """Imports are for agency managers, into their own agency."""
    return case_permissions.is_agency_manager(user)


def _require(actor: User, batch: ImportBatch | None = None) -> None:
    if not can_import(actor) or (batch is not None and batch.agency_id != actor.agency_id):
        raise PermissionDenied


def cell_text(cell: Any) -> str:
    """A cell as text the parsers read back (dates in UK order)."""
    if cell is None:
        return ""
    if isinstance(cell, dt.datetime):
        return cell.strftime("%d/%m/%Y %H:%M") if cell.time() != dt.time() else f"{cell:%d/%m/%Y}"
    if isinstance(cell, dt.date):
        return cell.strftime("%d/%m/%Y")
    return str(cell).strip()


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


def _parse_row(
    kind: str, columns: dict[str, str], cells: dict[str, str]
) -> tuple[dict[str, Any], dict[str, str]]:
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for field in FIELDS[kind]:
        heading = columns.get(field.name, "")
        where = heading or field.label
        try:
            value = field.parse(cells.get(heading, "") if heading else "")
        except CellError as error:
            errors[where] = str(error)
            continue
        if field.required and value in ("", None):
            errors[where] = ERROR_REQUIRED if heading else f"Choose the column for {field.label}"
            continue
        if value not in ("", None) or not field.required:
            values[field.name] = value
    return values, errors


def _split(kind: str, values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    person = {f.name: values[f.name] for f in FIELDS[kind] if f.person and f.name in values}
    record = {
        f.name: values[f.name]
        for f in FIELDS[kind]
        if not f.person and f.name in values and values[f.name] not in ("", None)
    }
    return person, record


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


class _People:
    """The duplicate check, once per (name, date of birth) in a batch."""

    def __init__(self, actor: User) -> None:
        self.actor = actor
        self.seen: dict[tuple[str, str, dt.date], tuple[int | None, str]] = {}

    def match(self, person: dict[str, Any]) -> tuple[int | None, str]:
        """(young person id to link, or None) and a reason when a decision is needed."""
        key = (person["first_name"].lower(), person["last_name"].lower(), person["date_of_birth"])
        if key not in self.seen:
            candidates = young_person_duplicates(
                user=self.actor,
                first_name=person["first_name"],
                last_name=person["last_name"],
                date_of_birth=person["date_of_birth"],
            )
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
        return self.seen[key]


def batch_check(*, actor: User, batch: ImportBatch, columns: dict[str, str]) -> ImportBatch:
    """Read every row with the mapping, validate it, match its young person; keep the
    result per row (errors keyed by the column that caused them). Nothing is imported."""
    _require(actor, batch)
    columns = {f: h for f, h in columns.items() if h in batch.headings}
    people = _People(actor)
    with transaction.atomic():
        batch.rows.all().delete()
        total = valid = 0
        for chunk in _chunks(_checked_rows(batch, columns, people)):
            ImportRow.objects.bulk_create(chunk)
            total += len(chunk)
            valid += sum(row.status == ImportRow.Status.VALID for row in chunk)
        batch.columns = columns
        batch.total_rows, batch.valid_rows = total, valid
        batch.status = ImportBatch.Status.PREVIEWED
        batch.save()
    return batch


def _checked_rows(
    batch: ImportBatch, columns: dict[str, str], people: _People
) -> Iterator[ImportRow]:
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
                    row.young_person_id, reason = people.match(person)
                    if reason:
                        row.status, row.errors = ImportRow.Status.DECIDE, {"row": reason}
                        yield row
                        continue
                    if row.young_person_id is None and not person.get("sex"):
                        errors = {heading_of.get("sex", "Sex"): ERROR_SEX_FOR_NEW}
            row.errors = errors
            row.status = ImportRow.Status.INVALID if errors else ImportRow.Status.VALID
            yield row


def _chunks(rows: Iterator[ImportRow]) -> Iterator[list[ImportRow]]:
    chunk: list[ImportRow] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


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


# --- Commit and rollback -----------------------------------------------------------------


def row_reference(row: ImportRow, values: dict[str, Any]) -> str:
    """The row's own reference, or a digest of its cells: the same row imported again is
    found, not made twice."""
    if values.get("external_ref"):
        return str(values["external_ref"])[:100]
    digest = hashlib.sha256(json.dumps(row.cells, sort_keys=True).encode()).hexdigest()
    return f"row:{digest[:40]}"


def batch_commit(*, actor: User, batch: ImportBatch) -> ImportBatch:
    """Import the valid rows, each through the case services with the actor; rows the
    services refuse are kept with the reason. Progress is saved after every chunk."""
    _require(actor, batch)
    if batch.status not in (ImportBatch.Status.PREVIEWED, ImportBatch.Status.COMMITTING):
        return batch
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.COMMITTING)
    record_type, kind = RECORD_TYPES[batch.kind], batch.kind
    new_people: dict[tuple[str, str, dt.date], YoungPerson] = {}
    linked = {
        yp.pk: yp
        for yp in case_permissions.young_person_policy.visible_to(actor).filter(
            pk__in=batch.rows.filter(status="valid", young_person_id__isnull=False).values(
                "young_person_id"
            )
        )
    }
    pending = batch.rows.filter(status=ImportRow.Status.VALID).order_by("number")
    while chunk := list(pending[:CHUNK]):
        parsed = [_row_values(kind, batch.columns, row) for row in chunk]
        # One lookup of the chunk's references instead of one per row (idempotency).
        held = records_by_reference(
            actor=actor,
            record_type=record_type,
            source=SOURCE,
            references=[record["external_ref"] for _person, record in parsed],
        )
        for row, (person, record) in zip(chunk, parsed, strict=True):
            existing = held.get(record["external_ref"])
            _commit_row(actor, record_type, row, person, record, existing, new_people, linked)
        ImportRow.objects.bulk_update(
            chunk, ["status", "errors", "young_person_id", "new_young_person", "record_id"]
        )
        ImportBatch.objects.filter(pk=batch.pk).update(
            done_rows=batch.rows.exclude(status__in=("valid", "invalid", "decide")).count()
        )
    counts = {
        status: batch.rows.filter(status=status).count()
        for status in (ImportRow.Status.CREATED, ImportRow.Status.UNCHANGED)
    }
    batch.refresh_from_db()
    batch.created_records = counts[ImportRow.Status.CREATED]
    batch.unchanged_records = counts[ImportRow.Status.UNCHANGED]
    batch.status = ImportBatch.Status.COMMITTED
    batch.committed_at = timezone.now()
    batch.save()
    access_event_record(
        actor=actor,
        action=AccessEvent.Action.CREATE,
        instance=batch,
        detail={"created": batch.created_records, "unchanged": batch.unchanged_records},
    )
    return batch


def _row_values(
    kind: str, columns: dict[str, str], row: ImportRow
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A checked row's young person and record values, with its source and reference."""
    values, _errors = _parse_row(kind, columns, row.cells)
    person, record = _split(kind, values)
    record["source"], record["external_ref"] = SOURCE, row_reference(row, values)
    return person, record


def _commit_row(
    actor: User,
    record_type: RecordType[Any],
    row: ImportRow,
    person: dict[str, Any],
    record: dict[str, Any],
    existing: Any,
    new_people: dict[tuple[str, str, dt.date], YoungPerson],
    linked: dict[int, YoungPerson],
) -> None:
    # A savepoint only when the row makes a young person (undone if its record is refused):
    # the record services are atomic themselves, so a linked row needs none of its own.
    making = row.young_person_id is None
    try:
        with transaction.atomic() if making else contextlib.nullcontext():
            if row.young_person_id is not None:
                young_person = linked[row.young_person_id]
            else:
                key = (
                    person["first_name"].lower(),
                    person["last_name"].lower(),
                    person["date_of_birth"],
                )
                young_person = new_people.get(key) or case_services.young_person_create(
                    actor=actor, **person
                )
                row.new_young_person = key not in new_people
                new_people[key] = young_person
                row.young_person_id = young_person.pk
            saved, created = record_put(
                actor=actor,
                record_type=record_type,
                young_person=young_person,
                values=record,
                existing=existing,
            )
    except EditConflict:
        row.status, row.errors = ImportRow.Status.FAILED, {"row": ERROR_CONFLICT}
        row.new_young_person = False
        return
    except (ValidationError, PermissionDenied, KeyError) as error:
        message = (
            "; ".join(f"{k}: {', '.join(v)}" for k, v in getattr(error, "message_dict", {}).items())
            or "Refused by the portal's rules"
        )
        row.status, row.errors = ImportRow.Status.FAILED, {"row": message}
        row.new_young_person = False
        return
    row.record_id = saved.pk
    row.status = ImportRow.Status.CREATED if created else ImportRow.Status.UNCHANGED


@transaction.atomic
def batch_rollback(*, actor: User, batch: ImportBatch) -> ImportBatch:
    """Remove exactly what the batch made: its records, and the young people it made when
    nothing else has been recorded about them since. Within a day of the import."""
    _require(actor, batch)
    if batch.status != ImportBatch.Status.COMMITTED or batch.committed_at is None:
        raise ValidationError(ERROR_NOT_COMMITTED)
    if timezone.now() - batch.committed_at > ROLLBACK_WINDOW:
        raise ValidationError(ERROR_ROLLBACK_LATE)
    made = batch.rows.filter(status=ImportRow.Status.CREATED)
    model = MODELS[batch.kind]
    removed = model.objects.filter(
        pk__in=made.values("record_id"), owner_agency_id=actor.agency_id
    ).delete()[0]
    people = YoungPerson.objects.filter(
        pk__in=batch.rows.filter(new_young_person=True).values("young_person_id"),
        owner_agency_id=actor.agency_id,
    )
    # Anything recorded about them since (by anyone) keeps them: deleting would cascade.
    for related in CASE_RECORDS:
        people = people.exclude(pk__in=related._default_manager.values("young_person_id"))
    people = people.exclude(pk__in=CaseShare.objects.values("young_person_id"))
    people.delete()
    batch.status = ImportBatch.Status.ROLLED_BACK
    batch.rolled_back_at = timezone.now()
    batch.save(update_fields=["status", "rolled_back_at"])
    access_event_record(
        actor=actor,
        action=AccessEvent.Action.OTHER,
        instance=batch,
        detail={"rolled_back": removed},
    )
    return batch


def batch_download_record(*, actor: User, batch: ImportBatch) -> None:
    """Downloading the rejected rows is on record (they hold children's details)."""
    _require(actor, batch)
    access_event_record(
        actor=actor, action=AccessEvent.Action.DOWNLOAD, instance=batch, detail={"rows": "rejected"}
    )
