"""No lost work: field-level messages that keep what was typed, and edit conflicts."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import MissingEpisode, Referral
from tests.cases.conftest import client_for, date_fields

pytestmark = pytest.mark.django_db


def _referral_post(referral: Referral, **overrides: str) -> dict[str, str]:
    data = {
        **date_fields("received_on", referral.received_on),
        "referring_agency": "",
        "referrer_name": "",
        "referrer_role": "",
        "concerns": referral.concerns,
        "initial_risk_level": referral.initial_risk_level,
        "outcome": referral.outcome,
        "outcome_date": "",
        "version": str(referral.version),
    }
    for key, value in overrides.items():
        if key.endswith("_on") or key.endswith("_date"):
            data.update(date_fields(key, value) if value else {})
        else:
            data[key] = value
    return data


def test_two_sessions_edit_the_same_referral_the_second_gets_the_conflict(
    cfs_practitioner, cfs_manager, referral
) -> None:
    first, second = client_for(cfs_practitioner), client_for(cfs_manager)
    url = reverse("cases:referral_edit", args=[referral.pk])
    assert first.get(url).status_code == 200 and second.get(url).status_code == 200
    opened_at = _referral_post(referral)  # both opened version 1

    saved = first.post(url, {**opened_at, "concerns": "First colleague's words"})
    assert saved.status_code == 302
    conflict = second.post(url, {**opened_at, "concerns": "Second colleague's words"})
    page = conflict.content.decode()
    assert conflict.status_code == 409
    assert "Someone else changed this record" in page
    assert "First colleague&#x27;s words" in page and "Second colleague&#x27;s words" in page

    referral.refresh_from_db()
    assert referral.concerns == "First colleague's words"
    changes = referral.history.filter(history_type="~")
    assert changes.count() == 1
    assert changes.get().history_user == cfs_practitioner


def test_bad_input_gets_a_message_by_the_field_and_keeps_what_was_typed(
    cfs_practitioner, young_person
) -> None:
    client = client_for(cfs_practitioner)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(
        reverse("cases:referral_create", args=[young_person.pk]),
        {
            **date_fields("received_on", tomorrow),
            "concerns": "Typed with care",
            "initial_risk_level": "mild",
            "outcome": "still_open",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert services.ERROR_FUTURE_DATE in page
    assert 'id="id_received_on-error"' in page
    assert "Typed with care" in page
    assert not Referral.objects.exists()

    missing_fields = client.post(reverse("cases:referral_create", args=[young_person.pk]), {})
    assert "Enter the date received" in missing_fields.content.decode()
    assert "There is a problem" in missing_fields.content.decode()


def test_young_person_must_be_under_18_when_referred(cfs_practitioner) -> None:
    adult = services.young_person_create(
        actor=cfs_practitioner,
        first_name="Grown",
        last_name="Up",
        sex="male",
        date_of_birth=timezone.localdate() - dt.timedelta(days=19 * 365),
    )
    client = client_for(cfs_practitioner)
    response = client.post(
        reverse("cases:referral_create", args=[adult.pk]),
        {
            **date_fields("received_on", timezone.localdate()),
            "concerns": "x",
            "initial_risk_level": "mild",
            "outcome": "still_open",
        },
    )
    assert services.ERROR_AGE_18 in response.content.decode()


def test_located_before_missing_is_refused(cfs_practitioner, young_person) -> None:
    client = client_for(cfs_practitioner)
    now = timezone.localtime()
    response = client.post(
        reverse("cases:missing_create", args=[young_person.pk]),
        {
            **date_fields("missing_from", now - dt.timedelta(hours=2)),
            **date_fields("located_at", now - dt.timedelta(hours=5)),
            "category": "missing_high",
            "placement_type": "residential",
            "placement_name": "Typed placement",
            "return_discussion": "not_offered",
        },
    )
    page = response.content.decode()
    assert services.ERROR_LOCATED_BEFORE_MISSING in page
    assert "Typed placement" in page
    assert not MissingEpisode.objects.exists()


def test_history_records_every_change_with_its_author(cfs_practitioner, referral) -> None:
    client = client_for(cfs_practitioner)
    url = reverse("cases:referral_edit", args=[referral.pk])
    client.post(url, _referral_post(referral, outcome="ird", outcome_date=timezone.localdate()))
    page = client.get(reverse("cases:referral_history", args=[referral.pk])).content.decode()
    assert (
        "Still open → Inter-agency Referral Discussion (IRD)" in page or "still_open → ird" in page
    )
    assert cfs_practitioner.get_full_name() in page
    assert all(h.history_user_id == cfs_practitioner.pk for h in referral.history.all())


def test_return_discussion_rules_and_clock(cfs_practitioner, young_person) -> None:
    located = timezone.now() - dt.timedelta(hours=80)
    episode = services.missing_episode_create(
        actor=cfs_practitioner,
        young_person=young_person,
        missing_from=located - dt.timedelta(hours=10),
        located_at=located,
        category="missing_medium",
        placement_type="foster",
    )
    page = client_for(cfs_practitioner).get(reverse("cases:missing_detail", args=[episode.pk]))
    assert "Return discussion overdue" in page.content.decode()
    with pytest.raises(services.ValidationError) as declined:
        services.missing_episode_update(
            actor=cfs_practitioner,
            instance=episode,
            expected_version=episode.version,
            changes={"return_discussion": "declined"},
        )
    assert services.ERROR_DECLINED_REASON in str(declined.value)


def test_missing_episode_can_name_the_place_found(cfs_practitioner, young_person) -> None:
    from tests.factories import PlaceFactory

    place = PlaceFactory(name="Flat 2, Harbour Court")
    client = client_for(cfs_practitioner)
    url = reverse("cases:missing_create", args=[young_person.pk])
    assert "Flat 2, Harbour Court" in client.get(url).content.decode()
    now = timezone.localtime()
    response = client.post(
        url,
        {
            **date_fields("missing_from", now - dt.timedelta(hours=9)),
            **date_fields("located_at", now - dt.timedelta(hours=1)),
            "category": "missing_medium",
            "placement_type": "residential",
            "found_place": place.pk,
            "return_discussion": "not_offered",
        },
    )
    assert response.status_code == 302
    assert MissingEpisode.objects.get().found_at.place == place  # kept by the MAOG app
