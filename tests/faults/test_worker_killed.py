"""A Celery worker killed in the middle of a render (issue 13): no half-written file, and the
report is rendered exactly once, by the next worker (acks_late, idempotent rendering).

Real services: a redis-server of our own as the broker, the test's PostgreSQL database,
and two `celery worker` processes, the first SIGKILLed while it computes or renders. Its
unacknowledged message comes back after the visibility timeout (set short here).
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from accounts.models import User
from partnership.models import Committee
from partnership.periods import current_period
from performance.models import Report
from performance.services import report_request
from tests.conftest import service_missing
from tests.faults.services import RedisServer, reset_celery_app

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
ROOT = Path(__file__).resolve().parents[2]
VISIBILITY_TIMEOUT = 6


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    user = f"{db.get('USER') or ''}{password}@" if db.get("USER") else ""
    return f"postgres://{user}{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


@pytest.fixture
def broker(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[RedisServer, str]]:
    from cse_portal.celery import app

    server = RedisServer()
    server.start()
    # Celery reads CELERY_BROKER_URL from the environment before its own config (CI sets
    # it to the machine's Redis), so the test's broker must be named there too.
    monkeypatch.setenv("CELERY_BROKER_URL", server.url)
    queue = f"faults-{uuid.uuid4().hex[:8]}"
    saved = (app.conf.task_always_eager, app.conf.broker_url, app.conf.task_default_queue)
    reset_celery_app(app)
    app.conf.task_always_eager = False
    app.conf.broker_url = server.url
    app.conf.task_default_queue = queue
    try:
        yield server, queue
    finally:
        reset_celery_app(app)
        app.conf.task_always_eager, app.conf.broker_url, app.conf.task_default_queue = saved
        server.stop()


class Worker:
    def __init__(self, env: dict[str, str], queue: str, log: Path) -> None:
        self.log = log
        self.process = subprocess.Popen(  # noqa: S603 - fixed arguments
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "cse_portal",
                "worker",
                "--pool=solo",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=INFO",
                "-Q",
                queue,
            ],  # fmt: skip
            cwd=ROOT,
            env=env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()

    def renders(self) -> int:
        return self.log.read_text(errors="replace").count("rendered (")


def _wait(report: Report, statuses: set[str], seconds: float, poll: float = 0.05) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        status = Report.objects.values_list("status", flat=True).get(pk=report.pk)
        if status in statuses:
            return status
        time.sleep(poll)
    return Report.objects.values_list("status", flat=True).get(pk=report.pk)


def test_a_worker_killed_mid_render_leaves_no_file_and_the_report_renders_once(
    broker: tuple[RedisServer, str], clerk: User, tmp_path: Path, settings: Any
) -> None:
    if connection.vendor != "postgresql":
        service_missing("PostgreSQL (the workers must see the test database)")
    server, queue = broker
    var_dir = tmp_path / "var"
    storage = var_dir / "test-private"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cse_portal.settings.test",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": server.url,
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
        "CSE_VAR_DIR": str(var_dir),
    }
    first = Worker(env, queue, tmp_path / "worker1.log")
    second: Worker | None = None
    try:
        report = report_request(
            actor=clerk,
            committee=Committee.objects.get(code="ccpc"),
            period=current_period().previous(),
        )  # committed (transactional test): the task is on our queue
        busy = {Report.Status.COMPUTING, Report.Status.RENDERING}
        status = _wait(report, busy, 120)
        assert status in busy, f"the first worker never started: {status}"
        first.kill()
        report.refresh_from_db()
        assert report.status in busy  # it died mid-way
        assert not report.file and list(storage.rglob("*.pdf")) == []

        second = Worker(env, queue, tmp_path / "worker2.log")
        status = _wait(report, {Report.Status.READY, Report.Status.FAILED}, 150, poll=0.5)
        assert status == Report.Status.READY, second.log.read_text()[-2000:]
    finally:
        first.kill()
        if second is not None:
            second.stop()

    report.refresh_from_db()
    files = list(storage.rglob("*.pdf"))
    assert [str(p.relative_to(storage)) for p in files] == [report.file.name]
    assert files[0].stat().st_size == report.size
    # Rendered exactly once: the killed worker finished nothing, the second one render.
    assert first.renders() == 0 and second.renders() == 1
