"""Writes to case records. Each service checks access, validates (raising ValidationError with
field keys so forms show the message next to the field), saves with the acting user as the
history author, and records the act, all in one transaction."""

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from accounts.models import User
from audit.models import AccessEvent
from audit.services import access_event_record
from cases import permissions
from cases.models import (
    CaseRecord,
    CaseShare,
    CseMarker,
    Feedback,
    MissingEpisode,
    Referral,
    RiskAnswer,
    RiskAssessment,
    RiskItem,
    RiskLevel,
    RiskTool,
    Support,
    YoungPerson,
)
from partnership.models import Agency

ERROR_FUTURE_DATE = "The date must be today or in the past."
ERROR_AGE_18 = "The young person must be under 18 on the date the referral was received."
ERROR_DOB_FUTURE = "Date of birth must be in the past."
ERROR_LOCATED_BEFORE_MISSING = "The time located must be after the time reported missing."
ERROR_OUTCOME_DATE_NEEDED = "Enter the date of the outcome."
ERROR_OUTCOME_DATE_BEFORE_RECEIVED = "The outcome date must be on or after the date received."
ERROR_OVERRIDE_REASON = "Give the reason for overriding the calculated risk level."
ERROR_END_BEFORE_START = "The end date must be on or after the start date."
ERROR_DECLINED_REASON = "Give the reason the return discussion was declined."
ERROR_COMPLETED_AT = "Enter when the return discussion was completed."
ERROR_NOT_LOCATED = "A return discussion happens after the young person is located."
ERROR_SHARE_OWN_AGENCY = "The case already belongs to this agency."
ERROR_ALREADY_SHARED = "The case is already shared with this agency."
ERROR_REASON_REQUIRED = "Give the reason for sharing."
ERROR_RISK_ANSWERS = "Answer every question in the screening."

R = TypeVar("R", bound=models.Model)


class EditConflict(Exception):
    """Someone saved the record since the editor opened it. Carries the current version."""

    def __init__(self, current: models.Model) -> None:
        super().__init__("The record was changed by someone else")
        self.current = current


def _require(allowed: bool) -> None:
    # Services re-check access even though views do: tasks and shells call them too.
    if not allowed:
        raise PermissionDenied


# Set by the services from objects they already hold, so validating them would only cost a
# query each (a foreign key's full_clean looks the row up).
TRUSTED_FIELDS = ("owner_agency", "case_agency", "created_by", "young_person")


def _save(instance: R, *, actor: User, exclude: list[str] | None = None) -> R:
    instance._history_user = actor
    instance.full_clean(
        exclude=[name for name in TRUSTED_FIELDS if hasattr(instance, f"{name}_id")]
        + (exclude or [])
    )
    instance.save()
    return instance


def _not_future(day: dt.date | None, field: str, errors: dict[str, str]) -> None:
    if day is not None and day > timezone.localdate():
        errors[field] = ERROR_FUTURE_DATE


def _not_future_time(moment: dt.datetime | None, field: str, errors: dict[str, str]) -> None:
    if moment is not None and moment > timezone.now() + dt.timedelta(minutes=5):
        errors[field] = ERROR_FUTURE_DATE


def _raise(errors: Mapping[str, str]) -> None:
    if errors:
        raise ValidationError(dict(errors))


def _update_record(
    *,
    actor: User,
    instance: R,
    expected_version: int,
    changes: Mapping[str, Any],
    validate: Callable[[R], None],
) -> R:
    """Apply `changes` unless the stored version moved on since the editor opened it."""
    model = type(instance)
    locked = model.objects.select_for_update(of=("self",))
    if hasattr(instance, "young_person_id"):
        locked = locked.select_related("young_person")  # the validation reads it
    with transaction.atomic():
        current = locked.get(pk=instance.pk)
        if current.version != expected_version:
            raise EditConflict(current)
        for field, value in changes.items():
            setattr(current, field, value)
        validate(current)
        current.version += 1
        # Only the changed fields need validating: the rest passed when they were saved.
        unchanged = [
            field.name for field in model._meta.concrete_fields if field.name not in changes
        ]
        _save(current, actor=actor, exclude=unchanged)
        access_event_record(actor=actor, action=AccessEvent.Action.CHANGE, instance=current)
        return current


def eighteenth_birthday(date_of_birth: dt.date) -> dt.date:
    """A child born on 29 February turns 18 on 1 March in a non-leap year."""
    try:
        return date_of_birth.replace(year=date_of_birth.year + 18)
    except ValueError:
        return dt.date(date_of_birth.year + 18, 3, 1)


def search_name_for(first_name: str, last_name: str) -> str:
    return f"{last_name.strip()} {first_name.strip()}".lower()


# --- Young people ------------------------------------------------------------------------


def _validate_young_person(young_person: YoungPerson) -> None:
    errors: dict[str, str] = {}
    if young_person.date_of_birth and young_person.date_of_birth >= timezone.localdate():
        errors["date_of_birth"] = ERROR_DOB_FUTURE
    young_person.search_name = search_name_for(young_person.first_name, young_person.last_name)
    _raise(errors)


def _review_date(instance: models.Model) -> dt.date | None:
    try:
        from audit.retention import review_date_for
    except ImportError:  # retention schedule not installed in this build
        return None
    return review_date_for(instance)


@transaction.atomic
def young_person_create(*, actor: User, **fields: Any) -> YoungPerson:
    """Create a young person owned by the actor's agency."""
    _require(permissions.is_caseworker(actor))
    young_person = YoungPerson(owner_agency=actor.agency, created_by=actor, **fields)
    _validate_young_person(young_person)
    young_person.review_date = _review_date(young_person)
    _save(young_person, actor=actor)
    access_event_record(actor=actor, action=AccessEvent.Action.CREATE, instance=young_person)
    return young_person


def young_person_update(
    *, actor: User, young_person: YoungPerson, expected_version: int, changes: Mapping[str, Any]
) -> YoungPerson:
    _require(permissions.policy_of(young_person).can_edit(actor, young_person))
    return _update_record(
        actor=actor,
        instance=young_person,
        expected_version=expected_version,
        changes=changes,
        validate=_validate_young_person,
    )


def _new_case_record(model: type[R], *, actor: User, young_person: YoungPerson, **fields: Any) -> R:
    _require(permissions.young_person_policy.can_add_record(actor, young_person))
    return model(
        owner_agency=actor.agency,
        case_agency_id=young_person.owner_agency_id,
        created_by=actor,
        young_person=young_person,
        **fields,
    )


def _create_case_record(record: CaseRecord, *, actor: User, validate: Callable) -> CaseRecord:
    validate(record)
    _save(record, actor=actor)
    access_event_record(actor=actor, action=AccessEvent.Action.CREATE, instance=record)
    return record


# --- Referrals -----------------------------------------------------------------------------


def _validate_referral(referral: Referral) -> None:
    errors: dict[str, str] = {}
    _not_future(referral.received_on, "received_on", errors)
    _not_future(referral.outcome_date, "outcome_date", errors)
    date_of_birth = referral.young_person.date_of_birth
    if (
        referral.received_on
        and date_of_birth
        and referral.received_on >= eighteenth_birthday(date_of_birth)
    ):
        errors["received_on"] = ERROR_AGE_18
    if referral.outcome != Referral.Outcome.STILL_OPEN and not referral.outcome_date:
        errors.setdefault("outcome_date", ERROR_OUTCOME_DATE_NEEDED)
    if (
        referral.outcome_date
        and referral.received_on
        and referral.outcome_date < referral.received_on
    ):
        errors.setdefault("outcome_date", ERROR_OUTCOME_DATE_BEFORE_RECEIVED)
    _raise(errors)


@transaction.atomic
def referral_create(*, actor: User, young_person: YoungPerson, **fields: Any) -> Referral:
    """Log a referral about a young person the actor's agency can see; it owns the referral."""
    referral = _new_case_record(Referral, actor=actor, young_person=young_person, **fields)
    return _create_case_record(referral, actor=actor, validate=_validate_referral)


@transaction.atomic
def referral_create_with_young_person(
    *, actor: User, young_person_fields: Mapping[str, Any], referral_fields: Mapping[str, Any]
) -> Referral:
    """The one-form journey: a new young person and their first referral, or neither."""
    young_person = young_person_create(actor=actor, **young_person_fields)
    return referral_create(actor=actor, young_person=young_person, **referral_fields)


def referral_update(
    *, actor: User, referral: Referral, expected_version: int, changes: Mapping[str, Any]
) -> Referral:
    _require(permissions.policy_of(referral).can_edit(actor, referral))
    return _update_record(
        actor=actor,
        instance=referral,
        expected_version=expected_version,
        changes=changes,
        validate=_validate_referral,
    )


# --- CSE markers ---------------------------------------------------------------------------


def _validate_marker(marker: CseMarker) -> None:
    errors: dict[str, str] = {}
    _not_future(marker.start_date, "start_date", errors)
    if marker.end_date and marker.start_date and marker.end_date < marker.start_date:
        errors["end_date"] = ERROR_END_BEFORE_START
    _raise(errors)


@transaction.atomic
def marker_create(*, actor: User, young_person: YoungPerson, **fields: Any) -> CseMarker:
    marker = _new_case_record(CseMarker, actor=actor, young_person=young_person, **fields)
    return _create_case_record(marker, actor=actor, validate=_validate_marker)


def marker_update(
    *, actor: User, marker: CseMarker, expected_version: int, changes: Mapping[str, Any]
) -> CseMarker:
    _require(permissions.policy_of(marker).can_edit(actor, marker))
    return _update_record(
        actor=actor,
        instance=marker,
        expected_version=expected_version,
        changes=changes,
        validate=_validate_marker,
    )


# --- Risk assessment -----------------------------------------------------------------------


def risk_score(
    *, tool: RiskTool, answers: Mapping[int, str], items: list[RiskItem]
) -> tuple[Decimal, str, dict[int, Decimal]]:
    """Total the screening: weight x recency multiplier per item, then map to a level."""
    multipliers = {
        RiskAnswer.Recency.NONE: Decimal(0),
        RiskAnswer.Recency.OLDER: Decimal(tool.older_multiplier),
        RiskAnswer.Recency.RECENT: Decimal(tool.recent_multiplier),
    }
    points = {item.pk: Decimal(item.weight) * multipliers[answers[item.pk]] for item in items}
    total = sum(points.values(), Decimal(0))
    if total >= tool.significant_from:
        level = RiskLevel.SIGNIFICANT
    elif total >= tool.moderate_from:
        level = RiskLevel.MODERATE
    elif total >= tool.mild_from:
        level = RiskLevel.MILD
    else:
        level = RiskLevel.NOT_AT_RISK
    return total, level, points


def _add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate_day in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, candidate_day)
        except ValueError:
            continue
    raise ValueError(day)


@transaction.atomic
def risk_assessment_create(
    *,
    actor: User,
    young_person: YoungPerson,
    tool: RiskTool,
    assessed_on: dt.date,
    answers: Mapping[int, str],
    override_level: str = "",
    override_reason: str = "",
    reassessment_due: dt.date | None = None,
) -> RiskAssessment:
    """Score a screening; an override of the calculated level needs a reason."""
    items = list(tool.items.all())
    errors: dict[str, str] = {}
    if any(item.pk not in answers for item in items):
        errors["__all__"] = ERROR_RISK_ANSWERS
    _not_future(assessed_on, "assessed_on", errors)
    _raise(errors)
    total, calculated, points = risk_score(tool=tool, answers=answers, items=items)
    if override_level and override_level != calculated and not override_reason.strip():
        raise ValidationError({"override_reason": ERROR_OVERRIDE_REASON})
    assessment = _new_case_record(
        RiskAssessment,
        actor=actor,
        young_person=young_person,
        tool=tool,
        assessed_on=assessed_on,
        score=total,
        calculated_level=calculated,
        override_level=override_level if override_level != calculated else "",
        override_reason=override_reason.strip() if override_level != calculated else "",
        level=override_level or calculated,
        reassessment_due=reassessment_due
        or _add_months(assessed_on, settings.CSE_REASSESSMENT_MONTHS),
    )
    _create_case_record(assessment, actor=actor, validate=lambda _record: None)
    RiskAnswer.objects.bulk_create(
        RiskAnswer(
            assessment=assessment, item_id=item.pk, recency=answers[item.pk], points=points[item.pk]
        )
        for item in items
    )
    return assessment


# --- Missing episodes ----------------------------------------------------------------------


def _validate_episode(episode: MissingEpisode) -> None:
    errors: dict[str, str] = {}
    _not_future_time(episode.missing_from, "missing_from", errors)
    _not_future_time(episode.located_at, "located_at", errors)
    if episode.located_at and episode.missing_from and episode.located_at < episode.missing_from:
        errors["located_at"] = ERROR_LOCATED_BEFORE_MISSING
    status = episode.return_discussion
    if status != MissingEpisode.ReturnDiscussion.NOT_OFFERED and not episode.located_at:
        errors["return_discussion"] = ERROR_NOT_LOCATED
    if (
        status == MissingEpisode.ReturnDiscussion.DECLINED
        and not episode.rd_declined_reason.strip()
    ):
        errors["rd_declined_reason"] = ERROR_DECLINED_REASON
    if status == MissingEpisode.ReturnDiscussion.COMPLETED and not episode.rd_completed_at:
        errors["rd_completed_at"] = ERROR_COMPLETED_AT
    _not_future_time(episode.rd_completed_at, "rd_completed_at", errors)
    if status != MissingEpisode.ReturnDiscussion.NOT_OFFERED and not episode.rd_offered_at:
        episode.rd_offered_at = episode.rd_completed_at or timezone.now()
    _raise(errors)


@transaction.atomic
def missing_episode_create(
    *, actor: User, young_person: YoungPerson, **fields: Any
) -> MissingEpisode:
    episode = _new_case_record(MissingEpisode, actor=actor, young_person=young_person, **fields)
    return _create_case_record(episode, actor=actor, validate=_validate_episode)


def missing_episode_update(
    *, actor: User, episode: MissingEpisode, expected_version: int, changes: Mapping[str, Any]
) -> MissingEpisode:
    _require(permissions.policy_of(episode).can_edit(actor, episode))
    return _update_record(
        actor=actor,
        instance=episode,
        expected_version=expected_version,
        changes=changes,
        validate=_validate_episode,
    )


# --- Support and feedback ------------------------------------------------------------------


def _validate_support(support: Support) -> None:
    errors: dict[str, str] = {}
    for field in ("offered_on", "started_on", "ended_on"):
        _not_future(getattr(support, field), field, errors)
    if support.started_on and support.offered_on and support.started_on < support.offered_on:
        errors.setdefault("started_on", "Support starts on or after the date it was offered.")
    if support.ended_on and support.started_on and support.ended_on < support.started_on:
        errors.setdefault("ended_on", ERROR_END_BEFORE_START)
    _raise(errors)


@transaction.atomic
def support_create(*, actor: User, young_person: YoungPerson, **fields: Any) -> Support:
    support = _new_case_record(Support, actor=actor, young_person=young_person, **fields)
    return _create_case_record(support, actor=actor, validate=_validate_support)


def support_update(
    *, actor: User, support: Support, expected_version: int, changes: Mapping[str, Any]
) -> Support:
    _require(permissions.policy_of(support).can_edit(actor, support))
    return _update_record(
        actor=actor,
        instance=support,
        expected_version=expected_version,
        changes=changes,
        validate=_validate_support,
    )


def _validate_feedback(feedback: Feedback) -> None:
    errors: dict[str, str] = {}
    _not_future(feedback.received_on, "received_on", errors)
    _raise(errors)


@transaction.atomic
def feedback_create(*, actor: User, young_person: YoungPerson, **fields: Any) -> Feedback:
    feedback = _new_case_record(Feedback, actor=actor, young_person=young_person, **fields)
    return _create_case_record(feedback, actor=actor, validate=_validate_feedback)


# --- Sharing -------------------------------------------------------------------------------


@transaction.atomic
def case_share(
    *, actor: User, young_person: YoungPerson, agency: Agency, lawful_basis: str, reason: str
) -> CaseShare:
    """Share a young person's case with another agency: a guardian grant to its group, plus
    the record of why (lawful basis and reason)."""
    _require(permissions.young_person_policy.can_share(actor, young_person))
    errors: dict[str, str] = {}
    if agency.pk == young_person.owner_agency_id:
        errors["agency"] = ERROR_SHARE_OWN_AGENCY
    elif CaseShare.objects.filter(
        young_person=young_person, agency=agency, revoked_at__isnull=True
    ).exists():
        errors["agency"] = ERROR_ALREADY_SHARED
    if not reason.strip():
        errors["reason"] = ERROR_REASON_REQUIRED
    _raise(errors)
    share = CaseShare(
        young_person=young_person,
        agency=agency,
        lawful_basis=lawful_basis,
        reason=reason.strip(),
        shared_by=actor,
    )
    _save(share, actor=actor)
    assign_perm(f"cases.{permissions.SHARE_PERMISSION}", agency.group, young_person)
    access_event_record(
        actor=actor,
        action=AccessEvent.Action.SHARE,
        instance=young_person,
        detail={"agency": agency.code, "lawful_basis": lawful_basis, "share": share.pk},
    )
    return share


@transaction.atomic
def case_share_revoke(*, actor: User, share: CaseShare, reason: str = "") -> CaseShare:
    """End a share: the grant goes, the record of it stays (with who revoked it and why)."""
    young_person = share.young_person
    _require(permissions.young_person_policy.can_share(actor, young_person))
    if share.revoked_at is not None:
        return share
    share.revoked_at = timezone.now()
    share.revoked_by = actor
    share.revoke_reason = reason.strip()
    _save(share, actor=actor)
    remove_perm(f"cases.{permissions.SHARE_PERMISSION}", share.agency.group, young_person)
    access_event_record(
        actor=actor,
        action=AccessEvent.Action.REVOKE,
        instance=young_person,
        detail={"agency": share.agency.code, "share": share.pk},
    )
    return share


@transaction.atomic
def case_transfer(*, actor: User, young_person: YoungPerson, agency: Agency) -> YoungPerson:
    """Hand a case to another agency: the young person and the case agency of every record
    about them move; records keep their own owners."""
    _require(permissions.young_person_policy.can_share(actor, young_person))
    young_person.owner_agency = agency
    young_person.version += 1
    _save(young_person, actor=actor)
    for model in (Referral, CseMarker, RiskAssessment, MissingEpisode, Support, Feedback):
        for record in model.objects.filter(young_person=young_person).exclude(case_agency=agency):
            record.case_agency = agency
            _save(record, actor=actor)
    access_event_record(
        actor=actor,
        action=AccessEvent.Action.OTHER,
        instance=young_person,
        detail={"transfer_to": agency.code},
    )
    return young_person
