"""Writes carry the source system's reference: a retry never makes a second record, a
changed record with the same reference is an update with the usual version check."""

import datetime as dt

import pytest
from django.utils import timezone

from accounts.models import User
from audit.models import AccessEvent
from cases.models import MissingEpisode, Referral, YoungPerson
from tests.api.conftest import make_young_person, referral_body

pytestmark = pytest.mark.django_db
REF = {"source": "council-cms", "external_ref": "R-1001"}


def test_the_same_post_twice_makes_one_record(
    cfs_practitioner: User, young_person: YoungPerson, api_for
) -> None:
    client = api_for(cfs_practitioner)
    first = client.post("/api/v1/referrals/", referral_body(young_person, **REF), format="json")
    again = client.post("/api/v1/referrals/", referral_body(young_person, **REF), format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Referral.objects.count() == 1
    referral = Referral.objects.get()
    assert referral.created_by == cfs_practitioner and referral.history.count() == 1
    assert AccessEvent.objects.filter(action="create", object_type="cases.referral").count() == 1


def test_a_changed_record_with_the_same_reference_needs_the_version(
    cfs_practitioner: User, young_person: YoungPerson, api_for
) -> None:
    client = api_for(cfs_practitioner)
    made = client.post("/api/v1/referrals/", referral_body(young_person, **REF), format="json")
    changed = referral_body(young_person, concerns="Now also missing from school.", **REF)
    conflict = client.post("/api/v1/referrals/", changed, format="json")
    assert conflict.status_code == 409
    assert conflict.json()["current"]["version"] == 1
    updated = client.post("/api/v1/referrals/", {**changed, "version": 1}, format="json")
    assert updated.status_code == 200 and updated.json()["version"] == 2
    stale = client.post(
        "/api/v1/referrals/", {**changed, "concerns": "x", "version": 1}, format="json"
    )
    assert stale.status_code == 409
    referral = Referral.objects.get(pk=made.json()["id"])
    assert referral.concerns == "Now also missing from school." and Referral.objects.count() == 1


def test_the_same_reference_from_another_agency_is_another_record(
    cfs_practitioner: User, police_practitioner: User, api_for
) -> None:
    ours = make_young_person(cfs_practitioner)
    theirs = make_young_person(police_practitioner)
    api_for(cfs_practitioner).post("/api/v1/referrals/", referral_body(ours, **REF), format="json")
    response = api_for(police_practitioner).post(
        "/api/v1/referrals/", referral_body(theirs, **REF), format="json"
    )
    assert response.status_code == 201 and Referral.objects.count() == 2


def test_a_reference_cannot_move_a_record_to_another_child(
    cfs_practitioner: User, young_person: YoungPerson, api_for
) -> None:
    client = api_for(cfs_practitioner)
    client.post("/api/v1/referrals/", referral_body(young_person, **REF), format="json")
    other = make_young_person(cfs_practitioner, first_name="Second")
    response = client.post("/api/v1/referrals/", referral_body(other, **REF), format="json")
    assert response.status_code == 400 and "young_person" in response.json()


def test_missing_episodes_are_idempotent_and_validated_by_the_services(
    cfs_practitioner: User, young_person: YoungPerson, api_for
) -> None:
    client = api_for(cfs_practitioner)
    missing_from = timezone.now() - dt.timedelta(days=2)
    body = {
        "young_person": young_person.pk,
        "missing_from": missing_from.isoformat(),
        "located_at": (missing_from - dt.timedelta(hours=1)).isoformat(),
        "category": "missing_medium",
        "placement_type": "residential",
        "source": "police",
        "external_ref": "MP-77",
    }
    invalid = client.post("/api/v1/missing-episodes/", body, format="json")
    assert invalid.status_code == 400 and "located_at" in invalid.json()  # the service's rule
    body["located_at"] = (missing_from + dt.timedelta(hours=5)).isoformat()
    assert client.post("/api/v1/missing-episodes/", body, format="json").status_code == 201
    assert client.post("/api/v1/missing-episodes/", body, format="json").status_code == 200
    assert MissingEpisode.objects.count() == 1


def test_patch_is_an_update_with_the_version_check(
    cfs_practitioner: User, young_person: YoungPerson, api_for
) -> None:
    client = api_for(cfs_practitioner)
    made = client.post("/api/v1/referrals/", referral_body(young_person), format="json").json()
    url = f"/api/v1/referrals/{made['id']}/"
    assert client.patch(url, {"concerns": "x"}, format="json").status_code == 400
    ok = client.patch(url, {"concerns": "Updated", "version": 1}, format="json")
    assert ok.status_code == 200 and ok.json()["version"] == 2
    assert client.patch(url, {"concerns": "Late", "version": 1}, format="json").status_code == 409
    assert Referral.objects.get().history.first().history_user == cfs_practitioner
