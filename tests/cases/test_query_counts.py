"""List pages and the chronology run the same number of queries for 10 and 200 rows."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import (
    CseMarker,
    MissingEpisode,
    Referral,
    RiskAssessment,
    RiskTool,
    Support,
    YoungPerson,
)
from partnership.models import Agency
from tests.cases.conftest import client_for

pytestmark = pytest.mark.django_db


def _make_rows(count: int, user, *, one_young_person: bool = False) -> YoungPerson:
    """Bulk rows owned by the user's agency (bulk_create: this is test data, not a write path)."""
    agency = user.agency
    people = YoungPerson.objects.bulk_create(
        YoungPerson(
            owner_agency=agency,
            created_by=user,
            first_name=f"First{i}",
            last_name=f"Last{i}",
            search_name=f"last{i} first{i}",
            date_of_birth=dt.date(2011, 1, 1) + dt.timedelta(days=i),
            sex="female",
        )
        for i in range(1 if one_young_person else count)
    )
    now = timezone.now()
    barnardos = Agency.objects.get(code="barnardos")
    tool = RiskTool.objects.get()

    def person(i: int) -> YoungPerson:
        return people[0 if one_young_person else i]

    common = {"owner_agency": agency, "case_agency": agency, "created_by": user}
    Referral.objects.bulk_create(
        Referral(
            young_person=person(i),
            received_on=now.date() - dt.timedelta(days=i),
            concerns="c",
            initial_risk_level="mild",
            referring_agency=barnardos,
            **common,
        )
        for i in range(count)
    )
    MissingEpisode.objects.bulk_create(
        MissingEpisode(
            young_person=person(i),
            missing_from=now - dt.timedelta(days=i, hours=3),
            located_at=now - dt.timedelta(days=i),
            category="missing_low",
            placement_type="home",
            **common,
        )
        for i in range(count)
    )
    CseMarker.objects.bulk_create(
        CseMarker(
            young_person=person(i),
            marker_type="at_risk",
            start_date=now.date(),
            risk_level="mild",
            **common,
        )
        for i in range(count)
    )
    RiskAssessment.objects.bulk_create(
        RiskAssessment(
            young_person=person(i),
            tool=tool,
            assessed_on=now.date(),
            score=1,
            calculated_level="mild",
            level="mild",
            reassessment_due=now.date(),
            **common,
        )
        for i in range(count)
    )
    Support.objects.bulk_create(
        Support(
            young_person=person(i),
            provider_agency=barnardos,
            service_type="one_to_one",
            offered_on=now.date(),
            **common,
        )
        for i in range(count)
    )
    return people[0]


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "url_name",
    [
        "cases:referral_list",
        "cases:young_person_list",
        "cases:missing_list",
        "cases:my_work",
        "cases:attention",
    ],
)
def test_list_pages_run_a_constant_number_of_queries(
    url_name: str, cfs_practitioner, police_practitioner
) -> None:
    client = client_for(cfs_practitioner)
    _make_rows(10, cfs_practitioner)
    small = _queries(client, reverse(url_name))
    _make_rows(190, cfs_practitioner)
    large = _queries(client, reverse(url_name))
    assert small == large, (url_name, small, large)
    assert large <= 14, (url_name, large)


def test_chronology_runs_a_constant_number_of_queries(cfs_practitioner, make_user) -> None:
    from partnership.roles import Role

    client = client_for(cfs_practitioner)
    small_person = _make_rows(10, cfs_practitioner, one_young_person=True)
    other = make_user("cfs", Role.PRACTITIONER, username="cfs.second")
    large_person = _make_rows(200, other, one_young_person=True)
    small = _queries(client, reverse("cases:chronology", args=[small_person.pk]))
    large = _queries(client, reverse("cases:chronology", args=[large_person.pk]))
    assert small == large, (small, large)
    page = client.get(reverse("cases:chronology", args=[large_person.pk])).content.decode()
    assert page.count("Referral received from") == 200


def test_long_lists_say_more_than_the_cap(cfs_practitioner, settings) -> None:
    settings.CSE_LIST_COUNT_CAP = 15
    client = client_for(cfs_practitioner)
    _make_rows(20, cfs_practitioner)
    page = client.get(reverse("cases:referral_list")).content.decode()
    assert "More than 15 records" in page
    assert "Only the first 15 can be paged through" in page
    settings.CSE_LIST_COUNT_CAP = 100
    page = client.get(reverse("cases:referral_list")).content.decode()
    assert "20 records" in page and "More than" not in page
