"""MAOG corrections (issue 14) and hardening (issue 13 items 3 and 4), through the real
views and services, as the personas in tests/maog/conftest.py."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessEvent
from cases import services
from maog import services as maog_services
from maog.models import Intelligence, PersonShare
from partnership.models import Agency
from partnership.roles import Role
from tests.cases.conftest import client_for

pytestmark = pytest.mark.django_db


# --- Intelligence grading: 3x5x2 ---------------------------------------------------------------


def test_intelligence_is_graded_3x5x2_and_the_old_scales_are_refused(world: dict) -> None:
    maog = world["people"]["maog"]
    entry = world["objects"]["intelligence"]
    page = client_for(maog).get(reverse("maog:intelligence_detail", args=[entry.pk]))
    html = page.content.decode()
    assert "2B P" in html
    assert "2: untested" in html and "B: known indirectly, corroborated" in html
    form = client_for(maog).get(reverse("maog:intelligence_create")).content.decode()
    assert "Source evaluation" in form and "Intelligence assessment" in form
    assert "E: suspected to be false" in form and "3: not reliable" in form
    with pytest.raises(ValidationError) as refused:
        maog_services.intelligence_create(
            actor=maog,
            received_on=timezone.localdate(),
            source_agency=maog.agency,
            source_evaluation="A",  # the old, reversed scale
            intelligence_assessment="4",
            handling_code="P",
            category="gangs",
            narrative="x",
        )
    assert set(refused.value.message_dict) >= {"source_evaluation", "intelligence_assessment"}
    assert Intelligence.objects.count() == 1


# --- Sharing a person of concern: lawful basis and revocation --------------------------------


def test_sharing_a_person_needs_a_lawful_basis_and_can_be_revoked(world: dict) -> None:
    person = world["objects"]["person"]
    outsider = world["people"]["other_agency"]
    detail = reverse("maog:person_detail", args=[person.pk])
    manager = client_for(world["people"]["owner_manager"])
    share_url = reverse("maog:person_share", args=[person.pk])
    no_basis = manager.post(share_url, {"agency": outsider.agency_id, "reason": "Support"})
    assert no_basis.status_code == 200 and "Lawful basis for sharing" in no_basis.content.decode()
    assert client_for(outsider).get(detail).status_code == 404
    # "Not recorded" describes grants made before a basis was asked for: never chosen now.
    with pytest.raises(ValidationError):
        maog_services.person_share(
            actor=world["people"]["owner_manager"],
            person=person,
            agency=outsider.agency,
            lawful_basis=PersonShare.LawfulBasis.NOT_RECORDED,
            reason="x",
        )
    response = manager.post(
        share_url,
        {"agency": outsider.agency_id, "lawful_basis": "crime_prevention", "reason": "Support"},
    )
    assert response.status_code == 302
    assert client_for(outsider).get(detail).status_code == 200
    share = PersonShare.objects.get(person=person, agency=outsider.agency)
    assert (share.lawful_basis, share.shared_by) == (
        "crime_prevention",
        world["people"]["owner_manager"],
    )
    page = manager.get(detail).content.decode()
    assert "prevention or detection of crime" in page
    revoke = reverse("maog:person_share_revoke", args=[share.pk])
    # Only the owner agency's managers revoke: anyone else is told the page does not exist.
    for persona in ("owner_practitioner", "other_agency", "shared_agency", "maog"):
        assert client_for(world["people"][persona]).post(revoke).status_code == 404, persona
    assert manager.post(revoke, {"reason": "Work ended"}).status_code == 302
    assert client_for(outsider).get(detail).status_code == 404
    share.refresh_from_db()
    assert share.revoked_by == world["people"]["owner_manager"]
    assert share.revoke_reason == "Work ended"
    assert manager.get(revoke).status_code == 404  # already revoked
    assert AccessEvent.objects.filter(
        action="revoke", object_type="maog.personofconcern", object_id=person.pk
    ).exists()
    # The NHS share made when the world was built is untouched.
    assert client_for(world["people"]["shared_agency"]).get(detail).status_code == 200


def test_who_a_person_was_shared_with_is_only_shown_to_the_owner_managers(world: dict) -> None:
    detail = reverse("maog:person_detail", args=[world["objects"]["person"].pk])
    assert (
        "Shared with" in client_for(world["people"]["owner_manager"]).get(detail).content.decode()
    )
    for persona in ("owner_practitioner", "shared_agency", "maog"):
        page = client_for(world["people"][persona]).get(detail).content.decode()
        assert "Shared with" not in page and "joint working" not in page, persona


# --- Vehicles and online handles: list pages with filters --------------------------------------


def test_vehicle_and_handle_lists_show_only_what_the_user_may_see(world: dict, make_user) -> None:
    barnardos = make_user("barnardos", Role.PRACTITIONER, username="barnardos.lists")
    own_vehicle = maog_services.vehicle_create(actor=barnardos, registration="AB12 CDE")
    own_handle = maog_services.handle_create(actor=barnardos, platform="TikTok", handle="own_one")
    world_vehicle = world["objects"]["vehicle"]  # CFS's, linked to a CFS person
    lists = {"maog:vehicle_list": "SX15ABC", "maog:handle_list": "al_dundee"}
    for name, secret in lists.items():
        page = client_for(barnardos).get(reverse(name)).content.decode()
        assert secret not in page, name
        # The platform of a handle out of reach is not even a filter choice.
        assert "Snapchat" not in page, name
    page = client_for(barnardos).get(reverse("maog:vehicle_list")).content.decode()
    assert own_vehicle.registration in page
    page = client_for(barnardos).get(reverse("maog:handle_list")).content.decode()
    assert own_handle.handle in page and "TikTok" in page
    # The MAOG pools everything; filters narrow it.
    maog = client_for(world["people"]["maog"])
    everything = maog.get(reverse("maog:vehicle_list")).content.decode()
    assert world_vehicle.registration in everything and own_vehicle.registration in everything
    by_plate = maog.get(reverse("maog:vehicle_list"), {"q": "sx15 a"}).content.decode()
    assert world_vehicle.registration in by_plate and own_vehicle.registration not in by_plate
    by_person = maog.get(reverse("maog:handle_list"), {"person": "big al"}).content.decode()
    assert "al_dundee" in by_person and "own_one" not in by_person
    by_platform = maog.get(reverse("maog:handle_list"), {"platform": "TikTok"}).content.decode()
    assert "own_one" in by_platform and "al_dundee" not in by_platform


def test_a_hidden_persons_name_never_narrows_a_vehicle_list(world: dict, make_user) -> None:
    """Filtering by "Big Al" (a CFS person not shared with Barnardo's) must not tell a
    Barnardo's user which of its vehicles are linked to him."""
    barnardos = make_user("barnardos", Role.PRACTITIONER, username="barnardos.filter")
    vehicle = maog_services.vehicle_create(actor=barnardos, registration="ZZ99ZZZ")
    maog_services.link_create(
        actor=world["people"]["maog"],  # the MAOG sees (and may link) every record
        person=world["objects"]["person"],
        vehicle=vehicle,
        nature="uses",
    )
    client = client_for(barnardos)
    page = client.get(reverse("maog:vehicle_list"), {"person": "big al"}).content.decode()
    assert "ZZ99ZZZ" not in page


# --- Issue 13 item 3: editing an allegation keeps links the editor cannot see ------------------


def _allegation_with_a_child_out_of_reach(world: dict, make_user) -> tuple:
    """A CFS allegation about the CFS child and a Barnardo's child whose case was shared with
    the CFS when it was recorded, and has been revoked since."""
    barnardos_manager = make_user("barnardos", Role.AGENCY_MANAGER, username="barnardos.mgr")
    other_child = services.young_person_create(
        actor=barnardos_manager,
        first_name="Hidden",
        last_name="Elsewhere",
        sex="female",
        date_of_birth=timezone.localdate() - dt.timedelta(days=14 * 365),
    )
    share = services.case_share(
        actor=barnardos_manager,
        young_person=other_child,
        agency=Agency.objects.get(code="cfs"),
        lawful_basis="child_protection",
        reason="joint",
    )
    owner = world["people"]["owner_practitioner"]
    allegation = maog_services.allegation_create(
        actor=owner,
        persons=[world["objects"]["person"]],
        young_people=[world["objects"]["young_person"], other_child],
        summary="Two children",
        alleged_on=timezone.localdate() - dt.timedelta(days=3),
    )
    services.case_share_revoke(actor=barnardos_manager, share=share)
    return allegation, other_child


def test_editing_an_allegation_keeps_children_the_editor_cannot_see(world: dict, make_user):
    allegation, other_child = _allegation_with_a_child_out_of_reach(world, make_user)
    client = client_for(world["people"]["owner_practitioner"])
    url = reverse("maog:allegation_edit", args=[allegation.pk])
    form = client.get(url).content.decode()
    assert "And 1 other held by another agency, kept as it is." in form
    assert "Hidden" not in form and "Elsewhere" not in form
    response = client.post(
        url,
        {
            "persons": [world["objects"]["person"].pk],
            "young_people": [world["objects"]["young_person"].pk],
            "summary": "Two children, edited",
            "alleged_on_day": allegation.alleged_on.day,
            "alleged_on_month": allegation.alleged_on.month,
            "alleged_on_year": allegation.alleged_on.year,
            "prosecution_outcome": "pending",
            "version": allegation.version,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    allegation.refresh_from_db()
    assert allegation.summary == "Two children, edited"
    assert set(allegation.young_people.values_list("pk", flat=True)) == {
        world["objects"]["young_person"].pk,
        other_child.pk,
    }


def test_an_editor_can_still_remove_a_child_they_can_see(world: dict, make_user) -> None:
    allegation, other_child = _allegation_with_a_child_out_of_reach(world, make_user)
    second = world["objects"]["young_person"]
    maog_services.allegation_update(
        actor=world["people"]["owner_practitioner"],
        allegation=allegation,
        expected_version=allegation.version,
        changes={"young_people": []},
    )
    assert list(allegation.young_people.values_list("pk", flat=True)) == [other_child.pk]
    assert second.pk not in allegation.young_people.values_list("pk", flat=True)


# --- Issue 13 item 4: history never shows internal ids of what the viewer cannot see -----------


def test_history_says_a_record_you_cannot_see_instead_of_an_id(world: dict, make_user) -> None:
    allegation, other_child = _allegation_with_a_child_out_of_reach(world, make_user)
    owner = world["people"]["owner_practitioner"]
    maog_services.allegation_update(
        actor=owner,
        allegation=allegation,
        expected_version=allegation.version,
        changes={"young_people": [world["objects"]["young_person"]], "summary": "Changed"},
    )
    # Drop the visible child so the history has a change that names both children.
    allegation.refresh_from_db()
    maog_services.allegation_update(
        actor=owner,
        allegation=allegation,
        expected_version=allegation.version,
        changes={"young_people": []},
    )
    page = client_for(owner).get(reverse("maog:allegation_history", args=[allegation.pk]))
    html = page.content.decode()
    assert "a record you cannot see" in html
    assert "Network Child" in html  # the child the owner can see is named
    assert "Hidden" not in html and "Elsewhere" not in html
    assert f"'youngperson': {other_child.pk}" not in html
    assert f"&#x27;youngperson&#x27;: {other_child.pk}" not in html
