"""Every URL of the actions app x every persona -> the status the persona gets.

A new actions URL without a row here fails test_every_actions_url_has_an_expectation.
"""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from actions.models import ProgressUpdate
from partnership.periods import Period
from tests.urlwalk import project_routes

PERSONAS = (
    "lead_manager",
    "other_manager",
    "practitioner",
    "vap_chair",
    "clerk",
    "admin_user",
    "anonymous",
)

# Plan readers: VAP chair, agency managers, administrators.
READ = {
    "lead_manager": 200,
    "other_manager": 200,
    "practitioner": 404,
    "vap_chair": 200,
    "clerk": 404,
    "admin_user": 200,
    "anonymous": 302,
}
# Writing item 3's update: its lead agency's managers and the VAP chair only.
WRITE = {**READ, "other_manager": 404, "admin_user": 404}
CHAIR_ONLY = {**WRITE, "lead_manager": 404}
ACTIVITY_READ = {**READ, "admin_user": 404}
ACTIVITY_RECORD = {**ACTIVITY_READ, "practitioner": 200}

# url name -> (kwargs from the fixtures, expected GET status per persona)
EXPECTATIONS: dict[str, tuple[Callable[[dict], dict], dict[str, int]]] = {
    "actions:plan": (lambda ctx: {}, READ),
    "actions:plan_export": (lambda ctx: {}, READ),
    "actions:item_detail": (lambda ctx: {"number": 3}, READ),
    "actions:update_form": (
        lambda ctx: {"number": 3, "period_code": ctx["period"].code},
        WRITE,
    ),
    "actions:request_update": (lambda ctx: {"number": 3}, CHAIR_ONLY),
    "actions:target_date": (lambda ctx: {"number": 3}, CHAIR_ONLY),
    "actions:evidence_download": (
        lambda ctx: {"evidence_id": ctx["evidence_id"]},
        READ,
    ),
    "actions:activity_list": (lambda ctx: {}, ACTIVITY_READ),
    "actions:activity_create": (lambda ctx: {"kind": "training"}, ACTIVITY_RECORD),
}


def test_every_actions_url_has_an_expectation() -> None:
    names = {route.name for route in project_routes() if route.name.startswith("actions:")}
    assert names == set(EXPECTATIONS), "declare the permission matrix row of every actions URL"


@pytest.fixture
def personas(
    cfs_manager: User,
    police_manager: User,
    cfs_practitioner: User,
    vap_chair: User,
    clerk: User,
    admin_user: User,
) -> dict[str, User | None]:
    return {
        "lead_manager": cfs_manager,
        "other_manager": police_manager,
        "practitioner": cfs_practitioner,
        "vap_chair": vap_chair,
        "clerk": clerk,
        "admin_user": admin_user,
        "anonymous": None,
    }


@pytest.mark.parametrize("url_name", sorted(EXPECTATIONS))
def test_permission_matrix(
    url_name: str,
    personas: dict[str, User | None],
    update_with_evidence: ProgressUpdate,
    period: Period,
) -> None:
    kwargs_for, expected = EXPECTATIONS[url_name]
    ctx = {"period": period, "evidence_id": update_with_evidence.evidence.get().pk}
    url = reverse(url_name, kwargs=kwargs_for(ctx))
    got = {}
    for persona in PERSONAS:
        client = Client()
        if personas[persona] is not None:
            client.force_login(personas[persona])
        got[persona] = client.get(url).status_code
    assert got == expected


@pytest.mark.parametrize(
    "url_name",
    [
        "actions:update_form",
        "actions:request_update",
        "actions:target_date",
        "actions:activity_create",
    ],
)
def test_posting_to_a_form_out_of_reach_is_404_and_writes_nothing(
    url_name: str, personas: dict[str, User | None], item3, period: Period
) -> None:
    kwargs_for, expected = EXPECTATIONS[url_name]
    url = reverse(url_name, kwargs=kwargs_for({"period": period, "evidence_id": 0}))
    for persona, status in expected.items():
        if status != 404:
            continue
        client = Client()
        client.force_login(personas[persona])
        response = client.post(url, {"status": "green", "narrative": "x", "staff_trained": 3})
        assert response.status_code == 404, persona
    assert not ProgressUpdate.objects.exists()
