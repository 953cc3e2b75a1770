"""Celery tasks for committee reports. Arguments are ids; bodies call services."""

import logging

from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from partnership.periods import period_awaiting_drafts
from performance.services import (
    ReportStorageError,
    report_mark_failed,
    report_render,
    reports_ensure_for_period,
    reports_requeue_stalled,
)

logger = logging.getLogger(__name__)

RETRYABLE = (OperationalError, InterfaceError, OSError)
MAX_RETRIES = 3


@shared_task(
    bind=True,
    acks_late=True,
    max_retries=MAX_RETRIES,
    soft_time_limit=300,
    time_limit=360,
)
def report_render_task(self: Task, report_id: int) -> str:
    """Render one report. Safe to run twice: a ready report is left as it is."""
    try:
        report = report_render(report_id=report_id)
    except ReportStorageError as exc:
        # Not retried: a full or read-only store needs a person. The report says why; the
        # clerk (or the daily reconciler, for the last closed period) asks again.
        report_mark_failed(report_id=report_id, error=str(exc))
        raise
    except SoftTimeLimitExceeded:
        report_mark_failed(report_id=report_id, error="Rendering took too long.")
        raise
    except RETRYABLE as exc:
        if self.request.retries < MAX_RETRIES:
            raise self.retry(exc=exc, countdown=10 * 2**self.request.retries) from exc
        report_mark_failed(report_id=report_id, error=f"{type(exc).__name__}")
        raise
    except Exception as exc:
        logger.exception("report %s failed", report_id)
        report_mark_failed(report_id=report_id, error=f"{type(exc).__name__}")
        raise
    return report.status


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90)
def reports_after_update_window_task() -> int:
    """Beat, daily: once the update window of the last closed period has ended
    (`CSE_UPDATE_WINDOW_DAYS`), queue a draft of each committee's report for it, and again
    any that is missing or failed. Inside the window nothing is queued: the lead agencies
    are still writing. Safe to repeat: a report ready or on its way is not queued twice."""
    period = period_awaiting_drafts(timezone.localdate())
    if period is None:
        return 0
    return len(reports_ensure_for_period(period=period))


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90)
def reports_requeue_stalled_task() -> int:
    """Beat, every 10 minutes: send again the reports whose message never arrived (the
    broker was down when they were asked for) or whose worker died."""
    return len(reports_requeue_stalled())
