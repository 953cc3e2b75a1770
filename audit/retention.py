"""Retention: review dates, the review list, and disposal of records past their disposal date.

The rules are declared by the apps whose models they govern, in each app's `retention.py`
(found like admin.py: audit never imports those apps), with `retention_rule_register`:
the model, the anchor date and the key of its period in settings.CSE_RETENTION_REVIEW_YEARS.
Today: young person (cases/retention.py: years after the 18th birthday), person of concern
(after the record was made) and intelligence (after it was received) (maog/retention.py).
Disposal date = review date + settings.CSE_RETENTION_GRACE_DAYS (default 365): the owner has
that long to review (extend the review date, or set a legal hold). A record on legal hold is
never disposed of.

Disposal deletes the record, what cascades from it, and the history rows of all of those
(under the trigger's transaction-local `cse.disposal` switch, audit/append_only.py), and
writes a metadata-only DisposalLog row in the same transaction. The access-log entries about
the erased records are reduced to one tombstone entry (action "erased": what was erased, when,
by whose decision), so who-looked-at-what no longer points at a record that is gone.

What the daily pass may dispose of (`retention_review`):
- a record whose newest RetentionDecision is "dispose", once its `erase_after` date has come;
- a record past its disposal date under a rule declared with `dispose_automatically=True`,
  unless a reviewer decided otherwise (keep moves the review date; hold sets `legal_hold`).
Never a record on legal hold, and never one the rule's `preserved` filter keeps (looked-after
children by default: settings.CSE_RETENTION_PRESERVE_LOOKED_AFTER). A hold whose `hold_until`
has passed is released and the record comes back to the review queue.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models, router, transaction
from django.db.models import OuterRef, Q, Subquery
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from audit.append_only import allow_disposal_in_this_transaction
from audit.models import AccessEvent, DisposalLog, RetentionDecision
from audit.selectors import object_type_labels

logger = logging.getLogger(__name__)


def add_years(day: date, years: int) -> date:
    """`day` moved by whole years; 29 February becomes 28 February in a year without one."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class RetentionRule:
    """When one kind of record falls due for review, declared by the app that owns it.

    The model needs `review_date` (date, null) and `legal_hold` (bool) fields.
    """

    model_label: str  # e.g. "cases.youngperson"
    anchor: Callable[[Any], date]  # the date the retention period runs from
    years_setting: str  # key in settings.CSE_RETENTION_REVIEW_YEARS
    description: str  # one line for people: what the period runs from
    # Whether the daily pass disposes of records past their disposal date with no decision.
    dispose_automatically: bool = False
    # Records this rule never disposes of (read at each pass, so a setting can switch it).
    preserved: Callable[[], Q] | None = None
    preserved_description: str = ""

    @property
    def years(self) -> int:
        return int(settings.CSE_RETENTION_REVIEW_YEARS[self.years_setting])

    def preserved_filter(self) -> Q:
        """A filter matching the records this rule preserves (matches nothing if none)."""
        found = self.preserved() if self.preserved is not None else None
        return found if found is not None else Q(pk__in=[])

    def review_date(self, instance: models.Model) -> date:
        years = settings.CSE_RETENTION_REVIEW_YEARS[self.years_setting]
        return add_years(self.anchor(instance), years)


_RULES: dict[str, RetentionRule] = {}


def retention_rule_register(
    model: type[models.Model],
    *,
    anchor: Callable[[Any], date],
    years_setting: str | None = None,
    description: str,
    dispose_automatically: bool = False,
    preserved: Callable[[], Q | None] | None = None,
    preserved_description: str = "",
) -> RetentionRule:
    """Declare the retention rule of `model` (called from the owning app's retention.py)."""
    for required in ("review_date", "legal_hold"):
        model._meta.get_field(required)  # fails loudly at start-up, not at disposal time
    label = model._meta.label_lower
    rule = RetentionRule(
        model_label=label,
        anchor=anchor,
        years_setting=years_setting or label,
        description=description,
        dispose_automatically=dispose_automatically,
        preserved=preserved,  # type: ignore[arg-type]
        preserved_description=preserved_description,
    )
    _RULES[label] = rule
    return rule


_DISCOVERED: list[bool] = []


def retention_rules() -> dict[str, RetentionRule]:
    """Every declared rule by model label, after importing each installed app's retention.py."""
    # Once per process: discovery costs milliseconds, and every young person made (an import
    # makes thousands) asks for its review date.
    if not _DISCOVERED:
        autodiscover_modules("retention")
        _DISCOVERED.append(True)
    return dict(sorted(_RULES.items()))


def review_date_for(instance: models.Model) -> date:
    """The review date the retention schedule gives `instance` (pure: reads, never saves).

    Services call this when they create a record that a retention rule governs.
    """
    label = instance._meta.label_lower
    rule = retention_rules().get(label)
    if rule is None:
        raise ValueError(f"no retention schedule for {label}")
    return rule.review_date(instance)


def disposal_date_for(review_date: date) -> date:
    return review_date + timedelta(days=settings.CSE_RETENTION_GRACE_DAYS)


@dataclass
class RetentionOutcome:
    """What one run found and did, as ids only (safe to log and to return from a task)."""

    due_for_review: dict[str, list[int]] = field(default_factory=dict)
    disposed: dict[str, list[int]] = field(default_factory=dict)
    blocked: dict[str, list[int]] = field(default_factory=dict)
    review_dates_set: dict[str, int] = field(default_factory=dict)
    holds_released: dict[str, list[int]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "due_for_review": self.due_for_review,
            "disposed": self.disposed,
            "blocked": self.blocked,
            "review_dates_set": self.review_dates_set,
            "holds_released": self.holds_released,
        }


def records_due_for_review(*, model: type[models.Model], today: date) -> models.QuerySet:
    """Records whose review date has come (whether or not they are on legal hold)."""
    return model._default_manager.filter(review_date__lte=today).order_by("review_date", "pk")


def with_decision_in_force(queryset: models.QuerySet) -> models.QuerySet:
    """Annotate each record with its newest retention decision (kind, id, erase_after, ...)."""
    newest = RetentionDecision.objects.filter(
        model=queryset.model._meta.label_lower, object_id=OuterRef("pk")
    ).order_by("-decided_at", "-id")
    return queryset.annotate(
        decision_id=Subquery(newest.values("id")[:1]),
        decision_kind=Subquery(newest.values("kind")[:1]),
        decision_erase_after=Subquery(newest.values("erase_after")[:1]),
        decision_hold_until=Subquery(newest.values("hold_until")[:1]),
    )


def _rule_for(model: type[models.Model]) -> RetentionRule:
    return retention_rules()[model._meta.label_lower]


def records_past_disposal(*, model: type[models.Model], today: date) -> models.QuerySet:
    """Records the pass may dispose of today: a dispose decision whose grace has run out, or
    (under a rule that disposes automatically) past the disposal date with no other decision.
    Never a record on legal hold or one the rule preserves.
    """
    rule = _rule_for(model)
    last_review_date = today - timedelta(days=settings.CSE_RETENTION_GRACE_DAYS)
    decided = Q(decision_kind=RetentionDecision.Kind.DISPOSE, decision_erase_after__lte=today)
    allowed = decided
    if rule.dispose_automatically:
        allowed |= Q(decision_kind__isnull=True, review_date__lte=last_review_date)
    return (
        with_decision_in_force(model._default_manager.filter(legal_hold=False))
        .exclude(rule.preserved_filter())
        .filter(allowed)
        .order_by("review_date", "pk")
    )


def holds_lapsed(*, model: type[models.Model], today: date) -> models.QuerySet:
    """Records on legal hold whose newest decision is a hold with a `hold_until` now past."""
    return with_decision_in_force(model._default_manager.filter(legal_hold=True)).filter(
        decision_kind=RetentionDecision.Kind.HOLD, decision_hold_until__lt=today
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
def record_dispose(
    *, instance: models.Model, decision: RetentionDecision | None = None
) -> DisposalLog:
    """Delete `instance`, its cascade and all their history; log metadata only.

    The access-log entries about every record that went are replaced by one tombstone entry
    naming the record by type and id, the counts erased and whose decision it was.
    """
    allow_disposal_in_this_transaction(router.db_for_write(type(instance)))
    review_date = instance.review_date  # type: ignore[attr-defined]
    log = DisposalLog(
        model=instance._meta.label_lower,
        object_id=instance.pk,
        owner_agency_id=getattr(instance, "owner_agency_id", None),
        created_at=getattr(instance, "created_at", None),
        review_date=review_date,
        disposal_date=disposal_date_for(review_date),
        decision=decision,
        decided_by_id=decision.decided_by_id if decision is not None else None,
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
    history_erased = events_erased = 0
    for model, pks in doomed.items():
        events_erased += AccessEvent.objects.filter(
            object_type__in=object_type_labels(model), object_id__in=pks
        ).delete()[0]
        history_model = _history_model(model)
        if history_model is None:
            continue
        pk_name = model._meta.pk.attname
        history_rows = history_model._default_manager.filter(**{f"{pk_name}__in": pks})
        for m2m_history in _m2m_history_models(history_model):
            m2m_history._default_manager.filter(history__in=history_rows.values("pk")).delete()
        history_erased += history_rows.delete()[0]
    log.related_counts = counts
    log.history_rows_erased = history_erased
    log.access_events_erased = events_erased
    log.save()
    AccessEvent.objects.create(
        user_id=log.decided_by_id,
        agency_id=log.owner_agency_id,
        action=AccessEvent.Action.ERASED,
        object_type=log.model,
        object_id=log.object_id,
        detail={
            "tombstone": True,
            "disposal_log": log.pk,
            "decision": log.decision_id,
            "rule": "decision" if decision is not None else "automatic",
            "history_rows_erased": history_erased,
            "access_events_erased": events_erased,
            "related_counts": counts,
        },
    )
    return log


def retention_review(*, today: date | None = None) -> RetentionOutcome:
    """One retention pass: set missing review dates, list what is due, dispose of what is past.

    Each disposal is its own transaction, so one blocked record (a PROTECT reference) does
    not stop the rest.
    """
    today = today or timezone.localdate()
    outcome = RetentionOutcome()
    for label in retention_rules():
        model = apps.get_model(label)
        set_count = 0
        for instance in model._default_manager.filter(review_date__isnull=True):
            instance.review_date = review_date_for(instance)
            instance._history_user = None
            instance.save(update_fields=["review_date"])
            set_count += 1
        outcome.review_dates_set[label] = set_count
        released = []
        for instance in list(holds_lapsed(model=model, today=today)):
            instance.legal_hold = False
            instance.review_date = instance.decision_hold_until
            instance._history_user = None
            instance.save(update_fields=["legal_hold", "review_date"])
            released.append(instance.pk)
        outcome.holds_released[label] = released
        disposed, blocked = [], []
        for instance in list(records_past_disposal(model=model, today=today)):
            pk = instance.pk
            decision = None
            if instance.decision_kind == RetentionDecision.Kind.DISPOSE:
                decision = RetentionDecision.objects.get(pk=instance.decision_id)
            try:
                record_dispose(instance=instance, decision=decision)
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
