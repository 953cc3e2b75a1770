"""Redis (the task broker) stopped (issue 13): pages still work, a report request is
accepted, and the report is sent to the queue once Redis is back, by the reconciler.

A redis-server of our own on a free port stands in for the broker; stopping it never
touches the machine's Redis. The request goes through the real page; the on-commit hook
that sends the task runs as it would after a real commit.
"""

import base64
import datetime as dt
import json
import uuid
from collections.abc import Iterator

import pytest
import redis
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from partnership.models import Committee
from partnership.periods import current_period
from performance.models import Report
from performance.services import STALLED_QUEUED, reports_requeue_stalled
from tests.faults.services import RedisServer, reset_celery_app

pytestmark = [pytest.mark.services, pytest.mark.django_db]


@pytest.fixture
def broker(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[RedisServer, str]]:
    """Our own Redis as Celery's broker, on a queue of our own; restored afterwards."""
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


def _signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _queued_report_ids(server: RedisServer, queue: str) -> list[int]:
    client = redis.Redis.from_url(server.url)
    ids = []
    for raw in client.lrange(queue, 0, -1):
        message = json.loads(raw)
        body = json.loads(base64.b64decode(message["body"]))
        ids.append(body[0][0])  # args of report_render_task(report_id)
    return ids


def test_with_redis_down_pages_work_a_report_is_accepted_and_queued_when_redis_returns(
    broker: tuple[RedisServer, str],
    clerk: User,
    cfs_practitioner: User,
    django_capture_on_commit_callbacks: object,
) -> None:
    server, queue = broker
    server.stop()  # the broker is down from here on

    # Pages that need no broker still work.
    assert _signed_in(cfs_practitioner).get(reverse("cases:referral_list")).status_code == 200
    clerk_client = _signed_in(clerk)
    assert clerk_client.get(reverse("performance:reports")).status_code == 200

    committee = Committee.objects.get(code="ccpc")
    period = current_period().previous()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = clerk_client.post(
            reverse("performance:reports"), {"committee": committee.pk, "period": period.code}
        )
    assert response.status_code == 302  # accepted, not a 500
    report = Report.objects.get(committee=committee, period=period.code)
    assert report.status == Report.Status.QUEUED

    # The reconciler, run while Redis is still down, sends nothing and loses nothing.
    later = timezone.now() + STALLED_QUEUED + dt.timedelta(minutes=1)
    assert reports_requeue_stalled(now=later) == []
    report.refresh_from_db()
    assert report.status == Report.Status.QUEUED

    # Redis is back: the reconciler's next run puts the report's task on the queue, once.
    server.start()
    assert _queued_report_ids(server, queue) == []
    assert reports_requeue_stalled(now=timezone.now()) == []  # not stalled yet: left alone
    assert reports_requeue_stalled(now=later) == [report.pk]
    assert _queued_report_ids(server, queue) == [report.pk]
