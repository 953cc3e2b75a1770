"""Retention decisions: keep, legal hold, dispose. Made by the owning agency's IG officer.

A decision is a new RetentionDecision row (never an update) plus the record's own retention
fields (`review_date`, `legal_hold`) saved with the decider as history user, and an access
event, all in one transaction. The daily pass (audit.retention.retention_review) acts on them.
"""

import datetime as dt
from collections.abc import Iterable

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from accounts.models import User
from audit.models import AccessEvent, RetentionDecision
from audit.retention import disposal_date_for, retention_rules
from audit.services import access_event_record
from governance.permissions import is_ig_officer

ERROR_NOT_IG = "Only the agency's information governance officer decides on retention."
ERROR_REASON = "Give the reason for the decision."
ERROR_REVIEW_DATE = "Give a new review date in the future."
ERROR_HOLD_UNTIL = "The end of a legal hold must be in the future."
ERROR_ON_HOLD = "This record is on legal hold: release the hold before deciding to dispose of it."
ERROR_PRESERVED = "This record is preserved by policy and cannot be disposed of."
ERROR_NO_RULE = "No retention rule governs this kind of record."


def _records(*, actor: User, model_label: str, object_ids: Iterable[int]) -> list[models.Model]:
    """The records of the actor's agency under a rule, locked; any other id is 'not found'."""
    if model_label not in retention_rules():
        raise ObjectDoesNotExist(ERROR_NO_RULE)
    model = apps.get_model(model_label)
    ids = sorted(set(object_ids))
    found = list(
        model._default_manager.select_for_update()
        .filter(pk__in=ids, owner_agency_id=actor.agency_id)
        .order_by("pk")
    )
    if len(found) != len(ids) or not ids:
        raise ObjectDoesNotExist(f"{model_label} not found")
    return found


def _is_preserved(instance: models.Model) -> bool:
    rule = retention_rules()[instance._meta.label_lower]
    return type(instance)._default_manager.filter(rule.preserved_filter(), pk=instance.pk).exists()


@transaction.atomic
def retention_decide(
    *,
    actor: User,
    model_label: str,
    object_ids: Iterable[int],
    kind: str,
    reason: str,
    new_review_date: dt.date | None = None,
    hold_until: dt.date | None = None,
) -> list[RetentionDecision]:
    """Decide on one or many records of one kind (all or none: any refusal stops the lot).

    Keep sets a new review date (and ends a hold); hold sets legal hold, optionally until a
    date; dispose leaves the record for the grace period, then the daily pass erases it.
    Dispose is refused for a record on hold or preserved by its rule (looked-after children).
    """
    if not is_ig_officer(actor):
        raise PermissionDenied(ERROR_NOT_IG)
    kind = RetentionDecision.Kind(kind)
    if not reason.strip():
        raise ValidationError(ERROR_REASON)
    today = timezone.localdate()
    if kind == RetentionDecision.Kind.KEEP and (
        new_review_date is None or new_review_date <= today
    ):
        raise ValidationError(ERROR_REVIEW_DATE)
    if kind == RetentionDecision.Kind.HOLD and hold_until is not None and hold_until <= today:
        raise ValidationError(ERROR_HOLD_UNTIL)
    decisions = []
    for instance in _records(actor=actor, model_label=model_label, object_ids=object_ids):
        fields: dict[str, object] = {}
        erase_after = None
        if kind == RetentionDecision.Kind.KEEP:
            fields = {"review_date": new_review_date, "legal_hold": False}
        elif kind == RetentionDecision.Kind.HOLD:
            fields = {"legal_hold": True}
        else:
            if instance.legal_hold:  # type: ignore[attr-defined]
                raise ValidationError(ERROR_ON_HOLD)
            if _is_preserved(instance):
                raise ValidationError(ERROR_PRESERVED)
            erase_after = disposal_date_for(today)
        for name, value in fields.items():
            setattr(instance, name, value)
        if fields:
            instance._history_user = actor  # type: ignore[attr-defined]
            instance.save(update_fields=list(fields))
        decision = RetentionDecision.objects.create(
            model=model_label,
            object_id=instance.pk,
            owner_agency_id=actor.agency_id,
            kind=kind,
            reason=reason.strip(),
            decided_by=actor,
            new_review_date=new_review_date if kind == RetentionDecision.Kind.KEEP else None,
            hold_until=hold_until if kind == RetentionDecision.Kind.HOLD else None,
            erase_after=erase_after,
        )
        access_event_record(
            actor=actor,
            action=AccessEvent.Action.CHANGE,
            instance=instance,
            detail={"retention_decision": kind.value, "decision": decision.pk},
        )
        decisions.append(decision)
    return decisions
