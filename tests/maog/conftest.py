"""A small MAOG world: a CFS case shared with NHS and police, a CFS person of concern
shared with NHS, a place, vehicle and handle linked to the person, an allegation, and an
intelligence entry recorded by the police MAOG member."""

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone

from accounts.models import User
from cases import services
from maog import services as intel_services
from partnership.models import Agency
from partnership.roles import Role


def world_people(make_user: Callable[..., User]) -> dict[str, User]:
    return {
        "owner_practitioner": make_user("cfs", Role.PRACTITIONER),
        "owner_manager": make_user("cfs", Role.AGENCY_MANAGER),
        "other_agency": make_user("barnardos", Role.PRACTITIONER),
        "shared_agency": make_user("nhs", Role.PRACTITIONER),
        "maog": make_user("police", Role.PRACTITIONER, Role.MAOG_MEMBER, username="police.maog"),
        "non_maog": make_user("police", Role.PRACTITIONER),
        "clerk": make_user("cfs", Role.COMMITTEE_CLERK, username="clerk"),
        "vap_chair": make_user("cfs", Role.VAP_CHAIR, username="vap.chair"),
        "admin": make_user("cfs", Role.ADMINISTRATOR, username="admin"),
    }


def build_world(people: dict[str, User]) -> dict:
    actor = people["owner_practitioner"]
    today = timezone.localdate()
    nhs = Agency.objects.get(code="nhs")
    young_person = services.young_person_create(
        actor=actor,
        first_name="Network",
        last_name="Child",
        sex="female",
        date_of_birth=today - dt.timedelta(days=15 * 365),
    )
    services.case_share(
        actor=people["owner_manager"],
        young_person=young_person,
        agency=nhs,
        lawful_basis="child_protection",
        reason="health",
    )
    # Police hold the criminal side: the case is shared with them too, so the MAOG member
    # (police) can tie intelligence to the child.
    services.case_share(
        actor=people["owner_manager"],
        young_person=young_person,
        agency=Agency.objects.get(code="police"),
        lawful_basis="child_protection",
        reason="joint investigation",
    )
    person = intel_services.person_create(actor=actor, name="Adult Concern", aliases="Big Al")
    person_share = intel_services.person_share(
        actor=people["owner_manager"],
        person=person,
        agency=nhs,
        lawful_basis="child_protection",
        reason="joint working",
    )
    place = intel_services.place_create(actor=actor, name="Flat 3/2", place_type="party_flat")
    vehicle = intel_services.vehicle_create(actor=actor, registration="sx15 abc")
    handle = intel_services.handle_create(actor=actor, platform="Snapchat", handle="al_dundee")
    for target in (
        {"young_person": young_person},
        {"place": place},
        {"vehicle": vehicle},
        {"handle": handle},
    ):
        intel_services.link_create(actor=actor, person=person, nature="associate", **target)
    intel_services.link_create(
        actor=actor, young_person=young_person, place=place, nature="frequents"
    )
    allegation = intel_services.allegation_create(
        actor=actor,
        persons=[person],
        young_people=[young_person],
        summary="Gave alcohol and lifts.",
        alleged_on=today - dt.timedelta(days=30),
        reported_to_police_on=today - dt.timedelta(days=29),
    )
    intelligence = intel_services.intelligence_create(
        actor=people["maog"],
        received_on=today - dt.timedelta(days=5),
        source_agency=Agency.objects.get(code="police"),
        source_evaluation="2",
        intelligence_assessment="B",
        handling_code="P",
        category="party_flats",
        narrative="SECRET-NARRATIVE: young people seen entering the flat late at night.",
        persons=[person],
        young_people=[young_person],
        places=[place],
    )
    return {
        "people": people,
        "objects": {
            "young_person": young_person,
            "person": person,
            "person_share": person_share,
            "place": place,
            "vehicle": vehicle,
            "handle": handle,
            "allegation": allegation,
            "intelligence": intelligence,
        },
    }


@pytest.fixture
def world(make_user: Callable[..., User]) -> dict:
    return build_world(world_people(make_user))
