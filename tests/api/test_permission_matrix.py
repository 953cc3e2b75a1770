"""The authorization matrix of the API: every endpoint x every persona x (the world's real
record, an id that does not exist), through a token and through a signed-in session.

Out of reach is 404, the same answer as a missing id; a list never holds a record out of
reach; no write lands outside reach (every table's rows and versions are compared around
each write). Adding an API URL without declaring it here fails the build.
"""

import datetime as dt
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from actions.models import ActionItem, ProgressUpdate
from tests.api.conftest import session_client, token_client, token_for
from tests.security.authorization import changed, snapshot
from tests.urlwalk import project_routes

pytestmark = pytest.mark.django_db

PERSONAS = (
    "owner_practitioner",
    "owner_manager",
    "other_agency",
    "shared_agency",
    "maog",
    "vap_chair",
    "clerk",
    "admin",
)
MISSING_ID = 999_999
# The case is owned by cfs and shared with nhs and police (the MAOG member's agency).
CASE_READ = {"owner_practitioner", "owner_manager", "shared_agency", "maog"}
OWNER_EDIT = {"owner_practitioner", "owner_manager"}
PLAN_READ = {"owner_manager", "vap_chair", "admin"}

# Record endpoints: router basename -> (world object key, personas that read it).
RECORDS: dict[str, tuple[str, set[str]]] = {
    "young_person": ("young_person", CASE_READ),
    "referral": ("referral", CASE_READ),
    "missing_episode": ("episode", CASE_READ),
    "risk_assessment": ("assessment", CASE_READ),
    "support": ("support", CASE_READ),
    "action_item": ("action_item", PLAN_READ),
    "progress_update": ("progress_update", PLAN_READ),
}
WRITABLE = {"referral", "missing_episode"}
# Endpoints that are not per-record (declared with their GET status for signed-in callers).
OTHER_ROUTES = {"api:schema", "api:export", "api:docs", "api:tokens", "api:token_revoke"}


def test_every_api_url_is_declared() -> None:
    routes = {r.name for r in project_routes() if r.name.startswith("api:")}
    declared = {f"api:{name}-{kind}" for name in RECORDS for kind in ("list", "detail")}
    assert routes == declared | OTHER_ROUTES


def _record(world: dict[str, Any], key: str) -> Any:
    """The world's object of ``key`` (the shared world holds the action plan's by number)."""
    if key == "action_item":
        return ActionItem.objects.get(number=3)
    if key == "progress_update":
        return ProgressUpdate.objects.get(item__number=3)
    return world["objects"][key]


def _clients(world: dict[str, Any], channel: str) -> dict[str, APIClient]:
    people = world["people"]
    if channel == "token":
        return {p: token_client(token_for(people[p])) for p in PERSONAS}
    return {p: session_client(people[p]) for p in PERSONAS}


def _write_body(name: str, world: dict[str, Any]) -> dict[str, Any]:
    young_person = world["objects"]["young_person"].pk
    if name == "referral":
        return {
            "young_person": young_person,
            "received_on": timezone.localdate().isoformat(),
            "concerns": "matrix",
            "initial_risk_level": "mild",
            "external_ref": "M-1",
        }
    return {
        "young_person": young_person,
        "missing_from": (timezone.now() - dt.timedelta(hours=2)).isoformat(),
        "category": "missing_low",
        "placement_type": "home",
        "external_ref": "M-1",
    }


@pytest.mark.parametrize("channel", ["token", "session"])
def test_reads_answer_404_outside_reach_and_lists_hold_only_what_is_in_reach(
    world: dict[str, Any], channel: str
) -> None:
    failures: list[str] = []
    for persona, client in _clients(world, channel).items():
        for name, (key, readers) in RECORDS.items():
            record = _record(world, key)
            detail = client.get(reverse(f"api:{name}-detail", kwargs={"pk": record.pk}))
            expected = 200 if persona in readers else 404
            if detail.status_code != expected:
                failures.append(f"{persona} GET {name} detail: {detail.status_code} != {expected}")
            missing = client.get(reverse(f"api:{name}-detail", kwargs={"pk": MISSING_ID}))
            if missing.status_code != 404:
                failures.append(f"{persona} GET {name} missing id: {missing.status_code}")
            elif expected == 404 and detail.json() != missing.json():
                failures.append(f"{persona} GET {name}: 'out of reach' differs from 'missing'")
            listing = client.get(reverse(f"api:{name}-list") + "?page_size=200")
            ids = {row["id"] for row in listing.json()["results"]}
            if listing.status_code != 200 or (record.pk in ids) != (persona in readers):
                failures.append(f"{persona} GET {name} list: {listing.status_code}, {ids}")
        # The schema is for any caller; the docs and token pages are for browser sessions
        # (a token cannot make or list tokens: it is sent to sign in).
        page_status = 200 if channel == "session" else 302
        for url, expected in (
            ("/api/v1/schema/", 200),
            ("/api/docs/", page_status),
            ("/api/tokens/", page_status),
        ):
            if client.get(url).status_code != expected:
                failures.append(f"{persona} GET {url}")
        export = client.get(reverse("api:export", kwargs={"kind": "referrals", "fmt": "json"}))
        exported = b"".join(export.streaming_content)
        owns = world["people"][persona].agency.code == "cfs" and persona in CASE_READ
        if export.status_code != 200 or (b'"concerns": "c"' in exported) != owns:
            failures.append(f"{persona} export: {export.status_code} {exported[:80]!r}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("channel", ["token", "session"])
def test_writes_land_only_in_reach_and_nothing_is_written_outside_it(
    world: dict[str, Any], channel: str
) -> None:
    failures: list[str] = []
    clients = _clients(world, channel)
    for persona, client in clients.items():
        for name, (key, _readers) in RECORDS.items():
            record = _record(world, key)
            list_url = reverse(f"api:{name}-list")
            detail_url = reverse(f"api:{name}-detail", kwargs={"pk": record.pk})
            attempts = [
                ("POST", list_url, _write_body(name, world) if name in WRITABLE else {}),
                ("PATCH", detail_url, {"version": getattr(record, "version", 1), "concerns": "x"}),
                ("PATCH", reverse(f"api:{name}-detail", kwargs={"pk": MISSING_ID}), {}),
            ]
            for method, url, body in attempts:
                expected = _expected_write(name, method, url, persona)
                with transaction.atomic():
                    before = snapshot()
                    response = getattr(client, method.lower())(url, body, format="json")
                    after = snapshot()
                    transaction.set_rollback(True)
                if response.status_code != expected:
                    failures.append(
                        f"{persona} {method} {url}: {response.status_code} != {expected}"
                        f" {response.content[:120]!r}"
                    )
                wrote = changed(before, after)
                if expected >= 400 and wrote:
                    failures.append(f"{persona} {method} {url} wrote: {wrote}")
    assert not failures, "\n".join(failures)


def _expected_write(name: str, method: str, url: str, persona: str) -> int:
    if name not in WRITABLE:
        return 405  # read-only endpoints take no writes, whoever asks
    if str(MISSING_ID) in url:
        return 404
    if method == "POST":
        return 201 if persona in CASE_READ else 404  # the young person is out of reach
    if persona in OWNER_EDIT:
        return 200
    return 403 if persona in CASE_READ else 404  # seen but not theirs; or not seen at all


def test_anonymous_callers_get_401_everywhere_but_the_pages(world: dict[str, Any]) -> None:
    client = APIClient()
    for name, (key, _readers) in RECORDS.items():
        pk = _record(world, key).pk
        assert client.get(reverse(f"api:{name}-detail", kwargs={"pk": pk})).status_code == 401
        assert client.get(reverse(f"api:{name}-list")).status_code == 401
    assert client.get("/api/v1/export/referrals.csv").status_code == 401
    assert client.get("/api/tokens/").status_code == 302  # the pages send to sign-in


def test_a_token_revoke_of_someone_elses_token_is_404(world: dict[str, Any]) -> None:
    from api.models import ApiToken

    token_for(world["people"]["owner_practitioner"])
    token = ApiToken.objects.get()
    for persona in PERSONAS:
        client = session_client(world["people"][persona])
        assert client.get(reverse("api:token_revoke", kwargs={"pk": token.pk})).status_code == 405
        status = client.post(reverse("api:token_revoke", kwargs={"pk": MISSING_ID})).status_code
        assert status == 404
        if persona not in {"owner_practitioner", "admin"}:
            url = reverse("api:token_revoke", kwargs={"pk": token.pk})
            assert client.post(url).status_code == 404, persona
    token.refresh_from_db()
    assert token.revoked_at is None
