"""Shared fixtures: the CI guard and one persona per agency and role (healthchecks' alice/bob)."""

import os
from collections.abc import Callable

import pytest
from django.conf import settings

from accounts.models import User
from accounts.services import user_create
from partnership.models import Agency
from partnership.roles import Role

IN_CI = os.environ.get("CI", "").lower() == "true"
PASSWORD = "persona-password-123"

# `make test` runs the suite on two processes (pytest-xdist, `--dist loadgroup`), each with a
# test database of its own (pytest-django adds the worker's id to its name). What only one
# process may hold at a time is kept together: every test under a key below runs on one
# worker, in file order, after the one before it. (`make test` runs tests/e2e in a session of
# its own; the group keeps it whole in any other run with workers.)
SHARED_RESOURCES = {
    # One served app on one database (CSE_E2E_DATABASE) and broker (CSE_E2E_BROKER_URL),
    # started once per session; the page walk runs after the journeys, on their records.
    "tests/e2e/": "e2e-server",
    # One stack (module fixture) on fixed Redis databases, its tests in order (the last ones
    # stop its processes).
    "tests/deploy/test_compose_stack.py": "compose-stack",
}


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook reads the marks
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        for prefix, group in SHARED_RESOURCES.items():
            if item.nodeid.startswith(prefix):
                item.add_marker(pytest.mark.xdist_group(group))


@pytest.fixture(scope="session", autouse=True)
def _ci_requires_postgresql() -> None:
    """In CI the suite must run on PostgreSQL: a silent fall-back to SQLite fails the run."""
    engine = settings.DATABASES["default"]["ENGINE"]
    if IN_CI and engine != "django.db.backends.postgresql":
        pytest.fail(f"CI=true but tests would run on {engine}; set DATABASE_URL to PostgreSQL")


def service_missing(reason: str) -> None:
    """A test that needs a service fails in CI when it is missing, and skips elsewhere."""
    if IN_CI:
        pytest.fail(f"required service missing in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    def _make(agency_code: str, *roles: Role, username: str | None = None) -> User:
        agency = Agency.objects.get(code=agency_code)
        name = username or f"{agency_code}.{'-'.join(r.name.lower() for r in roles)}"
        return user_create(
            actor=None,
            username=name,
            agency=agency,
            roles=roles,
            password=PASSWORD,
            first_name=name.split(".")[0].title(),
            last_name="Persona",
            email=f"{name}@example.invalid",
        )

    return _make


@pytest.fixture
def cfs_practitioner(make_user: Callable[..., User]) -> User:
    return make_user("cfs", Role.PRACTITIONER)


@pytest.fixture
def cfs_manager(make_user: Callable[..., User]) -> User:
    return make_user("cfs", Role.AGENCY_MANAGER)


@pytest.fixture
def police_practitioner(make_user: Callable[..., User]) -> User:
    return make_user("police", Role.PRACTITIONER)


@pytest.fixture
def police_manager(make_user: Callable[..., User]) -> User:
    return make_user("police", Role.AGENCY_MANAGER)


@pytest.fixture
def nhs_practitioner(make_user: Callable[..., User]) -> User:
    return make_user("nhs", Role.PRACTITIONER)


@pytest.fixture
def maog_member(make_user: Callable[..., User]) -> User:
    return make_user("police", Role.PRACTITIONER, Role.MAOG_MEMBER, username="police.maog")


@pytest.fixture
def vap_chair(make_user: Callable[..., User]) -> User:
    return make_user("cfs", Role.VAP_CHAIR, username="vap.chair")


@pytest.fixture
def clerk(make_user: Callable[..., User]) -> User:
    return make_user("cfs", Role.COMMITTEE_CLERK, username="clerk")


@pytest.fixture
def admin_user(make_user: Callable[..., User]) -> User:
    return make_user("cfs", Role.ADMINISTRATOR, username="admin")
