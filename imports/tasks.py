from celery import shared_task

from accounts.models import User
from imports import services
from imports.models import ImportBatch


@shared_task(acks_late=True, max_retries=0, time_limit=1800)
def batch_commit_task(batch_id: int, user_id: int) -> int:
    """Import a large batch in the background; access is checked again by the service."""
    actor = User.objects.select_related("agency").get(pk=user_id)
    batch = ImportBatch.objects.get(pk=batch_id)
    return services.batch_commit(actor=actor, batch=batch).created_records
