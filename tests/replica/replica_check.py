"""The replica journey, run by test_streaming_replica.py in a child process whose DATABASE_URL
is a fresh primary cluster and DATABASE_REPLICA_URL its streaming standby (real WAL
streaming, two postmasters). Exits 0 and prints one JSON line of findings, or raises.

A child process because the routing is decided by settings at start-up (a second alias, a
middleware) and the parent's pytest-django database must stay as it is.
"""

import datetime as dt
import json
import os
import re
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cse_portal.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    override_settings,
    setup_test_environment,
)
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from cse_portal.db_router import replica_reads  # noqa: E402

LIST_PAGES = ("cases:referral_list", "cases:young_person_list", "cases:missing_list")
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
findings: dict[str, Any] = {}
STARTED = time.monotonic()


def progress(step: str) -> None:
    """Where the journey is, on stderr: a timeout then says which step was slow."""
    print(f"{time.monotonic() - STARTED:6.1f} s  {step}", file=sys.stderr, flush=True)


def wait_for_replay(timeout: float = 20.0) -> float:
    """Seconds until the standby has replayed everything the primary has written."""
    started = time.monotonic()
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        lsn = cursor.fetchone()[0]
    while True:
        with connections["replica"].cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn])
            if cursor.fetchone()[0]:
                return time.monotonic() - started
        if time.monotonic() - started > timeout:
            raise AssertionError(f"the standby did not replay {lsn} within {timeout} s")
        time.sleep(0.05)


def get(client: Client, url: str, query: dict[str, str] | None = None) -> tuple[bytes, int, int]:
    """The page's HTML (CSRF tokens blanked) and the queries it ran on each database."""
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as replica,
    ):
        response = client.get(url, query or {})
    assert response.status_code == 200, (url, response.status_code)
    return CSRF.sub(b"", response.content), len(primary), len(replica)


def main() -> None:
    assert "replica" in settings.DATABASES, "DATABASE_REPLICA_URL is not set"
    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone()[0], "the replica alias is not a standby"
    setup_test_environment()  # the test client's host, locmem mail
    progress("migrating the primary")
    started = time.monotonic()
    call_command("migrate", verbosity=0, interactive=False)
    findings["migrate_s"] = round(time.monotonic() - started, 1)

    from accounts.services import user_create
    from partnership.models import Agency, Committee
    from partnership.periods import current_period
    from partnership.roles import Role
    from performance.reports import report_snapshot
    from tests.factories import MissingEpisodeFactory, ReferralFactory, YoungPersonFactory

    def persona(code: str, role: Role, name: str) -> Any:
        return user_create(
            actor=None,
            username=name,
            agency=Agency.objects.get(code=code),
            roles=[role],
            password="replica-password-123",  # noqa: S106 - throwaway cluster
            first_name=name.title(),
            last_name="Persona",
            email=f"{name}@example.invalid",
        )

    writer = persona("cfs", Role.PRACTITIONER, "writer")
    colleague = persona("cfs", Role.PRACTITIONER, "colleague")
    chair = persona("cfs", Role.VAP_CHAIR, "chair")
    police = Agency.objects.get(code="police")
    for i in range(30):
        young_person = YoungPersonFactory(last_name=f"Replica{i:02d}")
        ReferralFactory(young_person=young_person)
        MissingEpisodeFactory(young_person=young_person)
    # Another agency's child: must stay out of cfs's lists on the replica too.
    ReferralFactory(young_person=YoungPersonFactory(owner_agency=police, last_name="Elsewhere"))
    findings["first_replay_s"] = round(wait_for_replay(), 2)
    progress("data written and replayed")

    # 1. The list pages read from the replica and show exactly what the primary shows.
    clients = {}
    for user in (writer, colleague, chair):
        clients[user.username] = Client()
        clients[user.username].force_login(user)
    for name in LIST_PAGES:
        url = reverse(name)
        on_replica, primary_q, replica_q = get(clients["colleague"], url)
        with override_settings(CSE_REPLICA_VIEWS=frozenset()):
            on_primary, _, replica_q_off = get(clients["colleague"], url)
        assert replica_q > 0, f"{name} ran no query on the replica"
        assert replica_q_off == 0, f"{name} used the replica when not routed there"
        assert on_replica == on_primary, f"{name} differs between replica and primary"
        assert b"Replica" in on_replica, f"{name} shows none of the seeded rows"
        assert b"Elsewhere" not in on_replica, f"{name} leaked another agency's child"
        findings[name] = {"primary_queries": primary_q, "replica_queries": replica_q}
    young_people, _, _ = get(clients["colleague"], reverse("cases:young_person_list"))
    assert b"Replica00" in young_people and b"Replica29" not in young_people  # paged, sorted

    progress("list pages compared")
    # 2. A report read: the committee report's figures from the replica equal the primary's.
    committee = Committee.objects.order_by("code").first()
    period = current_period()
    with CaptureQueriesContext(connections["replica"]) as report_replica:
        with replica_reads():
            from_replica = report_snapshot(committee=committee, period=period)
    from_primary = report_snapshot(committee=committee, period=period)
    assert len(report_replica) > 0, "the report read ran no query on the replica"
    assert json.dumps(from_replica, default=str, sort_keys=True) == json.dumps(
        from_primary, default=str, sort_keys=True
    ), "the report's figures differ between replica and primary"
    findings["report_replica_queries"] = len(report_replica)
    dashboard, _, dashboard_replica = get(clients["chair"], reverse("performance:dashboard"))
    assert dashboard_replica > 0, "the dashboard ran no query on the replica"
    findings["dashboard_replica_queries"] = dashboard_replica

    progress("report and dashboard compared")
    # 3. Read-your-writes. Replay is paused, so the replica is stale on purpose: only the
    # primary has the new child.
    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")
    try:
        dob = timezone.localdate() - dt.timedelta(days=15 * 365)
        response = clients["writer"].post(
            reverse("cases:young_person_create"),
            {
                "yp-first_name": "Ellie",
                "yp-last_name": "Justwritten",
                "yp-date_of_birth_day": str(dob.day),
                "yp-date_of_birth_month": str(dob.month),
                "yp-date_of_birth_year": str(dob.year),
                "yp-sex": "female",
                "yp-ethnicity": "white_scottish",
                "yp-placement_type": "home",
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        query = {"q": "justwritten"}
        url = reverse("cases:young_person_list")
        mine, _, mine_replica = get(clients["writer"], url, query)
        assert b"Justwritten" in mine, "the writer does not see what they just wrote"
        assert mine_replica == 0, "the writer's read went to the stale replica"
        theirs, _, theirs_replica = get(clients["colleague"], url, query)
        # Proves the replica really is stale, so the writer's result above is the router's.
        assert theirs_replica > 0 and b"Justwritten" not in theirs
        time.sleep(settings.CSE_REPLICA_STICKY_SECONDS + 0.5)
        later, _, later_replica = get(clients["writer"], url, query)
        assert later_replica > 0, "the writer is still pinned to the primary after the window"
        findings["writer_back_on_replica_sees_stale"] = b"Justwritten" not in later
    finally:
        with connections["replica"].cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_resume()")
    findings["catch_up_s"] = round(wait_for_replay(), 2)
    caught_up, _, _ = get(clients["colleague"], url, query)
    assert b"Justwritten" in caught_up, "the replica never received the write"
    progress("read-your-writes shown")
    findings["ok"] = True
    print(json.dumps(findings))


if __name__ == "__main__":
    main()
