"""Writing to the access log. Called inside the same transaction as the act it records."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.http import HttpRequest

from audit.models import AccessEvent

if TYPE_CHECKING:
    # django-stubs reads this alias as the AUTH_USER_MODEL (accounts.User) or an anonymous
    # visitor, so this ground-floor app types its actor without importing accounts.
    from django.contrib.auth.models import _AnyUser as AnyUser

M = TypeVar("M", bound=models.Model)


def object_type_label(instance: models.Model) -> str:
    return instance._meta.label_lower


def access_event_record(
    *,
    actor: AnyUser | None,
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
    # An anonymous visitor (a refused sign-in, say) or the system is logged without a user.
    member = None if actor is None or isinstance(actor, AnonymousUser) else actor
    return AccessEvent.objects.create(
        user=member if member is not None and member.pk else None,
        agency_id=member.agency_id if member is not None else None,
        action=action,
        object_type=object_type,
        object_id=object_id,
        page=request.get_full_path()[:300] if request is not None else "",
        detail=detail or {},
    )


def record_viewed(
    *,
    request: HttpRequest,
    record: models.Model,
    action: str = AccessEvent.Action.VIEW,
    detail: dict[str, Any] | None = None,
) -> None:
    """Log that the signed-in user opened `record` on this page (detail, history, print...)."""
    access_event_record(
        actor=request.user, action=action, instance=record, request=request, detail=detail
    )


def record_open(
    request: HttpRequest,
    get: Callable[[Any, int], M],
    pk: int,
    *,
    action: str = AccessEvent.Action.VIEW,
    detail: dict[str, Any] | None = None,
) -> M:
    """Open a record for the signed-in user and log it: `get` is the record's policy lookup
    (`get_for_user_or_404`, so out of reach is 404 and nothing is logged)."""
    record = get(request.user, pk)
    record_viewed(request=request, record=record, action=action, detail=detail)
    return record
