"""Reads: the policy's rows only, 404 outside reach, cursor pages, constant queries per page,
and every record returned is in the access log."""

from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.models import User
from audit.models import AccessEvent
from cases import services as case_services
from cases.models import YoungPerson
from tests.api.conftest import make_young_person, session_client
from tests.factories import MissingEpisodeFactory, ReferralFactory

pytestmark = pytest.mark.django_db


def test_lists_hold_only_the_agencys_reach(
    cfs_practitioner: User, police_practitioner: User, young_person: YoungPerson, api_for
) -> None:
    ReferralFactory(young_person=young_person, created_by=cfs_practitioner)
    theirs = make_young_person(police_practitioner, first_name="Other")
    ReferralFactory(young_person=theirs, created_by=police_practitioner)
    rows = api_for(cfs_practitioner).get("/api/v1/referrals/").json()["results"]
    assert [row["young_person"] for row in rows] == [young_person.pk]
    people = api_for(police_practitioner).get("/api/v1/young-people/").json()["results"]
    assert [row["id"] for row in people] == [theirs.pk]


def test_a_record_outside_reach_is_not_found_like_a_missing_one(
    cfs_practitioner: User, police_practitioner: User, young_person: YoungPerson, api_for
) -> None:
    referral = ReferralFactory(young_person=young_person, created_by=cfs_practitioner)
    client = api_for(police_practitioner)
    outside = client.get(f"/api/v1/referrals/{referral.pk}/")
    missing = client.get("/api/v1/referrals/999999/")
    assert outside.status_code == missing.status_code == 404
    assert outside.json() == missing.json()


def test_a_shared_case_opens_its_records(
    cfs_manager: User, nhs_practitioner: User, cfs_practitioner: User, api_for
) -> None:
    child = make_young_person(cfs_practitioner)
    episode = MissingEpisodeFactory(young_person=child, created_by=cfs_practitioner)
    client = api_for(nhs_practitioner)
    assert client.get(f"/api/v1/missing-episodes/{episode.pk}/").status_code == 404
    case_services.case_share(
        actor=cfs_manager,
        young_person=child,
        agency=nhs_practitioner.agency,
        lawful_basis="child_protection",
        reason="joint work",
    )
    body = client.get(f"/api/v1/missing-episodes/{episode.pk}/").json()
    assert body["return_discussion"] == "not_offered"  # the return discussion travels with it


def test_every_record_read_is_in_the_access_log(
    cfs_practitioner: User, young_person: YoungPerson, api_for
) -> None:
    referrals = [
        ReferralFactory(young_person=young_person, created_by=cfs_practitioner) for _ in range(3)
    ]
    client = api_for(cfs_practitioner)
    client.get("/api/v1/referrals/")
    client.get(f"/api/v1/referrals/{referrals[0].pk}/")
    logged = list(
        AccessEvent.objects.filter(
            user=cfs_practitioner, action="view", object_type="cases.referral"
        ).values_list("object_id", flat=True)
    )
    assert sorted(logged) == sorted([r.pk for r in referrals] + [referrals[0].pk])


def test_cursor_pages_walk_every_row_once(
    cfs_practitioner: User, young_person: YoungPerson, api_for
) -> None:
    made = {
        ReferralFactory(young_person=young_person, created_by=cfs_practitioner).pk for _ in range(7)
    }
    client, seen, url = api_for(cfs_practitioner), [], "/api/v1/referrals/?page_size=3"
    while url:
        page = client.get(url).json()
        seen += [row["id"] for row in page["results"]]
        url = page["next"]
    assert sorted(seen) == sorted(made)
    assert "cursor=" in client.get("/api/v1/referrals/?page_size=3").json()["next"]


ENDPOINTS: dict[str, Callable[[User, YoungPerson], object]] = {
    "referrals": lambda u, yp: ReferralFactory(young_person=yp, created_by=u),
    "missing-episodes": lambda u, yp: MissingEpisodeFactory(young_person=yp, created_by=u),
    "young-people": lambda u, yp: make_young_person(u, first_name="More"),
}


@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
def test_a_page_costs_the_same_queries_for_5_rows_as_for_25(
    endpoint: str, cfs_practitioner: User, young_person: YoungPerson
) -> None:
    client: APIClient = session_client(cfs_practitioner)
    client.get(f"/api/v1/{endpoint}/")  # warm the session

    def count(rows: int) -> int:
        while len(client.get(f"/api/v1/{endpoint}/").json()["results"]) < rows:
            ENDPOINTS[endpoint](cfs_practitioner, young_person)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/api/v1/{endpoint}/").status_code == 200
        return len(queries)

    assert count(5) == count(25)


def test_list_query_count_is_pinned(
    cfs_practitioner: User, young_person: YoungPerson, django_assert_num_queries
) -> None:
    for _ in range(10):
        ReferralFactory(young_person=young_person, created_by=cfs_practitioner)
    client = session_client(cfs_practitioner)
    client.get("/api/v1/referrals/")
    # session, the user (with its agency joined, and on PostgreSQL its roles: accounts/
    # backends.py; elsewhere the roles are one query more), the page, one access-log insert
    # for all its rows, and the session's own save (a savepoint around an update:
    # SessionLifetimeMiddleware).
    from django.db import connection

    with django_assert_num_queries(7 if connection.vendor == "postgresql" else 8):
        client.get("/api/v1/referrals/")


def test_anonymous_callers_get_401_not_a_redirect(client) -> None:
    response = client.get("/api/v1/referrals/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"


def test_an_unverified_session_is_not_an_api_caller_when_two_factor_is_required(
    settings, cfs_practitioner: User
) -> None:
    settings.CSE_REQUIRE_2FA = True
    assert session_client(cfs_practitioner).get("/api/v1/referrals/").status_code == 401


def test_action_plan_is_read_by_plan_viewers_only(
    cfs_manager: User, cfs_practitioner: User, api_for
) -> None:
    items = api_for(cfs_manager).get("/api/v1/action-items/?page_size=200").json()["results"]
    assert items and "lead_agencies" in items[0]
    assert api_for(cfs_practitioner).get("/api/v1/action-items/").json()["results"] == []
    assert (
        api_for(cfs_practitioner).get(f"/api/v1/action-items/{items[0]['id']}/").status_code == 404
    )
