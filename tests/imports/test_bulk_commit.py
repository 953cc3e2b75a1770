"""The set-based commit writes what the record services write one at a time: history rows
with the manager as author, one access-log row per record made, ownership by the manager's
agency; repeated references inside one file make one record; a chunk the database refuses
(a twin import made the same references) is imported row by row and makes nothing twice;
the bulk service refuses a young person the actor cannot reach and writes nothing."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from accounts.models import User
from audit.models import AccessEvent
from cases import services as case_services
from cases.models import Referral, YoungPerson
from imports import services
from imports.models import ImportRow
from imports.services import commit
from records.services import record_create_many
from tests.imports.conftest import referral_row
from tests.imports.test_imports import checked

pytestmark = pytest.mark.django_db


def test_history_audit_and_ownership_as_the_services_write_them(cfs_manager: User) -> None:
    batch = services.batch_commit(
        actor=cfs_manager, batch=checked(cfs_manager, [referral_row(n) for n in range(3)])
    )
    referrals = list(Referral.objects.all())
    assert batch.created_records == 3 and len(referrals) == 3
    assert {r.owner_agency_id for r in referrals} == {cfs_manager.agency_id}
    assert {r.case_agency_id for r in referrals} == {cfs_manager.agency_id}
    assert {r.created_by_id for r in referrals} == {cfs_manager.pk}
    assert {r.young_person.search_name for r in referrals} == {
        f"imported child{n}" for n in range(3)
    }
    for model in (Referral, YoungPerson):
        history = model.history.filter(history_type="+")  # type: ignore[attr-defined]
        assert history.count() == 3
        assert set(history.values_list("history_user_id", flat=True)) == {cfs_manager.pk}
        logged = AccessEvent.objects.filter(
            action="create", object_type=model._meta.label_lower, user=cfs_manager
        )
        assert set(logged.values_list("object_id", flat=True)) == set(
            model.objects.values_list("pk", flat=True)
        )


def test_a_reference_twice_in_one_file_makes_one_record(cfs_manager: User) -> None:
    changed = referral_row(1)
    changed[6] = "Something else"
    batch = services.batch_commit(
        actor=cfs_manager,
        batch=checked(cfs_manager, [referral_row(1), referral_row(1), changed]),
    )
    statuses = dict(batch.rows.values_list("number", "status"))
    assert statuses == {2: "created", 3: "unchanged", 4: "failed"}
    assert batch.rows.get(number=4).errors == {"row": services.ERROR_CONFLICT}
    assert Referral.objects.count() == 1 and YoungPerson.objects.count() == 1
    first, twin = batch.rows.filter(number__in=(2, 3)).order_by("number")
    assert first.record_id == twin.record_id and first.new_young_person


def test_a_chunk_the_database_refuses_is_imported_row_by_row(
    cfs_manager: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [referral_row(n) for n in range(3)]
    services.batch_commit(actor=cfs_manager, batch=checked(cfs_manager, rows))
    # As if a twin import had made the records after this one looked its references up.
    monkeypatch.setattr(commit, "records_by_reference", lambda **kwargs: {})
    again = services.batch_commit(actor=cfs_manager, batch=checked(cfs_manager, rows))
    assert (again.created_records, again.unchanged_records) == (0, 3)
    assert Referral.objects.count() == 3 and YoungPerson.objects.count() == 3
    assert not again.rows.exclude(status=ImportRow.Status.UNCHANGED).exists()


def test_the_bulk_service_refuses_a_case_out_of_reach_and_writes_nothing(
    cfs_manager: User, police_manager: User
) -> None:

    child = case_services.young_person_create(
        actor=cfs_manager,
        first_name="Out",
        last_name="Ofreach",
        sex="female",
        date_of_birth=dt.date(2012, 1, 1),
    )
    before = (Referral.objects.count(), AccessEvent.objects.count())
    with pytest.raises(PermissionDenied):
        record_create_many(
            actor=police_manager,
            record_type=case_services.REFERRAL,
            items=[
                {
                    "young_person": child,
                    "received_on": dt.date(2025, 3, 31),
                    "concerns": "x",
                    "initial_risk_level": "mild",
                }
            ],
        )
    assert (Referral.objects.count(), AccessEvent.objects.count()) == before
