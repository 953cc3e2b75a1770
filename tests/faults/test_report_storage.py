"""Report storage unwritable or full (issue 13): the report fails with a reason a clerk can
read, and the database stays consistent (no file recorded, nothing half-written).

Real file-system errors, not mocks: "unwritable" is a storage location under a plain file
(the kernel answers ENOTDIR even to root), "full" is a file-size limit on this process
(RLIMIT_FSIZE: the kernel answers EFBIG part-way through the write, like a full disk).
"""

import resource
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage

from accounts.models import User
from partnership.models import Committee
from partnership.periods import current_period
from performance.models import Report
from performance.services import report_request
from performance.tasks import report_render_task

pytestmark = pytest.mark.django_db


def _storage_at(settings: Any, location: Path) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(location)},
        },
    }


@pytest.fixture
def queued_report(clerk: User, django_capture_on_commit_callbacks: Any) -> Report:
    # Requested without running the task yet: the on-commit hook is captured, not run.
    with django_capture_on_commit_callbacks(execute=False):
        return report_request(
            actor=clerk,
            committee=Committee.objects.get(code="ccpc"),
            period=current_period().previous(),
        )


@contextmanager
def small_file_limit() -> Iterator[None]:
    """Writes past 4 KiB fail with EFBIG (SIGXFSZ ignored), as a full disk would fail them.

    The limit holds for the whole process, pytest's own output file included, so it is set
    around the render alone and lifted before pytest writes anything.
    """
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)


def _assert_failed_cleanly(report: Report, reason: str) -> None:
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED
    assert report.error.startswith("The report could not be stored (")
    assert reason in report.error
    # Nothing points at a file that is not there, or at half of one.
    assert not report.file and report.size is None and report.sha256 == ""
    assert report.generated_at is None


def test_unwritable_storage_fails_the_report_with_a_reason(
    queued_report: Report, settings: Any, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the storage directory should be")
    _storage_at(settings, blocker / "private")
    with pytest.raises(Exception, match="could not be stored"):
        report_render_task.apply(args=[queued_report.pk], throw=True)
    _assert_failed_cleanly(queued_report, "Not a directory")


def test_full_storage_fails_the_report_and_leaves_no_half_written_file(
    queued_report: Report, settings: Any, tmp_path: Path
) -> None:
    location = tmp_path / "private"
    _storage_at(settings, location)
    with pytest.raises(Exception, match="could not be stored"), small_file_limit():
        report_render_task.apply(args=[queued_report.pk], throw=True)
    _assert_failed_cleanly(queued_report, "File too large")
    assert default_storage.location == str(location)
    # FileSystemStorage writes in place: the truncated PDF it began is removed.
    assert list(location.rglob("*.pdf")) == []
