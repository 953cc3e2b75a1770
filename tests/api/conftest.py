"""API fixtures: clients that authenticate as a real caller would (a session, or a token)."""

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from api import services
from cases import services as case_services
from cases.models import YoungPerson

# The project matrix's world (a case owned by cfs, shared with nhs and police, a record of
# each type, an update of action item 3), for tests/api/test_permission_matrix.py.
from tests.security.test_authorization_matrix import world  # noqa: F401


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    cache.clear()  # the per-token counters live in the cache


def session_client(user: User) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def token_for(user: User, *, scope: str = "read_write", days: int = 30) -> str:
    return services.api_token_create(
        actor=user, verified=True, name="test", scope=scope, days=days
    )[1]


def token_client(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


@pytest.fixture
def api_for() -> Callable[..., APIClient]:
    """A client holding a read-write token of the user's."""

    def make(user: User, scope: str = "read_write") -> APIClient:
        return token_client(token_for(user, scope=scope))

    return make


def make_young_person(actor: User, **extra: object) -> YoungPerson:
    return case_services.young_person_create(
        actor=actor,
        **{
            "first_name": "Api",
            "last_name": "Child",
            "sex": "female",
            "date_of_birth": timezone.localdate() - dt.timedelta(days=14 * 365),
            **extra,
        },
    )


@pytest.fixture
def young_person(cfs_practitioner: User) -> YoungPerson:
    return make_young_person(cfs_practitioner)


def referral_body(young_person: YoungPerson, **extra: object) -> dict[str, object]:
    return {
        "young_person": young_person.pk,
        "received_on": (timezone.localdate() - dt.timedelta(days=2)).isoformat(),
        "concerns": "Seen with older men.",
        "initial_risk_level": "moderate",
        **extra,
    }
