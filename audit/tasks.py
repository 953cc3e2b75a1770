"""Periodic audit work. The beat entry is in settings (CELERY_BEAT_SCHEDULE)."""

from typing import Any

from celery import shared_task

from audit.retention import retention_review


@shared_task(acks_late=True, max_retries=2, soft_time_limit=1500, time_limit=1800)
def retention_review_task() -> dict[str, Any]:
    """Daily retention pass; returns ids and counts only (no personal data in results)."""
    return retention_review().as_dict()
