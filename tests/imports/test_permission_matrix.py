"""Every import URL x every persona: agency managers use imports for their own agency;
everyone else, and other agencies' managers, get 404 (never 403), GET and POST; nothing is
written by a request that is refused."""

from collections.abc import Callable

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from accounts.models import User
from imports import services
from imports.models import ImportBatch
from partnership.roles import Role
from tests.imports.conftest import csv_file, referral_row
from tests.imports.test_imports import COLUMNS
from tests.security.authorization import changed, snapshot
from tests.urlwalk import project_routes

pytestmark = pytest.mark.django_db

# url name -> (GET status for the owning manager, POST status for them)
OWNER: dict[str, tuple[int, int]] = {
    "imports:batches": (200, 200),  # an empty upload re-renders the form
    "imports:mapping": (200, 200),  # an empty POST re-renders the mapping form
    "imports:batch": (200, 200),
    "imports:commit": (405, 302),
    "imports:decide": (405, 302),
    "imports:rollback": (405, 302),
    "imports:rejected": (200, 200),
}


def test_every_import_url_is_declared() -> None:
    assert {r.name for r in project_routes() if r.name.startswith("imports:")} == set(OWNER)


@pytest.fixture
def people(make_user: Callable[..., User]) -> dict[str, User]:
    return {
        "owner_manager": make_user("cfs", Role.AGENCY_MANAGER),
        "owner_practitioner": make_user("cfs", Role.PRACTITIONER),
        "other_manager": make_user("police", Role.AGENCY_MANAGER),
        "maog": make_user("police", Role.PRACTITIONER, Role.MAOG_MEMBER, username="p.maog"),
        "vap_chair": make_user("cfs", Role.VAP_CHAIR, username="vap.chair"),
        "clerk": make_user("cfs", Role.COMMITTEE_CLERK, username="clerk"),
        "admin": make_user("cfs", Role.ADMINISTRATOR, username="admin"),
    }


def _kwargs(name: str, batch: ImportBatch) -> dict[str, int]:
    if name == "imports:batches":
        return {}
    if name == "imports:decide":
        return {"pk": batch.pk, "row": batch.rows.get().pk}
    return {"pk": batch.pk}


def test_only_the_owning_agencys_managers_reach_imports(people: dict[str, User]) -> None:
    owner = people["owner_manager"]
    batch = services.batch_upload(actor=owner, file=csv_file([referral_row(1)]), kind="referral")
    batch = services.batch_check(actor=owner, batch=batch, columns=COLUMNS)
    failures = []
    for persona, user in people.items():
        client = Client()
        client.force_login(user)
        for name, (owner_get, owner_post) in OWNER.items():
            url = reverse(name, kwargs=_kwargs(name, batch))
            for method, owner_status in (("get", owner_get), ("post", owner_post)):
                expected = owner_status if persona == "owner_manager" else 404
                if owner_status == 405:
                    expected = 405  # POST-only, for everyone alike: 405 reveals nothing
                if name == "imports:batches" and persona == "other_manager":
                    expected = owner_status  # their own (empty) import page
                with transaction.atomic():
                    before = snapshot()
                    response = getattr(client, method)(url)
                    after = snapshot()
                    transaction.set_rollback(True)
                if response.status_code != expected:
                    failures.append(f"{persona} {method} {name}: {response.status_code}")
                if expected == 404 and changed(before, after):
                    failures.append(f"{persona} {method} {name} wrote {changed(before, after)}")
    assert not failures, "\n".join(failures)
