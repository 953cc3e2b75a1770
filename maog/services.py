"""Writes to the MAOG records: persons of concern, places, vehicles, online handles, links,
allegations with the justice pathway, and intelligence.

Same shape as cases.services: access re-checked, field-keyed ValidationErrors, the actor as
history author, a version check on every edit, and the act on the access log, in one
transaction.
"""

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction

from accounts.models import User
from audit.models import AccessEvent
from audit.services import access_event_record
from cases.models import MissingEpisode, YoungPerson
from cases.services.common import ERROR_END_BEFORE_START
from cases.services.common import not_future as _not_future
from cases.services.common import raise_errors as _raise
from cases.services.common import require as _require
from cases.services.common import save as _save
from cases.services.sharing import Sharing
from maog import permissions
from maog.models import (
    Allegation,
    EpisodePlace,
    Intelligence,
    Link,
    OnlineHandle,
    PersonOfConcern,
    PersonShare,
    Place,
    Vehicle,
)
from partnership.models import Agency
from records.services import apply_update as _update_record
from records.services import set_history_user

ERROR_PERSON_IDENTITY = "Enter a name or an alias."
ERROR_AGE_RANGE = "Enter an estimated age between 10 and 100."
ERROR_LINK_TARGET = "Choose exactly one thing to link the person to."
ERROR_LINK_SELF = "A person cannot be linked to themselves."
ERROR_LINK_OUT_OF_REACH = "Choose something your agency can see."
ERROR_ALLEGATION_PERSONS = "Choose at least one person the allegation is against."
ERROR_ALLEGATION_YOUNG_PEOPLE = "Choose at least one young person the allegation is about."
ERROR_COPFS_BEFORE_POLICE = "The date reported to COPFS must be on or after the police report."
ERROR_COPFS_NEEDS_POLICE = "Enter when it was reported to police before the COPFS report."
ERROR_OUTCOME_NEEDS_COPFS = "A prosecution outcome needs the date it was reported to COPFS."
ERROR_OUTCOME_DATE = "Enter the date of the prosecution outcome."
ERROR_OUTCOME_BEFORE_COPFS = "The outcome date must be on or after the COPFS report."
ERROR_SAFETY_PLAN_NEEDS_MAPPA = "A victim safety plan at MAPPA needs the case to be MAPPA managed."
ERROR_SAFETY_PLAN_EVIDENCE = "Describe the evidence of the victim safety plan."
ERROR_REGISTRATION = "Enter the registration."
ERROR_SHARE_OWN_AGENCY = "The record already belongs to this agency."
ERROR_SHARE_REASON = "Give the reason for sharing."
ERROR_SHARE_BASIS = "Choose the lawful basis for sharing."
ERROR_ALREADY_SHARED = "The record is already shared with this agency."

# Bases a user may choose; "not recorded" only describes grants made before bases were asked.
SHAREABLE_BASES = frozenset(PersonShare.LawfulBasis.values) - {PersonShare.LawfulBasis.NOT_RECORDED}

ALLEGATION_M2M = ("persons", "young_people")
INTELLIGENCE_M2M = ("persons", "young_people", "places", "vehicles", "handles")


M = TypeVar("M", bound=models.Model)


def person_search_name(name: str, aliases: str) -> str:
    return f"{name.strip()} {aliases.strip()}".strip().lower()


def _create(instance: M, *, actor: User) -> M:
    _save(instance, actor=actor)
    access_event_record(actor=actor, action=AccessEvent.Action.CREATE, instance=instance)
    return instance


def _owned(model: type[M], *, actor: User, **fields: Any) -> M:
    return model(owner_agency=actor.agency, created_by=actor, **fields)


def _set_m2m(instance: models.Model, *, actor: User, values: Mapping[str, Iterable[Any]]) -> None:
    # Each .set() writes a historical row through simple-history's m2m signal; the actor is
    # the history author set here.
    set_history_user(instance, actor)
    for name, items in values.items():
        getattr(instance, name).set(list(items))


def _create_owned(
    model: type[M], *, actor: User, fields: Mapping[str, Any], validate: Callable[[M], None]
) -> M:
    """A record owned by the actor's agency, which any caseworker may add: validated, saved
    with the actor as history author, and on the access log."""
    _require(permissions.is_caseworker(actor))
    record = _owned(model, actor=actor, **fields)
    validate(record)
    return _create(record, actor=actor)


def _edit(
    instance: M,
    actor: User,
    expected_version: int,
    changes: Mapping[str, Any],
    validate: Callable[[M], None],
) -> M:
    """An edit by whoever the record's policy lets change it, version-checked and audited."""
    _require(permissions.can_edit_record(actor, instance))
    return _update_record(
        actor=actor,
        instance=instance,
        expected_version=expected_version,
        changes=changes,
        validate=validate,
    )


def _split_m2m(
    fields: Mapping[str, Any], names: tuple[str, ...]
) -> tuple[dict[str, Any], dict[str, Any]]:
    plain = {k: v for k, v in fields.items() if k not in names}
    m2m = {k: v for k, v in fields.items() if k in names}
    return plain, m2m


# --- Persons of concern ----------------------------------------------------------------------


def _validate_person(person: PersonOfConcern) -> None:
    errors: dict[str, str] = {}
    if not (person.name.strip() or person.aliases.strip()):
        errors["name"] = ERROR_PERSON_IDENTITY
    if person.estimated_age is not None and not 10 <= person.estimated_age <= 100:
        errors["estimated_age"] = ERROR_AGE_RANGE
    _not_future(person.date_of_birth, "date_of_birth", errors)
    person.search_name = person_search_name(person.name, person.aliases)
    _raise(errors)


@transaction.atomic
def person_create(*, actor: User, **fields: Any) -> PersonOfConcern:
    """A person of concern owned by the actor's agency."""
    return _create_owned(PersonOfConcern, actor=actor, fields=fields, validate=_validate_person)


def person_update(
    *, actor: User, person: PersonOfConcern, expected_version: int, changes: Mapping[str, Any]
) -> PersonOfConcern:
    return _edit(person, actor, expected_version, changes, _validate_person)


PERSON_SHARING: Sharing[PersonShare] = Sharing(
    model=PersonShare,
    record_field="person",
    policy=permissions.person_policy,
    permission=permissions.PERSON_SHARE_PERM,
    own_agency_error=ERROR_SHARE_OWN_AGENCY,
    already_shared_error=ERROR_ALREADY_SHARED,
    reason_error=ERROR_SHARE_REASON,
    bases=SHAREABLE_BASES,
    basis_error=ERROR_SHARE_BASIS,
)


def person_share(
    *, actor: User, person: PersonOfConcern, agency: Agency, lawful_basis: str, reason: str
) -> PersonShare:
    """Give another agency sight of a person of concern, like a young person's case (the
    owner agency's managers only): a guardian grant to its group, and the record of why."""
    return PERSON_SHARING.grant(
        actor=actor, record=person, agency=agency, lawful_basis=lawful_basis, reason=reason
    )


# End a share of a person of concern: the grant goes, the record of it stays (with who
# revoked it and why). Revoking twice changes nothing.
person_share_revoke = PERSON_SHARING.revoke


# --- Places, vehicles, handles -----------------------------------------------------------------


def _validate_nothing(_instance: models.Model) -> None:
    return None


def _validate_vehicle(vehicle: Vehicle) -> None:
    vehicle.registration = vehicle.registration.replace(" ", "").upper()
    if not vehicle.registration:
        raise ValidationError({"registration": ERROR_REGISTRATION})


@transaction.atomic
def place_create(*, actor: User, **fields: Any) -> Place:
    return _create_owned(Place, actor=actor, fields=fields, validate=_validate_nothing)


def place_update(
    *, actor: User, place: Place, expected_version: int, changes: Mapping[str, Any]
) -> Place:
    return _edit(place, actor, expected_version, changes, _validate_nothing)


@transaction.atomic
def vehicle_create(*, actor: User, **fields: Any) -> Vehicle:
    return _create_owned(Vehicle, actor=actor, fields=fields, validate=_validate_vehicle)


def vehicle_update(
    *, actor: User, vehicle: Vehicle, expected_version: int, changes: Mapping[str, Any]
) -> Vehicle:
    return _edit(vehicle, actor, expected_version, changes, _validate_vehicle)


@transaction.atomic
def handle_create(*, actor: User, **fields: Any) -> OnlineHandle:
    return _create_owned(OnlineHandle, actor=actor, fields=fields, validate=_validate_nothing)


def handle_update(
    *, actor: User, handle: OnlineHandle, expected_version: int, changes: Mapping[str, Any]
) -> OnlineHandle:
    return _edit(handle, actor, expected_version, changes, _validate_nothing)


# --- Links ---------------------------------------------------------------------------------

LINK_TARGETS = ("young_person", "other_person", "place", "vehicle", "handle")


def _validate_link(link: Link) -> None:
    errors: dict[str, str] = {}
    targets = [name for name in LINK_TARGETS if getattr(link, f"{name}_id")]
    if link.person_id:
        if len(targets) != 1:
            errors["__all__"] = ERROR_LINK_TARGET
        elif link.other_person_id == link.person_id:
            errors["other_person"] = ERROR_LINK_SELF
    # A link without a person joins a young person to a place, nothing else.
    elif not (link.young_person_id and link.place_id and len(targets) == 2):
        errors["__all__"] = ERROR_LINK_TARGET
    if link.end_date and link.start_date and link.end_date < link.start_date:
        errors["end_date"] = ERROR_END_BEFORE_START
    _not_future(link.start_date, "start_date", errors)
    _raise(errors)


def _check_link_reach(actor: User, link: Link) -> None:
    """Only link things the actor's agency can see: a link must not be a way to probe ids."""
    reach = {
        "person": permissions.person_queryset_for_user,
        "other_person": permissions.person_queryset_for_user,
        "young_person": permissions.young_person_queryset_for_user,
        "place": permissions.place_queryset_for_user,
        "vehicle": permissions.vehicle_queryset_for_user,
        "handle": permissions.handle_queryset_for_user,
    }
    for name, queryset_for in reach.items():
        pk = getattr(link, f"{name}_id")
        if pk and not queryset_for(actor).filter(pk=pk).exists():
            key = name if name != "person" else "__all__"
            raise ValidationError({key: ERROR_LINK_OUT_OF_REACH})


@transaction.atomic
def link_create(
    *,
    actor: User,
    person: PersonOfConcern | None = None,
    young_person: YoungPerson | None = None,
    **fields: Any,
) -> Link:
    """Link a person of concern to one thing, or a young person to a place. The link is owned
    by the actor's agency; both ends must be within its reach."""
    _require(permissions.is_caseworker(actor))
    link = _owned(Link, actor=actor, person=person, young_person=young_person, **fields)
    _check_link_reach(actor, link)
    _validate_link(link)
    return _create(link, actor=actor)


# --- Allegations ---------------------------------------------------------------------------


def _validate_allegation(allegation: Allegation, m2m: Mapping[str, Any] | None = None) -> None:
    errors: dict[str, str] = {}
    if m2m is not None:
        if "persons" in m2m and not m2m["persons"]:
            errors["persons"] = ERROR_ALLEGATION_PERSONS
        if "young_people" in m2m and not m2m["young_people"]:
            errors["young_people"] = ERROR_ALLEGATION_YOUNG_PEOPLE
    for name in ("alleged_on", "reported_to_police_on", "reported_to_copfs_on", "outcome_date"):
        _not_future(getattr(allegation, name), name, errors)
    police, copfs = allegation.reported_to_police_on, allegation.reported_to_copfs_on
    if copfs and not police:
        errors.setdefault("reported_to_police_on", ERROR_COPFS_NEEDS_POLICE)
    elif copfs and police and copfs < police:
        errors.setdefault("reported_to_copfs_on", ERROR_COPFS_BEFORE_POLICE)
    if allegation.prosecution_outcome != Allegation.ProsecutionOutcome.PENDING:
        if not copfs:
            errors.setdefault("reported_to_copfs_on", ERROR_OUTCOME_NEEDS_COPFS)
        if not allegation.outcome_date:
            errors.setdefault("outcome_date", ERROR_OUTCOME_DATE)
    if allegation.outcome_date and copfs and allegation.outcome_date < copfs:
        errors.setdefault("outcome_date", ERROR_OUTCOME_BEFORE_COPFS)
    if allegation.victim_safety_plan and not allegation.mappa_managed:
        errors["victim_safety_plan"] = ERROR_SAFETY_PLAN_NEEDS_MAPPA
    if allegation.victim_safety_plan and not allegation.safety_plan_evidence.strip():
        errors["safety_plan_evidence"] = ERROR_SAFETY_PLAN_EVIDENCE
    _raise(errors)


def _check_reach(actor: User, m2m: Mapping[str, Any]) -> None:
    reach = {
        "persons": permissions.person_queryset_for_user,
        "young_people": permissions.young_person_queryset_for_user,
        "places": permissions.place_queryset_for_user,
        "vehicles": permissions.vehicle_queryset_for_user,
        "handles": permissions.handle_queryset_for_user,
    }
    for name, items in m2m.items():
        ids = {getattr(item, "pk", item) for item in items}
        if ids and reach[name](actor).filter(pk__in=ids).count() != len(ids):
            raise ValidationError({name: ERROR_LINK_OUT_OF_REACH})


@transaction.atomic
def allegation_create(*, actor: User, **fields: Any) -> Allegation:
    """An allegation against persons about young people, owned by the actor's agency."""
    _require(permissions.is_caseworker(actor))
    plain, m2m = _split_m2m(fields, ALLEGATION_M2M)
    m2m.setdefault("persons", [])
    m2m.setdefault("young_people", [])
    allegation = _owned(Allegation, actor=actor, **plain)
    _validate_allegation(allegation, m2m)
    _check_reach(actor, m2m)
    _create(allegation, actor=actor)
    _set_m2m(allegation, actor=actor, values=m2m)
    return allegation


def allegation_out_of_reach(*, actor: User, allegation: Allegation) -> dict[str, list[Any]]:
    """The persons and young people linked to an allegation that the actor cannot see (held
    by other agencies). An edit form only offers what its user may see, so these are never
    on it; they must not be dropped by saving it (issue 13)."""
    visible = {
        "persons": permissions.person_queryset_for_user(actor),
        "young_people": permissions.young_person_queryset_for_user(actor),
    }
    if allegation.pk is None:
        return {name: [] for name in ALLEGATION_M2M}
    return {
        name: list(getattr(allegation, name).exclude(pk__in=visible[name].values("pk")))
        for name in ALLEGATION_M2M
    }


def allegation_links_kept(
    *, actor: User, allegation: Allegation, chosen: Mapping[str, Iterable[Any]]
) -> dict[str, list[Any]]:
    """What an edit sets each m2m to: the editor's choice among what they can see, plus
    every link out of their reach, kept as it is."""
    hidden = allegation_out_of_reach(actor=actor, allegation=allegation)
    return {name: [*items, *hidden[name]] for name, items in chosen.items()}


def allegation_update(
    *, actor: User, allegation: Allegation, expected_version: int, changes: Mapping[str, Any]
) -> Allegation:
    """Move an allegation along the justice pathway; a stale version is a conflict."""
    _require(permissions.can_edit_record(actor, allegation))
    plain, m2m = _split_m2m(changes, ALLEGATION_M2M)
    with transaction.atomic():
        _check_reach(actor, m2m)
        m2m = {**m2m, **allegation_links_kept(actor=actor, allegation=allegation, chosen=m2m)}
        updated = _update_record(
            actor=actor,
            instance=allegation,
            expected_version=expected_version,
            changes=plain,
            validate=lambda record: _validate_allegation(record, m2m),
        )
        _set_m2m(updated, actor=actor, values=m2m)
    return updated


# --- Intelligence --------------------------------------------------------------------------


def _validate_intelligence(entry: Intelligence) -> None:
    errors: dict[str, str] = {}
    _not_future(entry.received_on, "received_on", errors)
    _raise(errors)


@transaction.atomic
def intelligence_create(*, actor: User, **fields: Any) -> Intelligence:
    """A MAOG intelligence entry. Only MAOG members record intelligence."""
    _require(permissions.is_maog_member(actor))
    plain, m2m = _split_m2m(fields, INTELLIGENCE_M2M)
    entry = _owned(Intelligence, actor=actor, **plain)
    _validate_intelligence(entry)
    _check_reach(actor, m2m)
    _create(entry, actor=actor)
    _set_m2m(entry, actor=actor, values=m2m)
    return entry


def intelligence_update(
    *, actor: User, entry: Intelligence, expected_version: int, changes: Mapping[str, Any]
) -> Intelligence:
    _require(permissions.is_maog_member(actor) and permissions.can_edit_record(actor, entry))
    plain, m2m = _split_m2m(changes, INTELLIGENCE_M2M)
    with transaction.atomic():
        _check_reach(actor, m2m)
        updated = _update_record(
            actor=actor,
            instance=entry,
            expected_version=expected_version,
            changes=plain,
            validate=_validate_intelligence,
        )
        _set_m2m(updated, actor=actor, values=m2m)
    return updated


# --- Where a missing episode ended ---------------------------------------------------------


@transaction.atomic
def episode_place_set(
    *, actor: User, episode: MissingEpisode, place: Place | None
) -> EpisodePlace | None:
    """Record, change or clear the place of concern where a missing episode ended (asked on
    the episode's own form). Only the agency that owns the episode edits it, and only to a
    place it may see. Nothing is written when nothing changed; every change has a history
    row with the actor as its author."""
    _require(permissions.can_edit_record(actor, episode))
    if place is not None:
        _require(permissions.place_queryset_for_user(actor).filter(pk=place.pk).exists())
    current = EpisodePlace.objects.filter(episode=episode).first()
    if (current.place_id if current else None) == (place.pk if place else None):
        return current
    if place is None:
        assert current is not None  # noqa: S101 - a place was set, or nothing changed above
        set_history_user(current, actor)
        current.delete()
        return None
    if current is None:
        current = EpisodePlace(episode=episode, place=place)
    current.place = place
    set_history_user(current, actor)
    current.save()
    return current
