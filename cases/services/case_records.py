"""Young people and the records about them, declared once each (editable fields, ownership,
validation) for the generic create and update services in ``records.services``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from cases import permissions
from cases.models import (
    CseMarker,
    Feedback,
    MissingEpisode,
    Referral,
    RiskAssessment,
    Support,
    YoungPerson,
)
from cases.record_fields import (
    MISSING_EPISODE_FIELDS,
    REFERRAL_FIELDS,
    RISK_ASSESSMENT_FIELDS,
    SUPPORT_FIELDS,
    YOUNG_PERSON_FIELDS,
)
from cases.services.common import (
    ERROR_AGE_18,
    ERROR_COMPLETED_AT,
    ERROR_DECLINED_REASON,
    ERROR_DOB_FUTURE,
    ERROR_END_BEFORE_START,
    ERROR_LOCATED_BEFORE_MISSING,
    ERROR_NOT_LOCATED,
    ERROR_OUTCOME_DATE_BEFORE_RECEIVED,
    ERROR_OUTCOME_DATE_NEEDED,
    R,
    eighteenth_birthday,
    not_future,
    not_future_time,
    raise_errors,
    require,
    review_date,
    search_name_for,
)
from partnership.policy import EDIT, PermissionPolicy
from records.services import RecordType

# --- Young people ------------------------------------------------------------------------


def _validate_young_person(young_person: YoungPerson) -> None:
    errors: dict[str, str] = {}
    if young_person.date_of_birth and young_person.date_of_birth >= timezone.localdate():
        errors["date_of_birth"] = ERROR_DOB_FUTURE
    young_person.search_name = search_name_for(young_person.first_name, young_person.last_name)
    raise_errors(errors)
    if young_person.pk is None:
        young_person.review_date = review_date(young_person)


def _new_young_person(*, actor: User) -> YoungPerson:
    """A case owned by the actor's agency; only caseworkers open one."""
    require(permissions.young_person_policy.user_has_permission(actor, EDIT))
    return YoungPerson(owner_agency=actor.agency, created_by=actor)


def new_case_records(model: type[R]) -> Callable[..., list[R]]:
    def new_many(*, actor: User, contexts: list[dict[str, Any]]) -> list[R]:
        """An agency that can see a case adds its own records to it (owned by that agency);
        one query checks every case of the list."""
        people = [context["young_person"] for context in contexts]
        wanted = {young_person.pk for young_person in people}
        visible = permissions.young_person_policy.visible_to(actor).filter(pk__in=wanted)
        require(None not in wanted and set(visible.values_list("pk", flat=True)) == wanted)
        return [
            model(
                owner_agency=actor.agency,
                case_agency_id=young_person.owner_agency_id,
                created_by=actor,
                young_person=young_person,
            )
            for young_person in people
        ]

    return new_many


def new_case_record(model: type[R]) -> Callable[..., R]:
    new_many = new_case_records(model)

    def new(*, actor: User, young_person: YoungPerson) -> R:
        """An agency that can see a case adds its own records to it (owned by that agency).
        Every app's records about a young person are made so (casework's notes and IRDs)."""
        return new_many(actor=actor, contexts=[{"young_person": young_person}])[0]

    return new


# --- Referrals -----------------------------------------------------------------------------


def _validate_referral(referral: Referral) -> None:
    errors: dict[str, str] = {}
    not_future(referral.received_on, "received_on", errors)
    not_future(referral.outcome_date, "outcome_date", errors)
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
    raise_errors(errors)


@transaction.atomic
def referral_create_with_young_person(
    *, actor: User, young_person_fields: Mapping[str, Any], referral_fields: Mapping[str, Any]
) -> Referral:
    """The one-form journey: a new young person and their first referral, or neither."""
    young_person = young_person_create(actor=actor, **young_person_fields)
    return referral_create(actor=actor, young_person=young_person, **referral_fields)


# --- CSE markers ---------------------------------------------------------------------------


def _validate_marker(marker: CseMarker) -> None:
    errors: dict[str, str] = {}
    not_future(marker.start_date, "start_date", errors)
    if marker.end_date and marker.start_date and marker.end_date < marker.start_date:
        errors["end_date"] = ERROR_END_BEFORE_START
    raise_errors(errors)


# --- Missing episodes ----------------------------------------------------------------------


def _validate_episode(episode: MissingEpisode) -> None:
    errors: dict[str, str] = {}
    not_future_time(episode.missing_from, "missing_from", errors)
    not_future_time(episode.located_at, "located_at", errors)
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
    not_future_time(episode.rd_completed_at, "rd_completed_at", errors)
    if status != MissingEpisode.ReturnDiscussion.NOT_OFFERED and not episode.rd_offered_at:
        episode.rd_offered_at = episode.rd_completed_at or timezone.now()
    raise_errors(errors)


# --- Support and feedback ------------------------------------------------------------------


def _validate_support(support: Support) -> None:
    errors: dict[str, str] = {}
    for field in ("offered_on", "started_on", "ended_on"):
        not_future(getattr(support, field), field, errors)
    if support.started_on and support.offered_on and support.started_on < support.offered_on:
        errors.setdefault("started_on", "Support starts on or after the date it was offered.")
    if support.ended_on and support.started_on and support.ended_on < support.started_on:
        errors.setdefault("ended_on", ERROR_END_BEFORE_START)
    raise_errors(errors)


def _validate_feedback(feedback: Feedback) -> None:
    errors: dict[str, str] = {}
    not_future(feedback.received_on, "received_on", errors)
    raise_errors(errors)


# --- The record types: what the generic create and update services need to know ----------

# Set by the API and imports so a retry finds the record it made (issue 20); not in forms.
EXTERNAL_REF_FIELDS = ("source", "external_ref")

CASE_TRUSTED_FIELDS = ("owner_agency", "case_agency", "created_by", "young_person")


def case_record_type(
    model: type[R],
    *,
    policy: PermissionPolicy[R],
    fields: tuple[str, ...],
    many: bool = False,
    **declared: Any,
) -> RecordType[R]:
    """The declaration of a record about a young person: made by ``new_case_record`` (owned
    by the actor's agency, on a case it sees) from the ``young_person`` the caller holds;
    ``many`` adds ``new_many`` for lists (the API's batches, imports)."""
    return RecordType(
        model=model,
        policy=policy,
        fields=fields,
        new=new_case_record(model),
        new_many=new_case_records(model) if many else None,
        trusted_fields=CASE_TRUSTED_FIELDS,
        context=("young_person",),
        **declared,
    )


YOUNG_PERSON: RecordType[YoungPerson] = RecordType(
    model=YoungPerson,
    policy=permissions.young_person_policy,
    fields=YOUNG_PERSON_FIELDS,
    new=_new_young_person,
    validate=_validate_young_person,
    trusted_fields=("owner_agency", "created_by"),
)
REFERRAL: RecordType[Referral] = case_record_type(
    Referral,
    policy=permissions.referral_policy,
    fields=(*REFERRAL_FIELDS, *EXTERNAL_REF_FIELDS),
    many=True,
    validate=_validate_referral,
)
MARKER: RecordType[CseMarker] = case_record_type(
    CseMarker,
    policy=permissions.marker_policy,
    fields=("marker_type", "start_date", "end_date", "risk_level"),
    validate=_validate_marker,
)
RISK_ASSESSMENT: RecordType[RiskAssessment] = case_record_type(
    RiskAssessment,
    policy=permissions.risk_assessment_policy,  # never edited: a new one is made instead
    fields=RISK_ASSESSMENT_FIELDS,
)
MISSING_EPISODE: RecordType[MissingEpisode] = case_record_type(
    MissingEpisode,
    policy=permissions.missing_episode_policy,
    fields=(*MISSING_EPISODE_FIELDS, "found_place", *EXTERNAL_REF_FIELDS),
    many=True,
    validate=_validate_episode,
)
SUPPORT: RecordType[Support] = case_record_type(
    Support,
    policy=permissions.support_policy,
    fields=SUPPORT_FIELDS,
    validate=_validate_support,
)
FEEDBACK: RecordType[Feedback] = case_record_type(
    Feedback,
    policy=permissions.feedback_policy,
    fields=("support", "received_on", "respondent", "satisfied", "comment"),
    validate=_validate_feedback,
)

# The services other code calls: the declarations' generic create and update.
young_person_create = YOUNG_PERSON.create
young_person_update = YOUNG_PERSON.update
referral_create = REFERRAL.create
referral_update = REFERRAL.update
marker_create = MARKER.create
marker_update = MARKER.update
missing_episode_create = MISSING_EPISODE.create
missing_episode_update = MISSING_EPISODE.update
support_create = SUPPORT.create
support_update = SUPPORT.update
feedback_create = FEEDBACK.create
