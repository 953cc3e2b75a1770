from collections.abc import Callable

import pytest

from accounts.models import User
from partnership.roles import Role


@pytest.fixture
def cfs_ig(make_user: Callable[..., User]) -> User:
    return make_user("cfs", Role.IG_OFFICER, username="cfs.ig")


@pytest.fixture
def police_ig(make_user: Callable[..., User]) -> User:
    return make_user("police", Role.IG_OFFICER, username="police.ig")
