"""Every MAOG URL x every persona -> the status it must answer (personas not named: 404).

tests/cases/test_permission_matrix.py imports INTEL_EXPECTATIONS so its completeness check
knows these URLs are declared here.
"""

import pytest
from django.urls import reverse

from tests.cases.conftest import client_for
from tests.urlwalk import project_routes

pytestmark = pytest.mark.django_db

PERSONAS = (
    "owner_practitioner",
    "owner_manager",
    "other_agency",
    "shared_agency",
    "maog",
    "non_maog",
    "clerk",
    "vap_chair",
    "admin",
)
CASEWORK = {
    p: 200
    for p in (
        "owner_practitioner",
        "owner_manager",
        "other_agency",
        "shared_agency",
        "maog",
        "non_maog",
    )
}
OWNER_EDIT = {"owner_practitioner": 200, "owner_manager": 200}
OWNER_MANAGER = {"owner_manager": 200}
# The person is CFS's, shared with NHS; the MAOG sees every person.
PERSON_READ = {"owner_practitioner": 200, "owner_manager": 200, "shared_agency": 200, "maog": 200}
# The young person's case is CFS's, shared with NHS and police (both police personas).
CASE_READ = {
    "owner_practitioner": 200,
    "owner_manager": 200,
    "shared_agency": 200,
    "maog": 200,
    "non_maog": 200,
}
# Allegations follow the young people they are about: police see the shared case.
ALLEGATION_READ = {**PERSON_READ, "non_maog": 200}
MAOG = {"maog": 200}

INTEL_EXPECTATIONS: dict[str, tuple[str | None, dict[str, int]]] = {
    "maog:person_list": (None, CASEWORK),
    "maog:person_find": (None, CASEWORK),
    "maog:person_create": (None, CASEWORK),
    "maog:person_detail": ("person", PERSON_READ),
    "maog:person_edit": ("person", OWNER_EDIT),
    "maog:person_history": ("person", PERSON_READ),
    "maog:person_share": ("person", OWNER_MANAGER),
    "maog:person_share_revoke": ("person_share", OWNER_MANAGER),
    "maog:person_link_create": ("person", PERSON_READ),
    "maog:person_network": ("person", PERSON_READ),
    "maog:young_person_network": ("young_person", CASE_READ),
    "maog:place_list": (None, CASEWORK),
    "maog:place_create": (None, CASEWORK),
    "maog:place_detail": ("place", CASEWORK),
    "maog:place_edit": ("place", OWNER_EDIT),
    "maog:place_history": ("place", CASEWORK),
    "maog:place_link_create": ("place", CASEWORK),
    "maog:vehicle_list": (None, CASEWORK),
    "maog:vehicle_create": (None, CASEWORK),
    "maog:vehicle_detail": ("vehicle", PERSON_READ),
    "maog:vehicle_edit": ("vehicle", OWNER_EDIT),
    "maog:handle_list": (None, CASEWORK),
    "maog:handle_create": (None, CASEWORK),
    "maog:handle_detail": ("handle", PERSON_READ),
    "maog:handle_edit": ("handle", OWNER_EDIT),
    "maog:allegation_list": (None, CASEWORK),
    "maog:allegation_create": (None, CASEWORK),
    "maog:allegation_detail": ("allegation", ALLEGATION_READ),
    "maog:allegation_edit": ("allegation", OWNER_EDIT),
    "maog:allegation_history": ("allegation", ALLEGATION_READ),
    "maog:intelligence_list": (None, MAOG),
    "maog:intelligence_create": (None, MAOG),
    "maog:intelligence_detail": ("intelligence", MAOG),
    "maog:intelligence_edit": ("intelligence", MAOG),
    "maog:intelligence_history": ("intelligence", MAOG),
    "maog:networks": (None, MAOG),
    "maog:hotspots": (None, MAOG),
}


def test_every_intel_url_is_declared() -> None:
    routes = {r.name for r in project_routes() if r.name.startswith("maog:")}
    assert routes == set(INTEL_EXPECTATIONS)


def test_intel_permission_matrix(world: dict) -> None:
    failures = []
    for persona in PERSONAS:
        client = client_for(world["people"][persona])
        for name, (object_key, allowed) in INTEL_EXPECTATIONS.items():
            args = [world["objects"][object_key].pk] if object_key else []
            expected = allowed.get(persona, 404)
            status = client.get(reverse(name, args=args)).status_code
            if status != expected:
                failures.append(f"{persona} GET {name}: {status}, expected {expected}")
    assert not failures, "\n".join(failures)


def test_writes_out_of_reach_answer_404_and_change_nothing(world: dict) -> None:
    person = world["objects"]["person"]
    for persona in ("other_agency", "shared_agency", "maog"):
        response = client_for(world["people"][persona]).post(
            reverse("maog:person_edit", args=[person.pk]),
            {"name": "Overwritten", "sex": "male", "ethnicity": "not_known", "version": 1},
        )
        assert response.status_code == 404, persona
    person.refresh_from_db()
    assert person.name == "Adult Concern"
    entry = world["objects"]["intelligence"]
    response = client_for(world["people"]["non_maog"]).post(
        reverse("maog:intelligence_edit", args=[entry.pk]), {"narrative": "x"}
    )
    assert response.status_code == 404


def test_intelligence_404_is_the_same_as_a_missing_entry(world: dict) -> None:
    client = client_for(world["people"]["non_maog"])
    entry = world["objects"]["intelligence"]
    forbidden = client.get(reverse("maog:intelligence_detail", args=[entry.pk]))
    missing = client.get(reverse("maog:intelligence_detail", args=[999999]))
    assert forbidden.status_code == missing.status_code == 404
