"""Writes of the API app: tokens (create, revoke, mark used) and the access log of API reads.

Record writes go through the cases services (``api.writes``); nothing here writes a case
record itself.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from api.models import ApiToken
from audit.models import AccessEvent
from audit.services import access_event_record, object_type_label
from cases.models import YoungPerson
from partnership.roles import Role
from records.services import EditConflict, RecordType, changed_values

if TYPE_CHECKING:
    from accounts.models import User

M = TypeVar("M", bound=models.Model)

TOKEN_PREFIX = "cse_"  # noqa: S105 marks our tokens in secret scanners, not a secret
MAX_TOKEN_DAYS = 90
ERROR_TWO_FACTOR = "Sign in with two-factor authentication before creating an API token."
ERROR_TOKEN_DAYS = f"A token lasts between 1 and {MAX_TOKEN_DAYS} days."
ERROR_NAME_MISSING = "Give the token a name, so you can tell it from your others."
# Writing last use on every request would be a write per API call; once a minute is enough
# for "last used" in the token list.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def api_token_create(
    *, actor: User, verified: bool, name: str, scope: str, days: int
) -> tuple[ApiToken, str]:
    """A token for the actor themselves, only from a two-factor session, for at most 90 days.

    Returns the row and the token; the token is shown once and never stored.
    """
    if not verified:
        raise PermissionDenied(ERROR_TWO_FACTOR)
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = ERROR_NAME_MISSING
    if not 1 <= days <= MAX_TOKEN_DAYS:
        errors["days"] = ERROR_TOKEN_DAYS
    if scope not in ApiToken.Scope.values:
        errors["scope"] = "Choose read, or read and write."
    if errors:
        raise ValidationError(errors)
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=actor,
            name=name.strip(),
            scope=scope,
            prefix=raw[: len(TOKEN_PREFIX) + 6],
            digest=token_digest(raw),
            expires_at=timezone.now() + dt.timedelta(days=days),
        )
        access_event_record(
            actor=actor,
            action=AccessEvent.Action.CREATE,
            instance=token,
            detail={"scope": scope, "days": days},
        )
    return token, raw


def can_revoke(actor: User, token: ApiToken) -> bool:
    """Owners revoke their own tokens; administrators revoke anyone's."""
    return token.user_id == actor.pk or actor.has_role(Role.ADMINISTRATOR)


def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    if not can_revoke(actor, token):
        raise PermissionDenied
    if token.revoked_at is not None:
        return token
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.revoked_by = actor
        token.save(update_fields=["revoked_at", "revoked_by"])
        access_event_record(actor=actor, action=AccessEvent.Action.REVOKE, instance=token)
    return token


def api_token_mark_used(*, token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def api_reads_record(*, actor: User, records: Iterable[models.Model], page: str) -> None:
    """One access-log row per record the API returned, in one insert whatever the page size."""
    rows = [
        AccessEvent(
            user=actor,
            agency_id=actor.agency_id,
            action=AccessEvent.Action.VIEW,
            object_type=object_type_label(record),
            object_id=record.pk,
            page=page[:300],
            detail={"via": "api"},
        )
        for record in records
    ]
    if rows:
        AccessEvent.objects.bulk_create(rows)


# --- Idempotent record writes: the same (source, external_ref) never makes a second record --

UNKNOWN: Any = object()  # ``record_put`` looks the reference up itself
ERROR_OTHER_YOUNG_PERSON = "This reference belongs to a record about another young person."


def record_put(
    *,
    actor: User,
    record_type: RecordType[M],
    young_person: YoungPerson,
    values: Mapping[str, Any],
    expected_version: int | None = None,
    existing: Any = UNKNOWN,
) -> tuple[M, bool]:
    """Create a record, or find the one a previous call made with the same reference.

    Without ``external_ref`` this is a plain create. With one, the record the actor's agency
    already holds under (source, external_ref) is returned unchanged when nothing differs,
    and updated with the usual version check when something does (a missing or stale
    version is an ``EditConflict``). Returns (record, created).

    ``existing``: a caller that looked the references up for many records at once (an
    import, by chunk) passes what it found (the record, or None): one query per chunk
    instead of one per record.
    """
    reference = values.get("external_ref", "")
    if not reference:
        return record_type.create(actor=actor, young_person=young_person, **values), True
    if existing is UNKNOWN:
        existing = _by_reference(actor, record_type, values)
    if existing is None:
        try:
            # ``record_create`` is atomic itself (a savepoint when nested): a racing twin's
            # IntegrityError leaves the caller's transaction usable without a second one.
            record = record_type.create(actor=actor, young_person=young_person, **values)
            return record, True
        except IntegrityError:
            existing = _by_reference(actor, record_type, values)
            if existing is None:
                raise
    if existing.young_person_id != young_person.pk:
        raise ValidationError({"young_person": ERROR_OTHER_YOUNG_PERSON})
    if not changed_values(existing, values):
        return existing, False
    if expected_version is None:
        raise EditConflict(existing)
    record = record_type.update(
        actor=actor, instance=existing, expected_version=expected_version, changes=values
    )
    return record, False


def records_by_reference(
    *, actor: User, record_type: RecordType[M], source: str, references: Iterable[str]
) -> dict[str, M]:
    """The actor's agency's records under these references, in one query (for ``existing``)."""
    return {
        record.external_ref: record  # type: ignore[attr-defined]
        for record in record_type.model._default_manager.filter(
            owner_agency_id=actor.agency_id, source=source, external_ref__in=list(references)
        ).select_related("young_person")
    }


def _by_reference(actor: User, record_type: RecordType[M], values: Mapping[str, Any]) -> M | None:
    return (
        record_type.model._default_manager.filter(
            owner_agency_id=actor.agency_id,
            source=values.get("source", ""),
            external_ref=values["external_ref"],
        )
        .select_related("young_person")
        .first()
    )


def api_export_record(*, actor: User, kind: str, fmt: str, rows: int, page: str) -> None:
    """An export is on record: what, in which format, how many rows."""
    access_event_record(
        actor=actor,
        action=AccessEvent.Action.EXPORT,
        object_type=f"api.export.{kind}",
        detail={"format": fmt, "rows": rows, "page": page[:300]},
    )
