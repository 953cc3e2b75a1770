"""PostgreSQL restarted under load (issue 13): requests after the restart succeed, and no
error page shows a traceback.

A throwaway cluster (initdb in a temp dir, its own port) is migrated and seeded; gunicorn
(2 workers, persistent connections) serves it while four clients ask for lists and details;
the cluster is restarted in the middle. Django's CONN_HEALTH_CHECKS replaces the dead
connections at the start of the next request, so once PostgreSQL is back every request
succeeds. Requests during the restart may fail, with the plain 500 page.
"""

import http.client
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import connection

from bench import soak as bench_soak
from tests.conftest import service_missing
from tests.faults.services import Cluster

# The test database (schema and reference data) is copied into the throwaway cluster.
pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
ROOT = Path(__file__).resolve().parents[2]


def _copy_test_database(target_url: str) -> None:
    """The migrated test database's schema and reference data into the throwaway cluster
    (pg_dump | psql takes seconds; running every migration there took minutes)."""
    db = connection.settings_dict
    source = f"postgres://{db.get('USER') or 'root'}@{db.get('HOST') or '127.0.0.1'}:"
    source += f"{db.get('PORT') or 5432}/{db['NAME']}"
    dump = subprocess.run(  # noqa: S603 - PostgreSQL's own tools, fixed arguments
        ["pg_dump", "--no-owner", "--no-privileges", source],  # noqa: S607
        capture_output=True,
        check=True,
        timeout=120,
    )
    subprocess.run(  # noqa: S603
        ["psql", "-q", "-v", "ON_ERROR_STOP=1", target_url],  # noqa: S607
        input=dump.stdout,
        capture_output=True,
        check=True,
        timeout=120,
    )


def _prepare(database_url: str) -> list[bench_soak.Caseworker]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cse_portal.settings.test",
        "DATABASE_URL": database_url,
    }
    done = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-m", "bench.soak", "prepare"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return [bench_soak.Caseworker(**w) for w in json.loads(done.stdout.strip().splitlines()[-1])]


def test_requests_after_a_postgresql_restart_succeed_and_errors_show_no_traceback() -> None:
    cluster = Cluster(Path(tempfile.mkdtemp(prefix="cse-faults-pg-")))
    try:
        if connection.vendor != "postgresql":
            service_missing("the test database must be PostgreSQL (it is copied to the cluster)")
        target = cluster.create("cse_faults")
        _copy_test_database(target)
        workers = _prepare(target)[:4]
        env = bench_soak.gunicorn_env(cluster.url("cse_faults"))
        process, port = bench_soak.start_gunicorn(env)
        # (started, status, body) per request; classified by when it started.
        results: list[tuple[float, int, str]] = []
        lock = threading.Lock()
        done = threading.Event()

        def client(worker: bench_soak.Caseworker) -> None:
            paths = ["/cases/referrals/", f"/cases/young-people/{worker.young_person_id}/"]
            i = 0
            while not done.is_set():
                path = paths[i % 2]
                i += 1
                started = time.monotonic()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
                try:
                    connection.request("GET", path, headers={"Cookie": worker.cookie})
                    response = connection.getresponse()
                    status, body = response.status, response.read().decode(errors="replace")
                except OSError as error:
                    status, body = 0, repr(error)
                finally:
                    connection.close()
                with lock:
                    results.append((started, status, body))
                time.sleep(0.05)

        def wait_for(condition: Callable[[], bool], seconds: float) -> None:
            deadline = time.monotonic() + seconds
            while time.monotonic() < deadline and not condition():
                time.sleep(0.2)

        try:
            threads = [threading.Thread(target=client, args=(w,)) for w in workers]
            for thread in threads:
                thread.start()
            # Load with warm, persistent connections: two answers per client first.
            wait_for(lambda: sum(s == 200 for _, s, _ in results) >= 2 * len(threads), 120)
            restart_began = time.monotonic()
            cluster.stop("fast")  # every server connection is closed under the workers
            time.sleep(2)
            cluster.start()
            restarted = time.monotonic()
            # Load after the restart: at least 12 requests begun once it was back.
            wait_for(lambda: sum(t > restarted + 0.5 for t, _, _ in results) >= 12, 120)
            done.set()
            for thread in threads:
                thread.join()
        finally:
            bench_soak.stop(process)
    finally:
        cluster.destroy()

    before = [r for r in results if r[0] < restart_began]
    after = [r for r in results if r[0] > restarted + 0.5]
    assert sum(status == 200 for _, status, _ in before) >= 2 * len(workers)
    # Every request once PostgreSQL is back succeeds: no stale connection is reused.
    assert len(after) >= 12
    assert [status for _, status, _ in after if status != 200] == []
    # Failures while it was down are the plain error page, never a traceback (or, on a
    # saturated machine, a client time-out: no page at all, which shows nothing either).
    for _, status, body in results:
        if status != 200:
            assert status in (0, 500, 502, 503), status
            assert "Traceback" not in body and 'File "' not in body
