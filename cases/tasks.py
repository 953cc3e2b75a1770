"""Periodic case tasks. Arguments are ids; bodies call selectors/services; safe to retry.

Also the options of every task that sends e-mail through a service (``email_task_options``),
for the apps above that have such tasks."""

from smtplib import SMTPException
from typing import Any

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail

from accounts.models import User
from cases.selectors import attention_lists_for_agency
from partnership.models import Agency
from partnership.roles import Role


def email_task_options(*, soft_time_limit: int, time_limit: int) -> dict[str, Any]:
    """A task that e-mails through an idempotent service (it records what it sent):
    acknowledged late and retried with backoff while the mail server fails, so nothing is
    lost and nothing is sent twice."""
    return {
        "acks_late": True,
        "autoretry_for": (SMTPException, ConnectionError),
        "retry_backoff": True,
        "max_retries": 3,
        "soft_time_limit": soft_time_limit,
        "time_limit": time_limit,
    }


@shared_task(acks_late=True, max_retries=3, default_retry_delay=300, time_limit=600)
def attention_alerts_notify_task() -> int:
    """Tell each agency's managers how much needs attention. Counts only: no names by email."""
    sent = 0
    for agency_id in Agency.objects.filter(is_active=True).values_list("pk", flat=True):
        sent += agency_attention_notify_task(agency_id)
    return sent


@shared_task(acks_late=True, max_retries=3, default_retry_delay=300, time_limit=300)
def agency_attention_notify_task(agency_id: int) -> int:
    lists = attention_lists_for_agency(agency_id=agency_id)
    counts = {name: queryset.count() for name, queryset in lists.items()}
    if not any(counts.values()):
        return 0
    managers = list(
        User.objects.filter(
            agency_id=agency_id, is_active=True, groups__name=Role.AGENCY_MANAGER.value
        )
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if not managers:
        return 0
    body = (
        "CSE Portal: work needing attention in your agency.\n\n"
        f"Return discussions overdue: {counts['return_overdue']}\n"
        f"Young people repeatedly missing: {counts['repeat_missing']}\n"
        f"Risk reassessments due: {counts['reassessment_due']}\n\n"
        "Sign in to CSE Portal and open 'Needs attention' for details."
    )
    send_mail(
        "CSE Portal: work needing attention",
        body,
        settings.DEFAULT_FROM_EMAIL,
        managers,
    )
    return 1
