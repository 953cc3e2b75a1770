"""With tasks in-process (the embedded default: no broker), asking for a report answers at
once and the render runs in a background thread whose progress the reports page follows,
as with a worker; it does not hold the request for the seconds a render takes."""

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from partnership.models import Committee
from performance import services
from performance.models import Report

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _wait_for_thread(name: str) -> None:
    """Join the background render (it may have ended already)."""
    for thread in threading.enumerate():
        if thread.name == name:
            thread.join(timeout=120)
            assert not thread.is_alive(), "the background render did not finish"


def test_in_process_report_answers_at_once_and_renders_in_the_background(
    clerk: User, client: Client, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.CSE_IN_PROCESS_TASKS_IN_THREAD = True
    release = threading.Event()
    rendering = threading.Event()
    real_render: Callable[..., bytes] = services.render_report_pdf

    def held_render(**kwargs: Any) -> bytes:
        rendering.set()
        assert release.wait(timeout=60), "the test never let the render finish"
        return real_render(**kwargs)

    monkeypatch.setattr(services, "render_report_pdf", held_render)
    client.force_login(clerk)
    committee = Committee.objects.get(code="csp")

    response = client.post(
        reverse("performance:reports"), {"committee": committee.pk, "period": "2025-26-H1"}
    )
    # The request has answered while the render is still held: it did not wait for it.
    assert response.status_code == 302
    report = Report.objects.get()
    assert rendering.wait(timeout=60), "the render never started in the background"
    status_url = reverse("performance:report_status", args=[report.pk])
    during = client.get(status_url).json()
    assert during["done"] is False
    assert during["status"] == Report.Status.RENDERING
    page = client.get(reverse("performance:reports")).content.decode()
    assert status_url in page  # the page follows it (js/report-progress.mjs polls this)

    release.set()
    _wait_for_thread(f"report-{report.pk}")
    after = client.get(status_url).json()
    assert (after["status"], after["done"]) == (Report.Status.READY, True)
    report.refresh_from_db()
    assert report.file and report.sha256


def test_a_failed_in_process_render_is_recorded_not_raised(
    clerk: User, client: Client, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.CSE_IN_PROCESS_TASKS_IN_THREAD = True

    def broken_render(**kwargs: Any) -> bytes:
        raise RuntimeError("WeasyPrint fell over")

    monkeypatch.setattr(services, "render_report_pdf", broken_render)
    client.force_login(clerk)
    committee = Committee.objects.get(code="cog")
    response = client.post(
        reverse("performance:reports"), {"committee": committee.pk, "period": "2025-26-H1"}
    )
    assert response.status_code == 302
    report = Report.objects.get()
    _wait_for_thread(f"report-{report.pk}")
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED
