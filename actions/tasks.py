"""Celery tasks of the action plan. Arguments are ids or period codes; bodies call services.

Every task is idempotent (the services record what was sent), so acks_late and retries are safe.
"""

from celery import shared_task
from django.utils import timezone

from actions import services
from cases.tasks import email_task_options

TASK_OPTIONS = email_task_options(soft_time_limit=120, time_limit=180)


@shared_task(**TASK_OPTIONS)
def update_request_notify_task(update_request_id: int) -> int:
    """Email the lead agency's managers that the VAP chair asked for an update."""
    return services.update_request_notify(update_request_id=update_request_id)


@shared_task(**TASK_OPTIONS)
def plan_reminders_task(period_code: str, stage: str) -> int:
    """Remind each lead agency of its items lacking an update for `period_code`."""
    return services.plan_reminders_send(period_code=period_code, stage=stage)


@shared_task(**TASK_OPTIONS)
def plan_reminders_due_task() -> int:
    """Daily (beat): send whichever reminder is due today, a month before a period closes and
    again once it has closed. Repeated runs inside a window send nothing new."""
    due = services.reminder_due(today=timezone.localdate())
    if due is None:
        return 0
    period_code, stage = due
    return services.plan_reminders_send(period_code=period_code, stage=stage)
