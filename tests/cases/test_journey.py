"""The acceptance journey: agency A logs a referral in the browser form; agency B cannot see
it anywhere until A's manager shares the case; after revoking, B is out again."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessEvent
from cases.models import Referral, YoungPerson
from tests.cases.conftest import client_for, date_fields

pytestmark = pytest.mark.django_db


def _log_referral_through_the_form(client) -> Referral:
    dob = timezone.localdate() - dt.timedelta(days=15 * 365)
    search = client.get(
        reverse("cases:young_person_find"),
        {
            "searched": "1",
            "for": "referral",
            "first_name": "Ellie",
            "last_name": "Journeyman",
            **date_fields("date_of_birth", dob),
        },
    )
    assert search.status_code == 200
    assert "None of these" in search.content.decode()
    response = client.post(
        reverse("cases:referral_start"),
        {
            "yp-first_name": "Ellie",
            "yp-last_name": "Journeyman",
            **date_fields("yp-date_of_birth", dob),
            "yp-sex": "female",
            "yp-ethnicity": "white_scottish",
            "yp-placement_type": "home",
            **date_fields("referral-received_on", timezone.localdate()),
            "referral-referring_agency": "",
            "referral-concerns": "Seen with older men in a car near the school.",
            "referral-initial_risk_level": "significant",
            "referral-outcome": "still_open",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    return Referral.objects.get(young_person__last_name="Journeyman")


def test_referral_is_visible_to_its_agency_only_until_shared(
    cfs_practitioner, cfs_manager, police_practitioner
) -> None:
    cfs = client_for(cfs_practitioner)
    referral = _log_referral_through_the_form(cfs)
    young_person = referral.young_person
    assert referral.owner_agency.code == "cfs"

    owner_pages = [
        reverse("cases:referral_list"),
        reverse("cases:young_person_list"),
        reverse("cases:chronology", args=[young_person.pk]),
    ]
    for url in owner_pages:
        assert "Journeyman" in cfs.get(url).content.decode(), url

    police = client_for(police_practitioner)
    private_urls = [
        reverse("cases:referral_detail", args=[referral.pk]),
        reverse("cases:referral_edit", args=[referral.pk]),
        reverse("cases:young_person_detail", args=[young_person.pk]),
        reverse("cases:chronology", args=[young_person.pk]),
        reverse("cases:referral_create", args=[young_person.pk]),
    ]

    def police_sees_nothing() -> None:
        for url in private_urls:
            assert police.get(url).status_code == 404, url
        for url in (
            reverse("cases:referral_list"),
            reverse("cases:young_person_list"),
            reverse("cases:referral_list") + "?q=journeyman",
        ):
            page = police.get(url).content.decode()
            assert "Journeyman" not in page
            assert "0 records" in page
        found = police.get(
            reverse("cases:young_person_find"), {"searched": "1", "last_name": "Journeyman"}
        ).content.decode()
        assert "No young person your agency can see matches" in found
        assert "Open the record of" not in found

    police_sees_nothing()

    manager = client_for(cfs_manager)
    shared = manager.post(
        reverse("cases:share_create", args=[young_person.pk]),
        {
            "agency": police_practitioner.agency_id,
            "lawful_basis": "child_protection",
            "reason": "Joint investigation of a suspected CSE network.",
        },
    )
    assert shared.status_code == 302
    for url in private_urls[:1] + private_urls[2:4]:
        assert police.get(url).status_code == 200, url
    assert police.get(private_urls[1]).status_code == 404  # only the owner edits
    assert "Journeyman" in police.get(reverse("cases:referral_list")).content.decode()

    share = young_person.shares.get()
    revoked = manager.post(reverse("cases:share_revoke", args=[share.pk]), {"reason": "Done"})
    assert revoked.status_code == 302
    police_sees_nothing()


def test_every_view_of_a_record_is_on_the_access_log(
    cfs_practitioner, cfs_manager, young_person
) -> None:
    client = client_for(cfs_practitioner)
    client.get(reverse("cases:young_person_detail", args=[young_person.pk]))
    client.get(reverse("cases:chronology", args=[young_person.pk]))
    events = AccessEvent.objects.filter(object_type="cases.youngperson", object_id=young_person.pk)
    assert set(events.values_list("action", flat=True)) >= {"view", "chronology", "create"}
    view = events.filter(action="view").get()
    assert view.user == cfs_practitioner and view.page.endswith(f"/young-people/{young_person.pk}/")
    log = client_for(cfs_manager).get(reverse("cases:access_log", args=[young_person.pk]))
    assert log.status_code == 200 and "Viewed chronology" in log.content.decode()
    assert client.get(reverse("cases:access_log", args=[young_person.pk])).status_code == 404


def test_duplicate_check_names_the_agency_but_not_the_child(
    cfs_practitioner, police_practitioner, young_person
) -> None:
    response = client_for(police_practitioner).get(
        reverse("cases:young_person_find"),
        {
            "searched": "1",
            "first_name": "Kayleigh",
            "last_name": "Testcase",
            **date_fields("date_of_birth", young_person.date_of_birth),
        },
    )
    page = response.content.decode()
    assert "held by Dundee City Council Children and Families Service" in page
    assert f"/young-people/{young_person.pk}/" not in page
    # The typed search terms are echoed in the form, but no result row shows the child.
    assert "Open the record of" not in page


def test_young_person_count_is_split_by_agency(cfs_practitioner, police_practitioner) -> None:
    YoungPerson.objects.all().delete()
    for index in range(3):
        from cases import services

        services.young_person_create(
            actor=cfs_practitioner,
            first_name="A",
            last_name=f"Child{index}",
            date_of_birth=dt.date(2012, 1, 1),
            sex="male",
        )
    police_page = client_for(police_practitioner).get(reverse("cases:young_person_list"))
    assert "0 records" in police_page.content.decode()
    cfs_page = client_for(cfs_practitioner).get(reverse("cases:young_person_list"))
    assert "3 records" in cfs_page.content.decode()


def test_duplicate_check_tells_nothing_to_a_deactivated_user(
    cfs_practitioner, police_practitioner, young_person
) -> None:
    from cases.selectors import young_person_duplicates

    police_practitioner.is_active = False
    police_practitioner.save()
    assert (
        young_person_duplicates(
            user=police_practitioner,
            first_name="Kayleigh",
            last_name="Testcase",
            date_of_birth=young_person.date_of_birth,
        )
        == []
    )
