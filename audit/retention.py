"""Retention: review dates, the review list, and disposal of records past their disposal date.

Schedule (settings.CSE_RETENTION_REVIEW_YEARS, years after an anchor date):
- young person: after their 18th birthday (default 6 years);
- person of concern: after the record was made (default 6 years);
- intelligence: after it was received (default 2 years).
Disposal date = review date + settings.CSE_RETENTION_GRACE_DAYS (default 365): the owner has
that long to review (extend the review date, or set a legal hold). A record on legal hold is
never disposed of.

Disposal deletes the record, what cascades from it, and the history rows of all of those
(under the trigger's transaction-local `cse.disposal` switch, audit/append_only.py), and
writes a metadata-only DisposalLog row in the same transaction. The access log is kept: it
records who looked at which id, never the content.
"""

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models, router, transaction
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.utils import timezone

from audit.append_only import allow_disposal_in_this_transaction
from audit.models import DisposalLog

logger = logging.getLogger(__name__)

RETAINED_MODELS = ("cases.youngperson", "cases.personofconcern", "cases.intelligence")


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


def review_date_for(instance: models.Model) -> date:
    """The review date the retention schedule gives `instance` (pure: reads, never saves).

    Cases services call this when they create a young person, person of concern or
    intelligence entry.
    """
    label = instance._meta.label_lower
    years = settings.CSE_RETENTION_REVIEW_YEARS[label]
    if label == "cases.youngperson":
        return _add_years(_add_years(instance.date_of_birth, 18), years)
    if label == "cases.intelligence":
        return _add_years(instance.received_on, years)
    if label == "cases.personofconcern":
        made = instance.created_at or timezone.now()
        return _add_years(timezone.localdate(made), years)
    raise ValueError(f"no retention schedule for {label}")


def disposal_date_for(review_date: date) -> date:
    return review_date + timedelta(days=settings.CSE_RETENTION_GRACE_DAYS)


@dataclass
class RetentionOutcome:
    """What one run found and did, as ids only (safe to log and to return from a task)."""

    due_for_review: dict[str, list[int]] = field(default_factory=dict)
    disposed: dict[str, list[int]] = field(default_factory=dict)
    blocked: dict[str, list[int]] = field(default_factory=dict)
    review_dates_set: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "due_for_review": self.due_for_review,
            "disposed": self.disposed,
            "blocked": self.blocked,
            "review_dates_set": self.review_dates_set,
        }


def records_due_for_review(*, model: type[models.Model], today: date) -> models.QuerySet:
    """Records whose review date has come (whether or not they are on legal hold)."""
    return model.objects.filter(review_date__lte=today).order_by("review_date", "pk")


def records_past_disposal(*, model: type[models.Model], today: date) -> models.QuerySet:
    """Records past their disposal date and not on legal hold."""
    last_review_date = today - timedelta(days=settings.CSE_RETENTION_GRACE_DAYS)
    return model.objects.filter(review_date__lte=last_review_date, legal_hold=False).order_by(
        "review_date", "pk"
    )


def _history_model(model: type[models.Model]) -> type[models.Model] | None:
    manager = getattr(model, "history", None)
    return getattr(manager, "model", None) if manager is not None else None


def _m2m_history_models(history_model: type[models.Model]) -> list[type[models.Model]]:
    """simple-history m2m history tables point at their parent history row (DO_NOTHING)."""
    found = []
    for candidate in apps.get_models():
        link = candidate._meta.concrete_fields
        for model_field in link:
            if (
                model_field.name == "history"
                and model_field.is_relation
                and model_field.related_model is history_model
            ):
                found.append(candidate)
    return found


@transaction.atomic
def record_dispose(*, instance: models.Model) -> DisposalLog:
    """Delete `instance`, its cascade and all their history; log metadata only."""
    allow_disposal_in_this_transaction(router.db_for_write(type(instance)))
    review_date = instance.review_date
    log = DisposalLog(
        model=instance._meta.label_lower,
        object_id=instance.pk,
        owner_agency_id=getattr(instance, "owner_agency_id", None),
        created_at=getattr(instance, "created_at", None),
        review_date=review_date,
        disposal_date=disposal_date_for(review_date),
    )
    collector = Collector(using=router.db_for_write(type(instance)))
    collector.collect([instance])
    doomed = {model: {obj.pk for obj in objs} for model, objs in collector.data.items()}
    counts = {
        model._meta.label_lower: len(pks)
        for model, pks in doomed.items()
        if model is not type(instance)
    }
    instance.delete()
    # The deletes above wrote "deleted" history rows; remove every history row of every
    # record that went, so nothing of their content survives.
    for model, pks in doomed.items():
        history_model = _history_model(model)
        if history_model is None:
            continue
        pk_name = model._meta.pk.attname
        history_rows = history_model.objects.filter(**{f"{pk_name}__in": pks})
        for m2m_history in _m2m_history_models(history_model):
            m2m_history.objects.filter(history__in=history_rows.values("pk")).delete()
        history_rows.delete()
    log.related_counts = counts
    log.save()
    return log


def retention_review(*, today: date | None = None) -> RetentionOutcome:
    """One retention pass: set missing review dates, list what is due, dispose of what is past.

    Each disposal is its own transaction, so one blocked record (a PROTECT reference) does
    not stop the rest.
    """
    today = today or timezone.localdate()
    outcome = RetentionOutcome()
    for label in RETAINED_MODELS:
        model = apps.get_model(label)
        set_count = 0
        for instance in model.objects.filter(review_date__isnull=True):
            instance.review_date = review_date_for(instance)
            instance._history_user = None
            instance.save(update_fields=["review_date"])
            set_count += 1
        outcome.review_dates_set[label] = set_count
        disposed, blocked = [], []
        for instance in list(records_past_disposal(model=model, today=today)):
            pk = instance.pk
            try:
                record_dispose(instance=instance)
            except (ProtectedError, RestrictedError):
                logger.warning("retention: %s %s is referenced and was not disposed", label, pk)
                blocked.append(pk)
            else:
                disposed.append(pk)
        outcome.disposed[label] = disposed
        outcome.blocked[label] = blocked
        outcome.due_for_review[label] = list(
            records_due_for_review(model=model, today=today).values_list("pk", flat=True)
        )
    logger.info(
        "retention: due %s, disposed %s, blocked %s",
        {k: len(v) for k, v in outcome.due_for_review.items()},
        {k: len(v) for k, v in outcome.disposed.items()},
        {k: len(v) for k, v in outcome.blocked.items()},
    )
    return outcome
