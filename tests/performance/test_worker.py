"""A real Celery worker (subprocess) against Redis and PostgreSQL renders a queued report."""

import datetime as dt
import io
import os
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from accounts.models import User
from partnership.models import Committee
from partnership.periods import period_from_code
from performance.indicators import compute_indicators, indicators_by_id
from performance.models import Report
from performance.services import report_request
from tests import factories as f
from tests.conftest import service_missing
from tests.faults.services import reset_celery_app

# serialized_rollback: another transactional test may have flushed the reference data
# (agencies, committees) that migrations load; this restores it first.
pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
BROKER_URL = os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/4"
ROOT = Path(__file__).resolve().parents[2]


def _require_services() -> None:
    if connection.vendor != "postgresql":
        service_missing("PostgreSQL (the worker must see the test database)")
    import redis

    try:
        redis.Redis.from_url(BROKER_URL, socket_connect_timeout=2).ping()
    except redis.exceptions.RedisError:
        service_missing(f"Redis at {BROKER_URL}")


def _test_database_url() -> str:
    db = connection.settings_dict
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    return f"postgres://{auth}{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


def test_worker_renders_a_queued_report(clerk: User, request: pytest.FixtureRequest) -> None:
    _require_services()
    from cse_portal.celery import app

    # 12 referrals (shown) and 3 young people missing (a small count, shown as "<5").
    people = [f.YoungPersonFactory() for _ in range(3)]
    for i in range(12):
        f.ReferralFactory(young_person=people[i % 3], received_on=dt.date(2025, 5, 1 + i))
    for person in people:
        f.MissingEpisodeFactory(
            young_person=person,
            missing_from=dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC),
            located_at=dt.datetime(2025, 6, 2, 12, tzinfo=dt.UTC),
        )

    queue = f"perf-test-{uuid.uuid4().hex[:8]}"
    saved = (app.conf.task_always_eager, app.conf.broker_url, app.conf.task_default_queue)
    # An earlier test may have opened the app's connection pool on another broker: close it
    # so the report is sent to this worker's broker and queue.
    reset_celery_app(app)
    app.conf.task_always_eager = False
    app.conf.broker_url = BROKER_URL
    app.conf.task_default_queue = queue

    def restore() -> None:
        reset_celery_app(app)
        app.conf.task_always_eager, app.conf.broker_url, app.conf.task_default_queue = saved

    request.addfinalizer(restore)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cse_portal.settings.test",
        "DATABASE_URL": _test_database_url(),
        "CELERY_BROKER_URL": BROKER_URL,
        "CSE_VAR_DIR": str(settings.VAR_DIR),
    }
    worker = subprocess.Popen(  # noqa: S603 - fixed arguments
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "cse_portal",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
            "-Q",
            queue,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )

    def stop_worker() -> None:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()

    request.addfinalizer(stop_worker)

    committee = Committee.objects.get(code="ccpc")
    period = period_from_code("2025-26-H1")
    report = report_request(actor=clerk, committee=committee, period=period)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        report.refresh_from_db()
        if not report.in_progress or worker.poll() is not None:
            break
        time.sleep(1)
    if report.status != Report.Status.READY:
        stop_worker()
        output = worker.stdout.read().decode(errors="replace")[-3000:] if worker.stdout else ""
        pytest.fail(f"report {report.status}: {report.error}\n{output}")

    from pypdf import PdfReader

    data = report.file.read()
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "Child Care and Protection Committee" in text
    assert "2025-26-H1" in text
    expected = indicators_by_id(compute_indicators(period))
    assert expected["N1"].figure("referrals").value == 12
    assert re.search(r"Referrals received\s+12\b", text)
    assert expected["N6"].figure("young_people").value == 3
    assert re.search(r"Young people reported missing\s+<5", text)
    # No count of people shows 1 to 4: every figure, trend and table cell in the data cut
    # (counts that are not people, such as milestones, are published in full) ...
    cells = []
    not_people = set()
    for indicator in report.figures["indicators"]:
        for fig in indicator["figures"]:
            if fig["kind"] == "count":
                (cells if fig["people"] else []).append(fig["text"])
                if not fig["people"]:
                    not_people.add(fig["label"])
        if indicator["trend_people"]:
            cells += [t["text"] for t in indicator["trend"]]
        for table in indicator["tables"]:
            if table["people"]:
                cells += [row["text"] for row in table["rows"]] + [table["total_text"]]
    assert not {"1", "2", "3", "4"} & set(cells)
    assert report.figures["disclosure"]["audit"]["passed"] is True
    # ... and no line of the rendered tables ends in one (page footers, prose and counts that
    # are not people excluded). (4.1 indicators and 4.2 equality tables; 4.3 numbers the
    # action-plan items).
    body = text.split("4.1 Performance indicators")[-1].split("4.3 Action plan progress")[0]
    for line in body.splitlines():
        if "Page " in line or "counts of 1 to" in line.lower() or "from 1 to" in line:
            continue
        if any(line.strip().startswith(label) for label in not_people):
            continue
        assert not re.search(r"(?<![\w.\-])[1-4]$", line.strip()), line
