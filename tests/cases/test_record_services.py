"""The generic record services (records/services.py) as the case record types use them:
whitelist, ownership, validation, history, version check, and the audit row."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import User
from audit.models import AccessEvent
from cases import services
from cases.models import Referral, YoungPerson
from tests.factories import YoungPersonFactory

pytestmark = pytest.mark.django_db


def _trail(record: Referral | YoungPerson) -> tuple[int, int, int]:
    """(version, history rows, change events) of a record, read fresh from the database."""
    fresh = type(record).objects.get(pk=record.pk)
    events = AccessEvent.objects.filter(
        object_id=record.pk,
        object_type=record._meta.label_lower,
        action=AccessEvent.Action.CHANGE,
    ).count()
    return fresh.version, fresh.history.count(), events


def test_an_update_that_changes_nothing_writes_nothing(
    cfs_practitioner: User, referral: Referral
) -> None:
    before = _trail(referral)
    same = {
        "concerns": referral.concerns,
        "received_on": referral.received_on,
        "initial_risk_level": referral.initial_risk_level,
        "referring_agency": referral.referring_agency,
    }
    saved = services.referral_update(
        actor=cfs_practitioner,
        instance=referral,
        expected_version=referral.version,
        changes=same,
    )
    assert saved.pk == referral.pk
    assert _trail(referral) == before  # no version bump, no history row, no audit row


def test_an_update_that_changes_something_writes_one_of_each(
    cfs_practitioner: User, referral: Referral
) -> None:
    version, history, events = _trail(referral)
    services.referral_update(
        actor=cfs_practitioner,
        instance=referral,
        expected_version=version,
        changes={"concerns": "Seen getting into a car after school.", "referrer_name": ""},
    )
    assert _trail(referral) == (version + 1, history + 1, events + 1)
    latest = Referral.objects.get(pk=referral.pk).history.first()
    assert latest.history_user == cfs_practitioner
    assert latest.concerns == "Seen getting into a car after school."


def test_a_stale_version_is_a_conflict_and_saves_nothing(
    cfs_practitioner: User, referral: Referral
) -> None:
    services.referral_update(
        actor=cfs_practitioner,
        instance=referral,
        expected_version=referral.version,
        changes={"concerns": "First edit."},
    )
    before = _trail(referral)
    with pytest.raises(services.EditConflict) as conflict:
        services.referral_update(
            actor=cfs_practitioner,
            instance=referral,
            expected_version=referral.version,  # the version the second editor opened
            changes={"concerns": "Second edit, made on a stale page."},
        )
    assert conflict.value.current.concerns == "First edit."
    assert _trail(referral) == before


def test_fields_outside_the_whitelist_are_refused(
    cfs_practitioner: User, police_practitioner: User, referral: Referral, young_person
) -> None:
    before = _trail(referral)
    with pytest.raises(TypeError, match="owner_agency"):
        services.referral_update(
            actor=cfs_practitioner,
            instance=referral,
            expected_version=referral.version,
            changes={"owner_agency": police_practitioner.agency},
        )
    assert _trail(referral) == before
    count = Referral.objects.count()
    with pytest.raises(TypeError, match="case_agency"):
        services.referral_create(
            actor=cfs_practitioner,
            young_person=young_person,
            received_on=timezone.localdate(),
            concerns="x",
            initial_risk_level="moderate",
            case_agency=police_practitioner.agency,
        )
    assert Referral.objects.count() == count


def test_only_the_owning_agency_edits_and_only_visible_cases_take_records(
    cfs_practitioner: User, police_practitioner: User, referral: Referral
) -> None:
    before = _trail(referral)
    with pytest.raises(PermissionDenied):
        services.referral_update(
            actor=police_practitioner,
            instance=referral,
            expected_version=referral.version,
            changes={"concerns": "Not ours to change."},
        )
    assert _trail(referral) == before
    unseen = YoungPersonFactory(owner_agency=cfs_practitioner.agency, created_by=cfs_practitioner)
    with pytest.raises(PermissionDenied):
        services.referral_create(
            actor=police_practitioner,
            young_person=unseen,
            received_on=timezone.localdate(),
            concerns="x",
            initial_risk_level="moderate",
        )
    assert not Referral.objects.filter(young_person=unseen).exists()


def test_a_new_record_is_owned_by_the_actors_agency_and_validated(
    police_practitioner: User, cfs_manager: User, young_person: YoungPerson
) -> None:
    services.case_share(
        actor=cfs_manager,
        young_person=young_person,
        agency=police_practitioner.agency,
        lawful_basis="child_protection",
        reason="Joint work",
    )
    with pytest.raises(ValidationError) as error:
        services.referral_create(
            actor=police_practitioner,
            young_person=young_person,
            received_on=timezone.localdate() + dt.timedelta(days=2),
            concerns="x",
            initial_risk_level="moderate",
        )
    assert services.ERROR_FUTURE_DATE in str(error.value)
    referral = services.referral_create(
        actor=police_practitioner,
        young_person=young_person,
        received_on=timezone.localdate(),
        concerns="Seen at the bus station late at night.",
        initial_risk_level="moderate",
    )
    assert referral.owner_agency == police_practitioner.agency
    assert referral.case_agency == young_person.owner_agency
    assert referral.created_by == police_practitioner
    assert AccessEvent.objects.filter(
        object_id=referral.pk, object_type="cases.referral", action=AccessEvent.Action.CREATE
    ).exists()


def test_a_young_persons_name_change_updates_the_search_name(
    cfs_practitioner: User, young_person: YoungPerson
) -> None:
    services.young_person_update(
        actor=cfs_practitioner,
        instance=young_person,
        expected_version=young_person.version,
        changes={"last_name": "  Renamed "},
    )
    assert YoungPerson.objects.get(pk=young_person.pk).search_name == "renamed kayleigh"
