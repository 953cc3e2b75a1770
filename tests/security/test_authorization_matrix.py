"""One authorization matrix for the whole project (tests/security/authorization.py declares
it): every URL pattern x GET/POST x nine personas x relation to the object (own agency,
shared, other agency, none). A URL pattern without a declared expectation fails the build.

Each test builds the world once and loops over the matrix (a test per cell would build it
hundreds of times).
"""

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from actions import services as action_services
from actions.models import ActionItem
from actions.permissions import ACTIVITY_POLICIES
from cases import services
from cases.models import CaseShare, RiskTool
from partnership.models import Agency
from partnership.periods import current_period
from partnership.policy import registered_policies
from tests.casework.test_permission_matrix import casework_objects
from tests.maog.conftest import build_world, world_people
from tests.performance.test_pages import _ready_report
from tests.security.authorization import (
    FORM,
    IN_REACH_WRITES,
    NOT_ADDRESSED_BY_ID,
    PERSONAS,
    POST_KIND,
    SIGNED_IN,
    addressed_record_types,
    changed,
    form_data,
    matrix,
    normalise,
    snapshot,
)
from tests.urlwalk import project_routes

pytestmark = pytest.mark.django_db

# A valid submission for forms whose unchanged page would be empty (a share needs an
# agency and a reason): the outsider's POST must fail on access, not on validation.
VALID_FORM_EXTRAS: dict[str, Callable[[dict], dict[str, str]]] = {
    "cases:share_create": lambda world: {
        "agency": str(world["agencies"]["barnardos"].pk),
        "lawful_basis": "child_protection",
        "reason": "outsider",
    },
    "cases:share_revoke": lambda world: {"reason": "outsider"},
    "cases:referral_create": lambda world: {
        "received_on_day": "1",
        "received_on_month": "4",
        "received_on_year": "2025",
        "concerns": "outsider",
        "initial_risk_level": "mild",
        "outcome": "still_open",
    },
    "maog:person_share": lambda world: {
        "agency": str(world["agencies"]["barnardos"].pk),
        "lawful_basis": "child_protection",
        "reason": "outsider",
    },
    "maog:person_share_revoke": lambda world: {"reason": "outsider"},
    "actions:request_update": lambda world: {
        "period": world["actions_ctx"]["period"].code,
        "message": "outsider",
    },
    "actions:update_form": lambda world: {"status": "red", "narrative": "outsider"},
    "actions:activity_create": lambda world: {"staff_trained": "3"},
}


def test_every_url_pattern_has_a_declared_expectation() -> None:
    # The API's URLs have their own matrix (token and session callers, 401 for anonymous
    # callers instead of a sign-in redirect): tests/api/test_permission_matrix.py; so have
    # the imports' (agency managers only, batches of their agency): tests/imports/.
    routes = {
        route.name for route in project_routes() if not route.name.startswith(("api:", "imports:"))
    }
    declared = matrix()
    missing = sorted(routes - set(declared))
    assert not missing, f"declare authorization expectations (GET and POST) for: {missing}"
    stale = sorted(set(declared) - routes)
    assert not stale, f"expectations declared for URLs that no longer exist: {stale}"
    assert set(POST_KIND) == routes, "declare how each URL answers POST in POST_KIND"
    for row in declared.values():
        assert set(row.get) == set(row.post) == set(PERSONAS), row.name


@pytest.fixture
def world(make_user: Callable[..., User], settings, tmp_path) -> dict:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }
    people = world_people(make_user)
    world = build_world(people)
    actor = people["owner_practitioner"]
    young_person = world["objects"]["young_person"]
    today = timezone.localdate()
    tool = RiskTool.objects.get()
    world["objects"].update(
        referral=services.referral_create(
            actor=actor,
            young_person=young_person,
            received_on=today,
            concerns="c",
            initial_risk_level="mild",
        ),
        marker=services.marker_create(
            actor=actor,
            young_person=young_person,
            marker_type="at_risk",
            start_date=today,
            risk_level="mild",
        ),
        assessment=services.risk_assessment_create(
            actor=actor,
            young_person=young_person,
            tool=tool,
            assessed_on=today,
            answers={item.pk: "none" for item in tool.items.all()},
        ),
        episode=services.missing_episode_create(
            actor=actor,
            young_person=young_person,
            missing_from=timezone.now() - dt.timedelta(hours=5),
            category="missing_low",
            placement_type="home",
        ),
        support=services.support_create(
            actor=actor,
            young_person=young_person,
            provider_agency=Agency.objects.get(code="wrasac"),
            service_type="one_to_one",
            offered_on=today,
        ),
        share=CaseShare.objects.get(young_person=young_person, agency__code="nhs"),
        report=_ready_report(),
    )
    period = current_period()
    update = action_services.progress_update_save(
        actor=people["vap_chair"],
        item=ActionItem.objects.get(number=3),
        period=period,
        status="green",
        narrative="Meeting monthly.",
        evidence_file=SimpleUploadedFile(
            "minutes.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"
        ),
    )
    world["objects"].update(casework_objects(people, young_person))
    world["actions_ctx"] = {"period": period, "evidence_id": update.evidence.get().pk}
    world["agencies"] = {a.code: a for a in Agency.objects.all()}
    return world


def _client(world: dict, persona: str) -> Client:
    client = Client()
    if persona != "anonymous":
        client.force_login(world["people"][persona])
    return client


def test_get_matrix_and_forbidden_looks_like_missing(world: dict) -> None:
    """GET every URL as every persona, with the real object and with an id that does not
    exist; where the real object is out of reach the two answers must be identical."""
    failures: list[str] = []
    rows = matrix().values()
    for persona in PERSONAS:
        client = _client(world, persona)
        for row in rows:
            response = client.get(row.url(world))
            expected = row.get[persona]
            if response.status_code != expected:
                failures.append(
                    f"{persona} GET {row.name}: {response.status_code}, expected {expected}"
                    f" (declared in {row.source})"
                )
            if not row.addresses_an_object:
                continue
            missing = client.get(row.url(world, missing=True))
            # A POST-only view answers GET with 405 whether the object exists or not.
            none_expected = 302 if persona == "anonymous" else 405 if expected == 405 else 404
            if missing.status_code != none_expected:
                failures.append(
                    f"{persona} GET {row.name} (no such object): {missing.status_code},"
                    f" expected {none_expected}"
                )
            elif expected == 404 and normalise(response.content) != normalise(missing.content):
                failures.append(f"{persona} GET {row.name}: 'forbidden' differs from 'missing'")
    assert not failures, "\n".join(failures)


def test_post_matrix_and_out_of_reach_posts_change_nothing(world: dict) -> None:
    """POST every URL as every persona (empty, then as the owner's filled-in form for the
    personas out of reach), with the real object and a missing one. Nothing may be written
    by an empty POST (but the declared IN_REACH_WRITES) or an out-of-reach POST: every
    table's rows and versions are compared around each request."""
    rows = matrix().values()
    # The form as someone who may use it sees it, so outsiders post a complete submission.
    replay: dict[str, dict[str, str]] = {}
    for row in rows:
        if POST_KIND[row.name] != FORM:
            continue
        in_reach = next((p for p in SIGNED_IN if row.get[p] == 200), None)
        data = {}
        if in_reach is not None:
            data = form_data(_client(world, in_reach).get(row.url(world)).content.decode())
        extra = VALID_FORM_EXTRAS.get(row.name)
        replay[row.name] = {**data, **(extra(world) if extra else {})}

    failures: list[str] = []
    for persona in PERSONAS:
        client = _client(world, persona)
        for row in rows:
            if row.name == "logout":
                # Signing out ends this client's session: use a throw-away one.
                client_for_row = _client(world, persona)
            else:
                client_for_row = client
            attempts = [("empty", row.url(world), {}, row.post[persona])]
            if POST_KIND[row.name] == FORM and row.post[persona] == 404:
                attempts.append(("filled-in", row.url(world), replay[row.name], 404))
            if row.addresses_an_object:
                none_expected = (
                    302 if persona == "anonymous" else 405 if row.post[persona] == 405 else 404
                )
                attempts.append(("no such object", row.url(world, missing=True), {}, none_expected))
            may_write = persona in IN_REACH_WRITES.get(row.name, {})
            for label, url, data, expected in attempts:
                # Each POST runs in a savepoint rolled back afterwards: one request's effect
                # (a declared write, or a bug) cannot change what the next one sees.
                with transaction.atomic():
                    before = snapshot()
                    status = client_for_row.post(url, data).status_code
                    writes = changed(before, snapshot())
                    transaction.set_rollback(True)
                if may_write and label == "empty":
                    writes = []
                if status != expected:
                    failures.append(
                        f"{persona} POST {row.name} ({label}): {status}, expected {expected}"
                        f" (declared in {row.source})"
                    )
                if writes:
                    failures.append(f"{persona} POST {row.name} ({label}) wrote: {writes}")
    assert not failures, "\n".join(failures)


def test_every_record_type_with_a_policy_is_in_the_matrix(world: dict) -> None:
    """The record types come from the policy registry, not from a list kept here: a new
    registered policy fails this until a matrix row addresses one of its records (or it is
    declared in NOT_ADDRESSED_BY_ID with the reason). Every register kind is asked as the
    declared one answers."""
    registered = set(registered_policies())
    assert set(NOT_ADDRESSED_BY_ID) <= registered, "NOT_ADDRESSED_BY_ID names no policy"
    addressed = addressed_record_types(world)
    missing = registered - addressed - set(NOT_ADDRESSED_BY_ID)
    addressed_kinds = {
        kind
        for kind, policy in ACTIVITY_POLICIES.items()
        if policy.model._meta.label_lower in addressed
    }
    # The register's kinds share one URL: each kind answers exactly as the declared row says.
    declared = matrix()["actions:activity_create"]
    failures = []
    for persona in PERSONAS:
        client = _client(world, persona)
        for kind in sorted(set(ACTIVITY_POLICIES) - addressed_kinds):
            url = reverse("actions:activity_create", kwargs={"kind": kind})
            status = client.get(url).status_code
            if status != declared.get[persona]:
                failures.append(f"{persona} GET {url}: {status}, expected {declared.get[persona]}")
    assert not failures, "\n".join(failures)
    missing -= {policy.model._meta.label_lower for policy in ACTIVITY_POLICIES.values()}
    assert not missing, f"no matrix row addresses a record of: {sorted(missing)}"
