"""Every URL of the cases app x every persona -> the status it must answer.

Adding a cases URL without declaring its expectations here fails the build.
"""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import RiskTool
from partnership.models import Agency
from partnership.roles import Role
from tests.cases.conftest import client_for
from tests.maog.test_permission_matrix import INTEL_EXPECTATIONS
from tests.urlwalk import project_routes

pytestmark = pytest.mark.django_db

PERSONAS = (
    "owner_practitioner",
    "owner_manager",
    "other_agency",
    "shared_agency",
    "clerk",
    "vap_chair",
    "admin",
)
CASEWORK = {
    "owner_practitioner": 200,
    "owner_manager": 200,
    "other_agency": 200,
    "shared_agency": 200,
}
CASE_READ = {"owner_practitioner": 200, "owner_manager": 200, "shared_agency": 200}
OWNER_EDIT = {"owner_practitioner": 200, "owner_manager": 200}
OWNER_MANAGER = {"owner_manager": 200}

# url name -> (object the URL addresses, {persona: status}); personas not named get 404.
EXPECTATIONS: dict[str, tuple[str | None, dict[str, int]]] = {
    "cases:my_work": (None, CASEWORK),
    "cases:attention": (None, CASEWORK),
    "cases:young_person_list": (None, CASEWORK),
    "cases:young_person_find": (None, CASEWORK),
    "cases:young_person_create": (None, CASEWORK),
    "cases:referral_list": (None, CASEWORK),
    "cases:referral_start": (None, CASEWORK),
    "cases:missing_list": (None, CASEWORK),
    "cases:young_person_detail": ("young_person", CASE_READ),
    "cases:young_person_edit": ("young_person", OWNER_EDIT),
    "cases:chronology": ("young_person", CASE_READ),
    "cases:young_person_history": ("young_person", CASE_READ),
    "cases:access_log": ("young_person", OWNER_MANAGER),
    "cases:share_create": ("young_person", OWNER_MANAGER),
    "cases:share_revoke": ("share", OWNER_MANAGER),
    "cases:referral_create": ("young_person", CASE_READ),
    "cases:marker_create": ("young_person", CASE_READ),
    "cases:assessment_create": ("young_person", CASE_READ),
    "cases:missing_create": ("young_person", CASE_READ),
    "cases:support_create": ("young_person", CASE_READ),
    "cases:feedback_create": ("young_person", CASE_READ),
    "cases:referral_detail": ("referral", CASE_READ),
    "cases:referral_edit": ("referral", OWNER_EDIT),
    "cases:referral_history": ("referral", CASE_READ),
    "cases:marker_edit": ("marker", OWNER_EDIT),
    "cases:marker_history": ("marker", CASE_READ),
    "cases:assessment_detail": ("assessment", CASE_READ),
    "cases:assessment_history": ("assessment", CASE_READ),
    "cases:missing_detail": ("episode", CASE_READ),
    "cases:missing_edit": ("episode", OWNER_EDIT),
    "cases:missing_history": ("episode", CASE_READ),
    "cases:support_edit": ("support", OWNER_EDIT),
    "cases:support_history": ("support", CASE_READ),
}


def test_every_cases_url_has_declared_expectations() -> None:
    routes = {route.name for route in project_routes() if route.name.startswith("cases:")}
    # The MAOG pages (persons, places, intelligence...) have their own matrix and personas.
    routes -= set(INTEL_EXPECTATIONS)
    missing = routes - set(EXPECTATIONS)
    assert not missing, f"declare permission expectations for: {sorted(missing)}"
    assert not set(EXPECTATIONS) - routes, "expectations for URLs that no longer exist"


@pytest.fixture
def world(make_user) -> dict:
    people = {
        "owner_practitioner": make_user("cfs", Role.PRACTITIONER),
        "owner_manager": make_user("cfs", Role.AGENCY_MANAGER),
        "other_agency": make_user("police", Role.PRACTITIONER),
        "shared_agency": make_user("nhs", Role.PRACTITIONER),
        "clerk": make_user("cfs", Role.COMMITTEE_CLERK),
        "vap_chair": make_user("cfs", Role.VAP_CHAIR),
        "admin": make_user("cfs", Role.ADMINISTRATOR),
    }
    actor = people["owner_practitioner"]
    today = timezone.localdate()
    young_person = services.young_person_create(
        actor=actor,
        first_name="Matrix",
        last_name="Child",
        sex="female",
        date_of_birth=today - dt.timedelta(days=15 * 365),
    )
    tool = RiskTool.objects.get()
    objects = {
        "young_person": young_person,
        "referral": services.referral_create(
            actor=actor,
            young_person=young_person,
            received_on=today,
            concerns="c",
            initial_risk_level="mild",
        ),
        "marker": services.marker_create(
            actor=actor,
            young_person=young_person,
            marker_type="at_risk",
            start_date=today,
            risk_level="mild",
        ),
        "assessment": services.risk_assessment_create(
            actor=actor,
            young_person=young_person,
            tool=tool,
            assessed_on=today,
            answers={item.pk: "none" for item in tool.items.all()},
        ),
        "episode": services.missing_episode_create(
            actor=actor,
            young_person=young_person,
            missing_from=timezone.now() - dt.timedelta(hours=5),
            category="missing_low",
            placement_type="home",
        ),
        "support": services.support_create(
            actor=actor,
            young_person=young_person,
            provider_agency=Agency.objects.get(code="barnardos"),
            service_type="one_to_one",
            offered_on=today,
        ),
        "share": services.case_share(
            actor=people["owner_manager"],
            young_person=young_person,
            agency=Agency.objects.get(code="nhs"),
            lawful_basis="child_protection",
            reason="r",
        ),
    }
    return {"people": people, "objects": objects}


def test_permission_matrix(world: dict) -> None:
    failures = []
    for persona in PERSONAS:
        client = client_for(world["people"][persona])
        for name, (object_key, allowed) in EXPECTATIONS.items():
            args = [world["objects"][object_key].pk] if object_key else []
            expected = allowed.get(persona, 404)
            status = client.get(reverse(name, args=args)).status_code
            if status != expected:
                failures.append(f"{persona} GET {name}: {status}, expected {expected}")
    assert not failures, "\n".join(failures)


def test_writes_out_of_reach_answer_404_and_change_nothing(world: dict) -> None:
    client = client_for(world["people"]["other_agency"])
    referral = world["objects"]["referral"]
    response = client.post(
        reverse("cases:referral_edit", args=[referral.pk]),
        {
            "received_on_day": referral.received_on.day,
            "received_on_month": referral.received_on.month,
            "received_on_year": referral.received_on.year,
            "concerns": "overwritten",
            "initial_risk_level": "mild",
            "outcome": "still_open",
            "version": referral.version,
        },
    )
    assert response.status_code == 404
    referral.refresh_from_db()
    assert referral.concerns == "c"


def test_forbidden_and_missing_answer_identically(world: dict) -> None:
    client = client_for(world["people"]["other_agency"])
    forbidden = client.get(
        reverse("cases:young_person_detail", args=[world["objects"]["young_person"].pk])
    )
    missing = client.get(reverse("cases:young_person_detail", args=[999999]))
    assert forbidden.status_code == missing.status_code == 404

    # Identical but for the per-response masked CSRF token (and CSP nonce, if any).
    def normalise(content: bytes) -> str:
        return re.sub(r'(value|nonce)="[A-Za-z0-9+/=_-]{20,}"', "", content.decode())

    assert normalise(forbidden.content) == normalise(missing.content)
