"""seed_demo's action plan part: two closed periods of updates and activity, run once."""

import random

import pytest

from accounts.demo import seed_people
from actions.demo import OVERDUE_DEMO_ITEMS, seed_actions
from actions.models import ProgressUpdate, TrainingSession
from partnership.periods import current_period

pytestmark = pytest.mark.django_db


def test_seed_actions_adds_two_periods_and_is_idempotent() -> None:
    seed_people(password="demo-password-for-tests")
    seed_actions(size="small", rng=random.Random(1), progress=False)
    closed = current_period().previous()
    periods = set(ProgressUpdate.objects.values_list("period", flat=True))
    assert periods == {closed.code, closed.previous().code}
    assert ProgressUpdate.objects.filter(period=closed.previous().code).count() == 14
    missing = set(range(1, 15)) - set(
        ProgressUpdate.objects.filter(period=closed.code).values_list("item__number", flat=True)
    )
    assert missing == set(OVERDUE_DEMO_ITEMS)
    # Every red or amber update carries its remedial action, as the service would insist.
    assert not ProgressUpdate.objects.filter(status__in=["red", "amber"], remedial_action="")
    trained = TrainingSession.objects.count()
    assert trained > 0
    message = seed_actions(size="small", rng=random.Random(1), progress=False)
    assert "skipped" in message
    assert TrainingSession.objects.count() == trained
