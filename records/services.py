"""One create and one update service for every record type, driven by its ``RecordType``.

A record type declares what differs between records: the model, its permission policy, the
fields a user may set (the whitelist), how a new record is owned (``new``, which also checks
that the actor may add it), and its domain validation. The services do the rest the same way
for every record:

- validation (``full_clean`` on the fields that changed, then the domain rules), which raise
  ``ValidationError`` so forms can show them;
- history (django-simple-history, with the actor as ``history_user``);
- the version check: an update carries the version the editor opened; if the row has moved
  on since, nothing is saved and ``EditConflict`` carries the current row;
- the access log (``audit``), in the same transaction as the write.

An update that changes nothing saves nothing: no version bump, no history row, no audit row.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from simple_history.utils import bulk_create_with_history

from audit.models import AccessEvent
from audit.services import access_event_record
from partnership.policy import PermissionPolicy

if TYPE_CHECKING:
    from accounts.models import User

M = TypeVar("M", bound=models.Model)

ERROR_FIELD_NOT_EDITABLE = "{model} has no editable field {field!r}"


class EditConflict(Exception):
    """Someone saved the record since the editor opened it. Carries the current version."""

    def __init__(self, current: models.Model) -> None:
        super().__init__("The record was changed by someone else")
        self.current = current


def _no_rules(record: Any) -> None:
    return None


@dataclass(frozen=True)
class RecordType(Generic[M]):
    """The declaration of one record type for the generic services and views."""

    model: type[M]
    policy: PermissionPolicy[M]
    # The fields a user sets through the services (the whitelist for create and update).
    fields: tuple[str, ...]
    # A new, unsaved record owned as the actor's agency requires, from the context the caller
    # holds (e.g. the young person). Raises PermissionDenied when the actor may not add one.
    new: Callable[..., M]
    # Domain rules beyond field validation; raise ValidationError. May set derived fields.
    validate: Callable[[M], None] = _no_rules
    # Set by ``new`` from objects the service already holds: validating them would only cost
    # a query each (a foreign key's full_clean looks the row up).
    trusted_fields: tuple[str, ...] = ()
    # Work after a create or update inside the transaction (alerts, derived rows), if any.
    after_save: Callable[[M, User], None] | None = None

    # Keyword arguments of ``create`` that go to ``new`` rather than onto the record.
    context: tuple[str, ...] = ()
    # ``new`` for many records at once (``record_create_many``): one list of unsaved records
    # for a list of contexts, checking with one query that the actor may add every one;
    # raises PermissionDenied when any may not be added. Without it, ``new`` runs per record.
    new_many: Callable[..., list[M]] | None = None

    def create(self, *, actor: User, **arguments: Any) -> M:
        """``record_create`` for this type, called like the per-model services it replaces:
        ``REFERRAL.create(actor=..., young_person=..., received_on=...)``."""
        context = {name: arguments.pop(name) for name in self.context if name in arguments}
        return record_create(actor=actor, record_type=self, values=arguments, **context)

    def update(
        self, *, actor: User, instance: M, expected_version: int, changes: Mapping[str, Any]
    ) -> M:
        """``record_update`` for this type."""
        return record_update(
            actor=actor,
            record_type=self,
            instance=instance,
            expected_version=expected_version,
            changes=changes,
        )

    def check_fields(self, values: Mapping[str, Any]) -> None:
        unknown = set(values) - set(self.fields)
        if unknown:
            raise TypeError(
                ERROR_FIELD_NOT_EDITABLE.format(model=self.model.__name__, field=sorted(unknown)[0])
            )


def set_history_user(record: models.Model, actor: User | None) -> None:
    """django-simple-history takes the author of the next history row from this attribute."""
    record._history_user = actor  # type: ignore[attr-defined]


def _save(record: M, trusted_fields: tuple[str, ...], *, actor: User, checked: list[str]) -> None:
    set_history_user(record, actor)
    record.full_clean(
        exclude=[
            f.name
            for f in record._meta.concrete_fields
            if f.name not in checked or f.name in trusted_fields
        ]
    )
    record.save()


@transaction.atomic
def record_create(
    *, actor: User, record_type: RecordType[M], values: Mapping[str, Any], **context: Any
) -> M:
    """Create a record of ``record_type`` from whitelisted ``values``; ``context`` goes to the
    type's ``new`` (which checks the actor may add it and sets its owner)."""
    record_type.check_fields(values)
    record = record_type.new(actor=actor, **context)
    for name, value in values.items():
        setattr(record, name, value)
    record_type.validate(record)
    _save(
        record,
        record_type.trusted_fields,
        actor=actor,
        checked=[f.name for f in record._meta.concrete_fields],
    )
    if record_type.after_save is not None:
        record_type.after_save(record, actor)
    access_event_record(actor=actor, action=AccessEvent.Action.CREATE, instance=record)
    return record


def record_check(*, record_type: RecordType[M], record: M) -> None:
    """What ``record_create`` checks before saving, without saving: the domain rules, then
    the fields (uniqueness is left to the database). Raises ValidationError; writes nothing,
    so a caller may check records whose young person is not saved yet."""
    record_type.validate(record)
    record.full_clean(
        exclude=list(record_type.trusted_fields), validate_unique=False, validate_constraints=False
    )


@transaction.atomic
def record_create_many(
    *, actor: User, record_type: RecordType[M], items: Sequence[Mapping[str, Any]]
) -> list[M | ValidationError]:
    """``record_create`` for many records in a few queries whatever their number (imports):
    each item is what ``create`` takes (context and values). The same ownership, access
    check, validation, history rows (with the actor) and access-log rows, in one transaction;
    an item the rules refuse comes back as its ValidationError, in its place, unsaved.
    Uniqueness is the database's: a clash is an IntegrityError for the caller."""
    contexts, values_list = [], []
    for item in items:
        values = dict(item)
        contexts.append({name: values.pop(name) for name in record_type.context if name in values})
        record_type.check_fields(values)
        values_list.append(values)
    if record_type.new_many is not None:
        records = record_type.new_many(actor=actor, contexts=contexts)
    else:
        records = [record_type.new(actor=actor, **context) for context in contexts]
    results: list[M | ValidationError] = []
    valid: list[M] = []
    for record, values in zip(records, values_list, strict=True):
        for name, value in values.items():
            setattr(record, name, value)
        try:
            record_check(record_type=record_type, record=record)
        except ValidationError as error:
            results.append(error)
            continue
        set_history_user(record, actor)
        results.append(record)
        valid.append(record)
    if not valid:
        return results
    saved = bulk_create_with_history(valid, record_type.model, default_user=actor)
    if record_type.after_save is not None:
        for record in saved:
            record_type.after_save(record, actor)
    AccessEvent.objects.bulk_create(
        AccessEvent(
            user=actor,
            agency_id=actor.agency_id,
            action=AccessEvent.Action.CREATE,
            object_type=record_type.model._meta.label_lower,
            object_id=record.pk,
        )
        for record in saved
    )
    return results


def changed_values(record: models.Model, changes: Mapping[str, Any]) -> dict[str, Any]:
    """The entries of ``changes`` that differ from the record as stored."""
    return {name: value for name, value in changes.items() if getattr(record, name) != value}


def record_update(
    *,
    actor: User,
    record_type: RecordType[M],
    instance: M,
    expected_version: int,
    changes: Mapping[str, Any],
) -> M:
    """Apply whitelisted ``changes`` unless the stored version moved on since the editor
    opened it (``EditConflict``). Only those the type's policy lets edit may."""
    record_type.check_fields(changes)
    if not record_type.policy.can_edit(actor, instance):
        raise PermissionDenied
    return apply_update(
        actor=actor,
        instance=instance,
        expected_version=expected_version,
        changes=changes,
        validate=record_type.validate,
        trusted_fields=record_type.trusted_fields,
        after_save=record_type.after_save,
    )


def apply_update(
    *,
    actor: User,
    instance: M,
    expected_version: int,
    changes: Mapping[str, Any],
    validate: Callable[[M], None] = _no_rules,
    trusted_fields: tuple[str, ...] = (),
    after_save: Callable[[M, User], None] | None = None,
) -> M:
    """The update itself, for callers that have checked access and fields already: lock the
    row, check the version, apply what differs, validate, save with history, audit."""
    model = type(instance)
    locked = model._default_manager.select_for_update(of=("self",))
    if hasattr(instance, "young_person_id"):
        locked = locked.select_related("young_person")  # the validation reads it
    with transaction.atomic():
        current = locked.get(pk=instance.pk)
        if current.version != expected_version:  # type: ignore[attr-defined]
            raise EditConflict(current)
        changed = changed_values(current, changes)
        if not changed:
            return current  # nothing to record: no version, no history, no audit row
        for name, value in changed.items():
            setattr(current, name, value)
        validate(current)
        current.version += 1  # type: ignore[attr-defined]
        # Only the changed fields need validating: the rest passed when they were saved.
        _save(current, trusted_fields, actor=actor, checked=list(changed))
        if after_save is not None:
            after_save(current, actor)
        access_event_record(actor=actor, action=AccessEvent.Action.CHANGE, instance=current)
        return current
