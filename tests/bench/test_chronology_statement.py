"""The chronology reads every record source in one statement, compiled once per user
(cases/chronology.py). What a compiled statement must never do: serve one child's records for
another, outlive a change of role, agency or share, or hide a source that ignores the child."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from cases import chronology
from cases import services as case_services
from cases.chronology import RecordKind, RecordSource, young_person_chronology
from cases.models import CaseShare, Referral
from partnership.models import Agency
from partnership.roles import Role
from tests.cases.conftest import client_for
from tests.factories import MissingEpisodeFactory, ReferralFactory, YoungPersonFactory
from tests.maog.conftest import build_world, world_people

pytestmark = pytest.mark.django_db


def _fresh(user: User) -> User:
    """The user as the next request loads it (roles not cached on the instance)."""
    return User.objects.select_related("agency").get(pk=user.pk)


def _titles(user: User, young_person) -> list[str]:
    return [e.title for e in young_person_chronology(user=_fresh(user), young_person=young_person)]


def test_one_statement_serves_each_child_its_own_records(cfs_practitioner) -> None:
    cfs = cfs_practitioner.agency
    first = YoungPersonFactory(owner_agency=cfs)
    second = YoungPersonFactory(owner_agency=cfs)
    ReferralFactory(young_person=first, owner_agency=cfs, concerns="FIRST-CHILD")
    ReferralFactory(young_person=second, owner_agency=cfs, concerns="SECOND-CHILD")
    client = client_for(cfs_practitioner)
    # Same user, same compiled statement, two children: each page shows its own child only.
    first_page = client.get(reverse("cases:chronology", args=[first.pk])).content.decode()
    second_page = client.get(reverse("cases:chronology", args=[second.pk])).content.decode()
    assert "FIRST-CHILD" in first_page and "SECOND-CHILD" not in first_page
    assert "SECOND-CHILD" in second_page and "FIRST-CHILD" not in second_page


def test_every_record_source_is_read_in_one_query(make_user) -> None:
    world = build_world(world_people(make_user))
    maog = _fresh(world["people"]["maog"])
    young_person = world["objects"]["young_person"]
    MissingEpisodeFactory(young_person=young_person, owner_agency=young_person.owner_agency)
    young_person_chronology(user=maog, young_person=young_person)  # compiles
    with CaptureQueriesContext(connection) as queries:
        events = young_person_chronology(user=maog, young_person=young_person)
    assert len(queries) == 1, [q["sql"][:80] for q in queries]
    assert "UNION ALL" in queries[0]["sql"]
    kinds = {event.kind for event in events}
    assert {"Allegation", "Intelligence (MAOG)", "Missing episode"} <= kinds, kinds


def test_a_role_granted_or_removed_changes_what_the_next_view_reads(make_user) -> None:
    world = build_world(world_people(make_user))
    police = world["people"]["non_maog"]
    young_person = world["objects"]["young_person"]
    assert "Intelligence: Party flats" not in " ".join(_titles(police, young_person))
    maog_group = Group.objects.get(name=Role.MAOG_MEMBER)
    police.groups.add(maog_group)
    assert any(t.startswith("Intelligence:") for t in _titles(police, young_person))
    police.groups.remove(maog_group)
    assert not any(t.startswith("Intelligence:") for t in _titles(police, young_person))
    police.is_active = False
    police.save(update_fields=["is_active"])
    assert _titles(police, young_person) == []


def test_a_revoked_share_or_a_new_agency_hides_the_records_at_once(
    cfs_practitioner, police_manager
) -> None:
    child = YoungPersonFactory(owner_agency=police_manager.agency)
    ReferralFactory(young_person=child, owner_agency=police_manager.agency, concerns="SHARED")
    share = case_services.case_share(
        actor=police_manager,
        young_person=child,
        agency=cfs_practitioner.agency,
        lawful_basis=CaseShare.LawfulBasis.CONSENT,
        reason="Short piece of work",
    )
    assert any("Referral received" in t for t in _titles(cfs_practitioner, child))
    case_services.case_share_revoke(actor=police_manager, share=share, reason="Done")
    assert _titles(cfs_practitioner, child) == []
    # Shared again, then the user moves to an agency the case was never shared with.
    case_services.case_share(
        actor=police_manager,
        young_person=child,
        agency=cfs_practitioner.agency,
        lawful_basis=CaseShare.LawfulBasis.CONSENT,
        reason="Again",
    )
    assert _titles(cfs_practitioner, child)
    cfs_practitioner.agency = Agency.objects.get(code="barnardos")
    cfs_practitioner.save(update_fields=["agency"])
    assert _titles(cfs_practitioner, child) == []


def test_a_record_source_that_ignores_the_child_is_refused(cfs_practitioner, monkeypatch) -> None:
    child = YoungPersonFactory(owner_agency=cfs_practitioner.agency)
    ReferralFactory(owner_agency=cfs_practitioner.agency, concerns="ANOTHER CHILD")
    leaky = RecordSource(
        kinds={
            "all": RecordKind(
                {"date_1": "received_on", "text_1": "concerns"},
                lambda row, urls: [],
            )
        },
        # Every referral of the agency, whoever it is about: must never reach a page.
        visible=lambda *, user, young_person: {
            "all": Referral.objects.filter(owner_agency_id=user.agency_id)
        },
    )
    monkeypatch.setitem(chronology._SOURCES, "leaky", leaky)
    with pytest.raises(ImproperlyConfigured):
        young_person_chronology(user=_fresh(cfs_practitioner), young_person=child)


def test_dates_times_and_scores_survive_the_statement(cfs_practitioner) -> None:
    """SQLite hands back text for dates, times and decimals; the page must not notice."""
    cfs = cfs_practitioner.agency
    child = YoungPersonFactory(owner_agency=cfs)
    ReferralFactory(young_person=child, owner_agency=cfs, received_on=dt.date(2025, 3, 10))
    episode = MissingEpisodeFactory(young_person=child, owner_agency=cfs)
    events = young_person_chronology(user=_fresh(cfs_practitioner), young_person=child)
    received = next(event for event in events if event.kind == "Referral")
    reported = next(event for event in events if event.title.startswith("Reported"))
    assert received.at.date() == dt.date(2025, 3, 10)
    assert reported.at == episode.missing_from
    assert all(isinstance(event.at, dt.datetime) for event in events)
    assert [event.at for event in events] == sorted(event.at for event in events)
