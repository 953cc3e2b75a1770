"""Writes for the child's safety plan (issue 17): risks, protective actions with owners and
dates, the child's and carer's views and the review date. A review rewrites the plan as a new
version; django-simple-history keeps every earlier version of the plan and of its actions.
Same rules as services.py: access re-checked, validated, audited, one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audit.models import AccessEvent
from audit.services import access_event_record
from cases.models import YoungPerson
from cases.services.common import require, save
from casework import permissions
from casework.models import SafetyPlan, SafetyPlanAction

ERROR_REVIEW_PAST = "The review date must be today or later."
ERROR_NO_ACTIONS = "Record at least one protective action."


@dataclass(frozen=True)
class ProtectiveAction:
    description: str
    owner: str
    due_on: dt.date


@dataclass(frozen=True)
class PlanContent:
    """What a plan says, as the form (or a review) hands it over."""

    risks: str
    review_on: dt.date
    actions: Sequence[ProtectiveAction]
    childs_views: str = ""
    carers_views: str = ""


def _write(plan: SafetyPlan, *, actor: User, content: PlanContent) -> SafetyPlan:
    errors: dict[str, str] = {}
    if content.review_on < timezone.localdate():
        errors["review_on"] = ERROR_REVIEW_PAST
    if not content.actions:
        errors["risks"] = ERROR_NO_ACTIONS
    if errors:
        raise ValidationError(errors)
    plan.risks, plan.review_on = content.risks, content.review_on
    plan.childs_views, plan.carers_views = content.childs_views, content.carers_views
    save(plan, actor=actor)
    # The actions of the previous version are replaced; their history rows keep them.
    for old in plan.actions.all():
        old._history_user = actor  # type: ignore[attr-defined]
        old.delete()
    for action in content.actions:
        save(
            SafetyPlanAction(
                plan=plan,
                description=action.description,
                owner=action.owner,
                due_on=action.due_on,
            ),
            actor=actor,
            exclude=["plan"],
        )
    return plan


@transaction.atomic
def safety_plan_create(
    *, actor: User, young_person: YoungPerson, content: PlanContent
) -> SafetyPlan:
    """An agency that sees the child writes its safety plan (owned by that agency)."""
    require(permissions.young_person_policy.can_add_record(actor, young_person))
    plan = SafetyPlan(
        owner_agency=actor.agency,
        case_agency_id=young_person.owner_agency_id,
        created_by=actor,
        young_person=young_person,
    )
    _write(plan, actor=actor, content=content)
    access_event_record(
        actor=actor,
        action=AccessEvent.Action.CREATE,
        instance=plan,
        detail={"young_person": young_person.pk},
    )
    return plan


@transaction.atomic
def safety_plan_review(*, actor: User, plan: SafetyPlan, content: PlanContent) -> SafetyPlan:
    """A review: the plan as now agreed becomes the next version."""
    require(permissions.safety_plan_policy.can_edit(actor, plan))
    plan.version += 1
    _write(plan, actor=actor, content=content)
    access_event_record(
        actor=actor,
        action=AccessEvent.Action.CHANGE,
        instance=plan,
        detail={"young_person": plan.young_person_id, "review": plan.version},
    )
    return plan
