"""Writes for committee reports: request (a row first, then a task fills it), render, record
downloads. The rendering itself is `report_render`, which the Celery task and the
render_reports command both call."""

import datetime as dt
import hashlib
import logging
import threading
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connections, transaction
from django.db.models import Max, Q
from django.http import HttpRequest
from django.utils import timezone
from kombu.exceptions import OperationalError as KombuOperationalError
from redis.exceptions import RedisError

from accounts.models import User
from audit.models import AccessEvent
from audit.services import access_event_record
from partnership.models import Committee
from partnership.periods import Period
from performance.models import Report
from performance.pdf import generator_string, render_report_pdf
from performance.permissions import (
    can_download,
    can_request_report,
    can_see_exact_partnership_figures,
    can_view_reports,
)
from performance.reports import report_period, report_snapshot
from performance.stored import is_closed, stored_indicators_replace

logger = logging.getLogger(__name__)

ERROR_CANNOT_REQUEST = "You cannot ask for committee reports."
ERROR_NOT_READY = "This report is not ready to download."
ERROR_CANNOT_REMATERIALISE = (
    "Only the VAP chair or a performance analyst can compute a closed period's figures again."
)
ERROR_PERIOD_OPEN = "{period} is not closed: its figures are computed afresh every few minutes."
ERROR_REASON_NEEDED = "Say why the figures are computed again (a late record, a correction)."
ERROR_STORAGE = (
    "The report could not be stored ({reason}). Ask an administrator to check the report storage."
)


class ReportStorageError(Exception):
    """The PDF was made but could not be written (storage full, read-only or missing)."""


def _report_no(report: Report) -> str:
    return f"{report.committee.code.upper()}-{report.period}-v{report.version}"


@transaction.atomic
def report_request(*, actor: User | None, committee: Committee, period: Period) -> Report:
    """Queue a new version of `committee`'s report for `period` (actor None = the scheduler).

    Versions count up per committee and period; nothing is ever overwritten.
    """
    if actor is not None and not can_request_report(actor):
        raise PermissionDenied(ERROR_CANNOT_REQUEST)
    # Serialise version numbering per committee.
    Committee.objects.select_for_update().filter(pk=committee.pk).first()
    last = Report.objects.filter(committee=committee, period=period.code).aggregate(
        v=Max("version")
    )["v"]
    report = Report(
        committee=committee,
        period=period.code,
        version=(last or 0) + 1,
        requested_by=actor if getattr(actor, "pk", None) else None,
    )
    report.save()
    access_event_record(
        actor=actor,
        action=AccessEvent.Action.CREATE,
        instance=report,
        detail={"committee": committee.code, "period": period.code, "version": report.version},
    )
    transaction.on_commit(partial(report_enqueue, report_id=report.pk))
    return report


# Queued this long without starting: the message was never sent (broker down) or was lost.
STALLED_QUEUED = dt.timedelta(minutes=10)
# Started this long ago and not finished: past the task's hard time limit, the worker died.
STALLED_RUNNING = dt.timedelta(minutes=15)


def report_enqueue(*, report_id: int) -> bool:
    """Send the render task. With the broker down the request still succeeds: the report
    stays queued and `reports_requeue_stalled` sends it once the broker is back."""
    from performance.tasks import report_render_task

    if settings.CELERY_TASK_ALWAYS_EAGER and settings.CSE_IN_PROCESS_TASKS_IN_THREAD:
        threading.Thread(
            target=_render_in_thread, args=(report_id,), name=f"report-{report_id}", daemon=True
        ).start()
        return True
    try:
        # No publish retries: the person asking should not wait on a dead broker.
        report_render_task.apply_async((report_id,), retry=False)
    except (KombuOperationalError, RedisError, OSError):
        logger.warning("report %s left queued: the task broker is unavailable", report_id)
        return False
    return True


def _render_in_thread(report_id: int) -> None:
    """The in-process stand-in for a worker: the task runs (and sets the report's status
    step by step) on this thread's own database connection, closed when it is done. A
    render that dies here leaves the report failed or stalled, as a worker's would."""
    from performance.tasks import report_render_task

    try:
        report_render_task.apply((report_id,))
    except Exception:  # the task records its own failure; the thread must not die loudly
        logger.exception("report %s: in-process render failed", report_id)
    finally:
        connections.close_all()


def reports_requeue_stalled(*, now: dt.datetime | None = None) -> list[int]:
    """Send again every report queued but never started, or started but never finished
    (see STALLED_*). Rendering is idempotent, so a message sent twice renders once."""
    now = now or timezone.now()
    stalled = list(
        Report.objects.filter(
            Q(status=Report.Status.QUEUED, requested_at__lt=now - STALLED_QUEUED)
            | Q(
                status__in=[Report.Status.COMPUTING, Report.Status.RENDERING],
                started_at__lt=now - STALLED_RUNNING,
            )
        ).values_list("pk", flat=True)
    )
    return [pk for pk in stalled if report_enqueue(report_id=pk)]


def _set_status(report_id: int, status: str, **fields: Any) -> None:
    # Each step commits on its own so the progress page sees it while the work goes on.
    Report.objects.filter(pk=report_id).update(status=status, **fields)


ERROR_AUDIT = "Refused by the disclosure audit: {detail}"


def _audit_reason(audit: dict[str, Any]) -> str:
    failures = audit["failures"]
    first = failures[0] if failures else {"cell": "?", "reason": "no result"}
    more = f" (and {len(failures) - 1} more)" if len(failures) > 1 else ""
    return ERROR_AUDIT.format(detail=f"{first['cell']}: {first['reason']}{more}")


def report_render(*, report_id: int) -> Report:
    """Compute the figures, audit their disclosure control, render the PDF and store it with
    its checksum. A report the audit refuses ends failed, with the reason and no PDF.
    Idempotent: a report that is already ready is returned as it is."""
    with transaction.atomic():
        report = Report.objects.select_for_update().select_related("committee").get(pk=report_id)
        if report.status == Report.Status.READY:
            return report
        report.status = Report.Status.COMPUTING
        report.started_at = timezone.now()
        report.error = ""
        report.save(update_fields=["status", "started_at", "error"])
    snapshot = report_snapshot(committee=report.committee, period=report_period(report.period))
    audit = snapshot["disclosure"]["audit"]
    if not audit["passed"]:
        # The audit found a hidden count that the published figures would give away: the
        # report is refused, and the snapshot (with the audit's ranges) kept to say why.
        reason = _audit_reason(audit)
        _set_status(report.pk, Report.Status.FAILED, figures=snapshot, error=reason[:300])
        logger.warning("report %s refused by the disclosure audit: %s", report.pk, reason)
        return Report.objects.get(pk=report.pk)
    _set_status(report.pk, Report.Status.RENDERING, figures=snapshot)
    pdf = render_report_pdf(snapshot=snapshot, report_no=_report_no(report))
    digest = hashlib.sha256(pdf).hexdigest()
    # The storage writes the complete bytes under a name that does not exist yet
    # (get_available_name): an earlier version is never overwritten.
    wanted = (
        f"reports/{report.period}/{report.committee.code}-{report.period}-v{report.version}.pdf"
    )
    try:
        name = default_storage.save(wanted, ContentFile(pdf))
    except OSError as error:  # full, read-only or missing: say so on the report
        _remove_partial(wanted)
        raise ReportStorageError(
            ERROR_STORAGE.format(reason=error.strerror or type(error).__name__)
        ) from error
    with transaction.atomic():
        current = Report.objects.select_for_update().get(pk=report.pk)
        if current.status == Report.Status.READY:
            default_storage.delete(name)  # another run finished first: keep its file
            return current
        current.status = Report.Status.READY
        current.file.name = name
        current.size = len(pdf)
        current.sha256 = digest
        current.generated_at = timezone.now()
        current.generator = generator_string()
        current.save()
    logger.info("report %s rendered (%s bytes)", report.pk, len(pdf))
    return current


def _remove_partial(name: str) -> None:
    """FileSystemStorage writes in place: a write cut short (disk full) leaves the start of
    a PDF under the report's name. No report row names it yet, so it is removed."""
    try:
        if default_storage.exists(name) and not Report.objects.filter(file=name).exists():
            default_storage.delete(name)
    except OSError:
        logger.warning("could not remove the partial report file %s", name)


def report_mark_failed(*, report_id: int, error: str) -> None:
    Report.objects.filter(pk=report_id).exclude(status=Report.Status.READY).update(
        status=Report.Status.FAILED, error=error[:300]
    )


def reports_ensure_for_period(*, period: Period) -> list[Report]:
    """Queue each committee's report for `period` unless one is ready or on its way."""
    have = set(
        Report.objects.filter(
            period=period.code,
            status__in=[
                Report.Status.READY,
                Report.Status.QUEUED,
                Report.Status.COMPUTING,
                Report.Status.RENDERING,
            ],
        ).values_list("committee_id", flat=True)
    )
    return [
        report_request(actor=None, committee=committee, period=period)
        for committee in Committee.objects.exclude(pk__in=have)
    ]


@transaction.atomic
def report_download_record(*, actor: User, report: Report, request: HttpRequest | None) -> None:
    """Every download of a committee report goes in the access log. The clerk downloads
    published versions only (a draft answers as if it did not exist)."""
    if not can_view_reports(actor):
        raise PermissionDenied(ERROR_CANNOT_REQUEST)
    if not can_download(actor, report):
        raise ValueError(ERROR_NOT_READY)
    if report.status != Report.Status.READY or not report.file:
        raise ValueError(ERROR_NOT_READY)
    access_event_record(
        actor=actor,
        action=AccessEvent.Action.DOWNLOAD,
        instance=report,
        request=request,
        detail={"sha256": report.sha256, "version": report.version},
    )


@transaction.atomic
def indicators_rematerialise(*, actor: User, period: Period, reason: str) -> int:
    """Compute a closed period's stored figures again from the records as they are now (a
    record entered late, a correction), recording who, why and what changed. Reports already
    published keep what they printed; the next report's trend rows show the new figures, and
    their disclosure control treats the old published values as what they were (a value
    that changed is not "known"). Returns the number of figures that changed."""
    if not can_see_exact_partnership_figures(actor):
        raise PermissionDenied(ERROR_CANNOT_REMATERIALISE)
    if not is_closed(period):
        raise ValidationError(ERROR_PERIOD_OPEN.format(period=period.code))
    if not reason.strip():
        raise ValidationError(ERROR_REASON_NEEDED)
    changed = stored_indicators_replace(period=period)
    access_event_record(
        actor=actor,
        action=AccessEvent.Action.CHANGE,
        object_type="performance.storedindicators",
        detail={
            "period": period.code,
            "reason": reason.strip()[:500],
            "changed": len(changed),
            # Exact aggregates for the audit trail (the access log is not published).
            "values": {name: list(pair) for name, pair in sorted(changed.items())[:200]},
        },
    )
    return len(changed)
