"""Two sessions editing the same record at the same moment, 1,000 times (issue 13).

Each round, both sessions open the record (read its version), wait for each other, then
save at once through the real edit page. Optimistic locking must let exactly one of them
through and show the other the conflict page (409): nothing is lost silently. Afterwards
the record's version, its history rows and the saved texts account for every success.

Needs PostgreSQL (row locks across connections); SQLite runs skip, CI fails without it.
"""

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from actions.models import ActionItem, ProgressUpdate
from cases import services
from cases.models import Referral
from partnership.periods import current_period
from partnership.roles import Role
from tests.conftest import service_missing
from tests.factories import YoungPersonFactory, agency
from tests.security.authorization import form_data

# serialized_rollback: the reference data (agencies, action items) survives the flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# In total, two sessions x 500 rounds; CSE_RACE_EDITS runs fewer while developing.
EDITS = int(os.environ.get("CSE_RACE_EDITS", "1000"))
ROUNDS = EDITS // 2


@pytest.fixture(autouse=True)
def _postgresql() -> None:
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        service_missing("concurrent edits need PostgreSQL (set DATABASE_URL)")


@dataclass
class Tally:
    saved: list[str] = field(default_factory=list)
    conflicts: int = 0
    other: list[str] = field(default_factory=list)


def _race(
    users: tuple[User, User],
    *,
    read_version: Callable[[], int | None],
    post: Callable[[Client, int | None, str], int],
) -> Tally:
    """Run ROUNDS rounds; in each, both sessions read the version, then post together."""
    tally = Tally()
    lock = threading.Lock()
    barrier = threading.Barrier(2, timeout=60)

    def session(user: User, tag: str) -> None:
        client = Client()
        client.force_login(user)
        try:
            for round_number in range(ROUNDS):
                barrier.wait()
                version = read_version()  # what the edit page showed this session
                barrier.wait()
                text = f"{tag}-{round_number}"
                status = post(client, version, text)
                with lock:
                    if status == 302:
                        tally.saved.append(text)
                    elif status == 409:
                        tally.conflicts += 1
                    else:
                        tally.other.append(f"{text}: {status}")
        except Exception as error:  # a 500 raised by the client, or a broken barrier
            barrier.abort()
            with lock:
                tally.other.append(f"{tag}: {error!r}")
        finally:
            connection.close()  # this thread's own database connection

    threads = [
        threading.Thread(target=session, args=(user, tag))
        for user, tag in zip(users, ("a", "b"), strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally


def test_1000_concurrent_edits_of_one_referral_lose_nothing(
    make_user: Callable[..., User],
) -> None:
    practitioner = make_user("cfs", Role.PRACTITIONER)
    manager = make_user("cfs", Role.AGENCY_MANAGER)
    young_person = YoungPersonFactory(owner_agency=agency("cfs"))
    referral = services.referral_create(
        actor=practitioner,
        young_person=young_person,
        received_on=timezone.localdate(),
        concerns="first",
        initial_risk_level="mild",
    )
    url = reverse("cases:referral_edit", args=[referral.pk])
    owner = Client()
    owner.force_login(practitioner)
    form = form_data(owner.get(url).content.decode())
    start_version = referral.version
    start_history = referral.history.count()

    def read_version() -> int:
        return Referral.objects.values_list("version", flat=True).get(pk=referral.pk)

    def post(client: Client, version: int | None, text: str) -> int:
        return client.post(url, {**form, "version": str(version), "concerns": text}).status_code

    tally = _race((practitioner, manager), read_version=read_version, post=post)

    assert tally.other == []
    # Both sessions read the same version each round: exactly one save wins, one conflicts.
    assert len(tally.saved) == ROUNDS and tally.conflicts == ROUNDS
    referral.refresh_from_db()
    assert referral.version == start_version + ROUNDS
    history = list(referral.history.order_by("history_id").values_list("concerns", flat=True))
    assert len(history) == start_history + ROUNDS
    # Every reported success is in the history exactly once, in the order it was saved.
    assert history[start_history:] == tally.saved
    assert referral.concerns == tally.saved[-1]


def test_1000_concurrent_saves_of_one_progress_update_lose_nothing(
    make_user: Callable[..., User],
) -> None:
    vap_chair = make_user("cfs", Role.VAP_CHAIR, username="vap.chair")
    lead_manager = make_user("cfs", Role.AGENCY_MANAGER)
    item = ActionItem.objects.get(number=3)  # led by CfS
    period = current_period()
    url = reverse("actions:update_form", args=[item.number, period.code])

    def read_version() -> int | None:
        row = ProgressUpdate.objects.filter(item=item, period=period.code).first()
        return row.version if row else None

    def post(client: Client, version: int | None, text: str) -> int:
        data = {"status": "green", "narrative": text}
        if version is not None:
            data["version"] = str(version)
        return client.post(url, data).status_code

    tally = _race((vap_chair, lead_manager), read_version=read_version, post=post)

    assert tally.other == []
    # Round one races two first saves (no update yet): one creates it, the other conflicts.
    assert len(tally.saved) == ROUNDS and tally.conflicts == ROUNDS
    update = ProgressUpdate.objects.get(item=item, period=period.code)
    history = list(update.history.order_by("history_id").values_list("narrative", flat=True))
    assert len(history) == ROUNDS
    assert update.version - history_start_version(update) == ROUNDS - 1
    assert history == tally.saved
    assert update.narrative == tally.saved[-1]


def history_start_version(update: Any) -> int:
    return update.history.order_by("history_id").first().version
