"""Writes for committee reports: request (a row first, then a task fills it), render, record
downloads. The rendering itself is `report_render`, which the Celery task and the
render_reports command both call."""

import hashlib
import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone

from audit.models import AccessEvent
from audit.services import access_event_record
from partnership.models import Committee
from partnership.periods import Period, period_from_code
from performance.models import Report
from performance.pdf import generator_string, render_report_pdf
from performance.permissions import can_request_report, can_view_reports
from performance.reports import report_snapshot

logger = logging.getLogger(__name__)

ERROR_CANNOT_REQUEST = "You cannot ask for committee reports."
ERROR_NOT_READY = "This report is not ready to download."


def _report_no(report: Report) -> str:
    return f"{report.committee.code.upper()}-{report.period}-v{report.version}"


@transaction.atomic
def report_request(*, actor: Any, committee: Committee, period: Period) -> Report:
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
    from performance.tasks import report_render_task

    report_render_task.delay_on_commit(report.pk)
    return report


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
    snapshot = report_snapshot(committee=report.committee, period=period_from_code(report.period))
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
    name = default_storage.save(
        f"reports/{report.period}/{report.committee.code}-{report.period}-v{report.version}.pdf",
        ContentFile(pdf),
    )
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
def report_download_record(*, actor: Any, report: Report, request: HttpRequest | None) -> None:
    """Every download of a committee report goes in the access log."""
    if not can_view_reports(actor):
        raise PermissionDenied(ERROR_CANNOT_REQUEST)
    if report.status != Report.Status.READY or not report.file:
        raise ValueError(ERROR_NOT_READY)
    access_event_record(
        actor=actor,
        action=AccessEvent.Action.DOWNLOAD,
        instance=report,
        request=request,
        detail={"sha256": report.sha256, "version": report.version},
    )
