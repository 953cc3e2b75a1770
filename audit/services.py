"""Writing to the access log. Called inside the same transaction as the act it records."""

from typing import Any

from django.db import models
from django.http import HttpRequest

from audit.models import AccessEvent


def object_type_label(instance: models.Model) -> str:
    return instance._meta.label_lower


def access_event_record(
    *,
    actor: Any,
    action: str,
    instance: models.Model | None = None,
    object_type: str = "",
    object_id: int | None = None,
    request: HttpRequest | None = None,
    detail: dict[str, Any] | None = None,
) -> AccessEvent:
    """Record that `actor` did `action` to a record (or to a kind of record)."""
    if instance is not None:
        object_type = object_type_label(instance)
        object_id = instance.pk
    return AccessEvent.objects.create(
        user=actor if getattr(actor, "pk", None) else None,
        agency_id=getattr(actor, "agency_id", None),
        action=action,
        object_type=object_type,
        object_id=object_id,
        page=request.get_full_path()[:300] if request is not None else "",
        detail=detail or {},
    )
