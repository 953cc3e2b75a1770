"""Celery tasks of casework. Arguments are ids; bodies call services, which re-check access.

Idempotent (the service records what it sent), so acks_late and retries are safe."""

from celery import shared_task

from cases.tasks import email_task_options
from casework import documents, services


@shared_task(**email_task_options(soft_time_limit=60, time_limit=90))
def ird_action_notify_task(action_id: int) -> int:
    """E-mail the person an IRD action was assigned to (a link, never case content)."""
    return services.ird_action_notify(action_id=action_id)


@shared_task(acks_late=True, soft_time_limit=300, time_limit=360)
def case_document_orphans_remove_task() -> int:
    """Daily: remove stored document files that no document names (see the service)."""
    return len(documents.case_document_orphans_remove())
