"""The performance analyst persona (exact partnership-wide figures, no case records)."""

from collections.abc import Callable

import pytest

from accounts.models import User
from partnership.roles import Role


@pytest.fixture
def performance_analyst(make_user: Callable[..., User]) -> User:
    return make_user("cfs", Role.PERFORMANCE_ANALYST, username="performance.analyst")


@pytest.fixture(autouse=True)
def _forget_cached_indicators() -> None:
    """Each test starts with no cached indicator figures (the cache outlives a test's
    database transaction)."""
    from django.core.cache import cache

    cache.clear()
