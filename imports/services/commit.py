"""Commit and rollback of an import batch.

The valid rows are imported a chunk at a time, set-based: one lookup of the chunk's
references (idempotency), one of the young people it links to, and the young people and
records it makes created in bulk through ``records.services.record_create_many`` (the same
ownership, access check, validation, history and access-log rows as one record at a time).
A chunk the database refuses as a whole (a twin import racing this one made the same
reference) is imported again row by row, each row through ``api.services.record_put``.
Memory stays that of one chunk whatever the size of the file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from api.services import ERROR_OTHER_YOUNG_PERSON, record_put, records_by_reference
from audit.models import AccessEvent
from audit.services import access_event_record
from cases import permissions as case_permissions
from cases import services as case_services
from cases.models import (
    CASE_RECORDS,
    CaseShare,
    YoungPerson,
)
from imports.models import ImportBatch, ImportRow
from imports.services.common import (
    CHUNK,
    ERROR_CONFLICT,
    ERROR_NOT_COMMITTED,
    ERROR_ROLLBACK_LATE,
    MODELS,
    RECORD_TYPES,
    ROLLBACK_WINDOW,
    SOURCE,
    _require,
    _row_values,
)
from records.services import (
    EditConflict,
    RecordType,
    changed_values,
    record_check,
    record_create_many,
)

if TYPE_CHECKING:
    from accounts.models import User

PersonKey = tuple[str, str, dt.date]
ROW_FIELDS = ["status", "errors", "young_person_id", "new_young_person", "record_id"]
ERROR_REFUSED = "Refused by the portal's rules"


def batch_commit(*, actor: User, batch: ImportBatch) -> ImportBatch:
    """Import the valid rows with the actor, a chunk at a time; rows the services refuse
    are kept with the reason. Progress is saved after every chunk."""
    _require(actor, batch)
    if batch.status not in (ImportBatch.Status.PREVIEWED, ImportBatch.Status.COMMITTING):
        return batch
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.COMMITTING)
    record_type, kind = RECORD_TYPES[batch.kind], batch.kind
    # The young people this batch made, by name and date of birth (ids only: a few bytes each).
    new_people: dict[PersonKey, int] = {}
    pending = batch.rows.filter(status=ImportRow.Status.VALID).order_by("number")
    while chunk := list(pending[:CHUNK]):
        # A chunk's records and its rows' results are saved together, or not at all: a
        # rollback finds every record through its row.
        with transaction.atomic():
            _commit_chunk(actor, record_type, kind, batch, chunk, new_people)
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


def _commit_chunk(
    actor: User,
    record_type: RecordType[Any],
    kind: str,
    batch: ImportBatch,
    chunk: list[ImportRow],
    new_people: dict[PersonKey, int],
) -> None:
    parsed = [_row_values(kind, batch.columns, row) for row in chunk]
    # One lookup of the chunk's references instead of one per row (idempotency).
    held = records_by_reference(
        actor=actor,
        record_type=record_type,
        source=SOURCE,
        references=[record["external_ref"] for _person, record in parsed],
    )
    # The young people the chunk links to, and those earlier chunks made for its names.
    keys = {_person_key(person) for person, _record in parsed}
    wanted = {row.young_person_id for row in chunk} | {
        new_people[key] for key in keys if key in new_people
    }
    linked = {
        young_person.pk: young_person
        for young_person in case_permissions.young_person_policy.visible_to(actor).filter(
            pk__in=wanted - {None}
        )
    }
    original = {row.pk: row.young_person_id for row in chunk}
    work = _Chunk(actor, record_type, new_people, linked, original)
    try:
        with transaction.atomic():
            work.run(chunk, parsed, held)
    except (IntegrityError, _Refused):
        # Row by row for this chunk: each row in its own savepoint, so one clash does not
        # undo the others.
        for row, (person, record) in zip(chunk, parsed, strict=True):
            row.status, row.errors, row.record_id = ImportRow.Status.VALID, {}, None
            row.new_young_person, row.young_person_id = False, original[row.pk]
            existing = held.get(record["external_ref"])
            _commit_row(actor, record_type, row, person, record, existing, new_people, linked)
    else:
        new_people.update(work.made)
    # The rows' results, written back in two queries (bulk_update's CASE per row and field
    # cost more than the import itself).
    ImportRow.objects.filter(pk__in=list(original)).delete()
    ImportRow.objects.bulk_create(chunk)


class _Refused(Exception):
    """The services refused a row the checks passed: import the chunk row by row instead."""


def _refusal(error: ValidationError | PermissionDenied | KeyError) -> str:
    return (
        "; ".join(f"{k}: {', '.join(v)}" for k, v in getattr(error, "message_dict", {}).items())
        or ERROR_REFUSED
    )


def _person_key(person: dict[str, Any]) -> PersonKey:
    return (person["first_name"].lower(), person["last_name"].lower(), person["date_of_birth"])


@dataclass
class _Chunk:
    """One chunk's rows, decided in memory, then written in bulk (inside a savepoint)."""

    actor: User
    record_type: RecordType[Any]
    new_people: dict[PersonKey, int]
    linked: dict[int, YoungPerson]
    original: dict[int, int | None]  # each row's young person before the chunk was tried
    made: dict[PersonKey, int] = field(default_factory=dict)
    # Rows repeating an earlier row's reference in the chunk: answered once that row is.
    twins: list[tuple[ImportRow, ImportRow]] = field(default_factory=list)

    def run(
        self,
        chunk: list[ImportRow],
        parsed: list[tuple[dict[str, Any], dict[str, Any]]],
        held: dict[str, Any],
    ) -> None:
        to_make: dict[PersonKey, dict[str, Any]] = {}
        to_create: list[tuple[ImportRow, PersonKey | None, dict[str, Any]]] = []
        first_of: dict[str, tuple[ImportRow, dict[str, Any], dict[str, Any]]] = {}
        model = self.record_type.model
        for row, (person, record) in zip(chunk, parsed, strict=True):
            key = _person_key(person)
            if row.young_person_id is None and key in self.new_people:
                row.young_person_id = self.new_people[key]
            reference = record["external_ref"]
            existing = held.get(reference)
            if existing is not None:
                self._found(row, record, existing)
                continue
            if reference in first_of:  # the same reference twice in one chunk
                self._twin(row, person, record, first_of[reference])
                continue
            first_of[reference] = (row, person, record)
            if row.young_person_id is not None and row.young_person_id not in self.linked:
                row.status, row.errors = ImportRow.Status.FAILED, {"row": ERROR_REFUSED}
                continue
            young_person = (
                self.linked[row.young_person_id]
                if row.young_person_id is not None
                else YoungPerson(owner_agency=self.actor.agency, **person)
            )
            candidate = model(young_person=young_person, **record)
            try:
                # The services' checks, before any young person is made for the row.
                record_check(record_type=self.record_type, record=candidate)
            except ValidationError as error:
                row.status, row.errors = ImportRow.Status.FAILED, {"row": _refusal(error)}
                continue
            if row.young_person_id is None:
                row.new_young_person = key not in to_make
                to_make.setdefault(key, person)
            to_create.append((row, None if row.young_person_id else key, record))
        self._write(to_make, to_create)
        for row, first in self.twins:
            if first.status == ImportRow.Status.CREATED:
                row.status, row.record_id = ImportRow.Status.UNCHANGED, first.record_id
                row.young_person_id = first.young_person_id
            else:
                row.status, row.errors = first.status, first.errors

    def _found(self, row: ImportRow, record: dict[str, Any], existing: Any) -> None:
        """A record already under this reference: unchanged, or not ours to overwrite."""
        if existing.young_person_id != row.young_person_id:
            message = f"young_person: {ERROR_OTHER_YOUNG_PERSON}"
            row.status, row.errors = ImportRow.Status.FAILED, {"row": message}
            row.young_person_id = self.original[row.pk]
        elif changed_values(existing, record):
            row.status, row.errors = ImportRow.Status.FAILED, {"row": ERROR_CONFLICT}
        else:
            row.status, row.record_id = ImportRow.Status.UNCHANGED, existing.pk

    def _twin(
        self,
        row: ImportRow,
        person: dict[str, Any],
        record: dict[str, Any],
        first: tuple[ImportRow, dict[str, Any], dict[str, Any]],
    ) -> None:
        # What the row by row path answers once the first row has made its record.
        first_row, first_person, first_record = first
        if _person_key(person) != _person_key(first_person) or (
            row.young_person_id != first_row.young_person_id
        ):
            message = f"young_person: {ERROR_OTHER_YOUNG_PERSON}"
            row.status, row.errors = ImportRow.Status.FAILED, {"row": message}
        elif any(first_record.get(name) != value for name, value in record.items()):
            row.status, row.errors = ImportRow.Status.FAILED, {"row": ERROR_CONFLICT}
        else:
            self.twins.append((row, first_row))

    def _write(
        self,
        to_make: dict[PersonKey, dict[str, Any]],
        to_create: list[tuple[ImportRow, PersonKey | None, dict[str, Any]]],
    ) -> None:
        people = record_create_many(
            actor=self.actor, record_type=case_services.YOUNG_PERSON, items=list(to_make.values())
        )
        made: dict[PersonKey, YoungPerson] = {}
        for made_key, young_person in zip(to_make, people, strict=True):
            if not isinstance(young_person, YoungPerson):
                raise _Refused
            made[made_key] = young_person
        items = [
            {"young_person": made[key] if key else self.linked[row.young_person_id or 0], **record}
            for row, key, record in to_create
        ]
        records = record_create_many(actor=self.actor, record_type=self.record_type, items=items)
        for (row, key, _record), saved in zip(to_create, records, strict=True):
            if isinstance(saved, ValidationError):
                raise _Refused
            row.status, row.record_id = ImportRow.Status.CREATED, saved.pk
            if key is not None:
                row.young_person_id = made[key].pk
        self.made = {key: young_person.pk for key, young_person in made.items()}


def _commit_row(
    actor: User,
    record_type: RecordType[Any],
    row: ImportRow,
    person: dict[str, Any],
    record: dict[str, Any],
    existing: Any,
    new_people: dict[PersonKey, int],
    linked: dict[int, YoungPerson],
) -> None:
    """One row through ``record_put`` (the fallback when a chunk cannot go in bulk)."""
    # A savepoint only when the row makes a young person (undone if its record is refused):
    # the record services are atomic themselves, so a linked row needs none of its own.
    key = _person_key(person)
    if row.young_person_id is None and key in new_people:
        row.young_person_id = new_people[key]
    making = row.young_person_id is None
    try:
        with transaction.atomic() if making else contextlib.nullcontext():
            if row.young_person_id is not None:
                young_person = linked[row.young_person_id]
            else:
                young_person = case_services.young_person_create(actor=actor, **person)
            saved, created = record_put(
                actor=actor,
                record_type=record_type,
                young_person=young_person,
                values=record,
                existing=existing,
            )
    except EditConflict:
        row.status, row.errors = ImportRow.Status.FAILED, {"row": ERROR_CONFLICT}
        return
    except (ValidationError, PermissionDenied, KeyError) as error:
        row.status, row.errors = ImportRow.Status.FAILED, {"row": _refusal(error)}
        return
    if making:  # kept only now: a refused row's young person was undone with it
        new_people[key], linked[young_person.pk] = young_person.pk, young_person
        row.new_young_person = True
    row.young_person_id = young_person.pk
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
    # Asked per young person (an anti-join on each table's young person index): a NOT IN
    # over every referral and episode held took minutes at partnership scale.
    for related in CASE_RECORDS:
        people = people.exclude(
            Exists(related._default_manager.filter(young_person_id=OuterRef("pk")))
        )
    people = people.exclude(Exists(CaseShare.objects.filter(young_person_id=OuterRef("pk"))))
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
