"""Who may see and change the action plan and the activity register. The only place these
rules live.

- The plan (items, updates, evidence, export) is the partnership's shared work: the VAP chair,
  agency managers and administrators read it. Practitioners and clerks do not (clerks get the
  committee reports instead).
- Progress updates: the VAP chair updates any item; an agency manager updates only the items
  their agency leads. Nobody else.
- Only the VAP chair asks a lead for an update.
- The activity register: agency managers, practitioners (of any agency) and the VAP chair
  record activity for their own agency; the VAP chair and agency managers read the lists.
- Out of reach is 404, always: the ``*_or_404`` helpers answer the same for "does not exist"
  and "not yours".
"""

from django.db.models import Model, QuerySet
from django.http import Http404

from actions.models import (
    ActionItem,
    AwarenessSession,
    Evidence,
    MaogMeeting,
    MemberBriefing,
    PreventionSession,
    ProgressUpdate,
    TrainingSession,
)
from partnership.roles import Role

PLAN_VIEWER_ROLES = (Role.VAP_CHAIR, Role.AGENCY_MANAGER, Role.ADMINISTRATOR)
ACTIVITY_RECORDER_ROLES = (Role.VAP_CHAIR, Role.AGENCY_MANAGER, Role.PRACTITIONER)
ACTIVITY_VIEWER_ROLES = (Role.VAP_CHAIR, Role.AGENCY_MANAGER)

# The five kinds of the activity register, by the code used in URLs and measure codes.
ACTIVITY_MODELS: dict[str, type[Model]] = {
    "prevention": PreventionSession,
    "training": TrainingSession,
    "awareness": AwarenessSession,
    "member_briefing": MemberBriefing,
    "maog_meeting": MaogMeeting,
}


def _active(user: object) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _has_any(user: object, roles: tuple[Role, ...]) -> bool:
    return _active(user) and any(user.has_role(role) for role in roles)


def can_view_plan(user: object) -> bool:
    """VAP chair, agency managers and administrators read the whole plan."""
    return _has_any(user, PLAN_VIEWER_ROLES)


def is_vap_chair(user: object) -> bool:
    return _has_any(user, (Role.VAP_CHAIR,))


def action_item_queryset_for_user(user: object) -> QuerySet[ActionItem]:
    if not can_view_plan(user):
        return ActionItem.objects.none()
    return ActionItem.objects.all()


def action_item_for_user_or_404(user: object, number: int) -> ActionItem:
    item = action_item_queryset_for_user(user).filter(number=number).first()
    if item is None:
        raise Http404
    return item


def updatable_item_queryset_for_user(user: object) -> QuerySet[ActionItem]:
    """Items the user may write updates for: any (VAP chair) or their agency's (managers)."""
    if is_vap_chair(user):
        return ActionItem.objects.all()
    if _has_any(user, (Role.AGENCY_MANAGER,)) and user.agency_id is not None:
        return ActionItem.objects.filter(lead_agencies=user.agency_id).distinct()
    return ActionItem.objects.none()


def updatable_item_ids(user: object) -> set[int]:
    """Ids of the items the user may update (one query), for pages that list many items."""
    return set(updatable_item_queryset_for_user(user).values_list("pk", flat=True))


def can_update_item(user: object, item: ActionItem) -> bool:
    return updatable_item_queryset_for_user(user).filter(pk=item.pk).exists()


def updatable_item_or_404(user: object, number: int) -> ActionItem:
    item = updatable_item_queryset_for_user(user).filter(number=number).first()
    if item is None:
        raise Http404
    return item


def can_request_update(user: object) -> bool:
    """Only the VAP chair asks a lead agency for an update."""
    return is_vap_chair(user)


def can_set_target_date(user: object) -> bool:
    """The VAP chair owns the plan's timetable: target dates are set by the chair alone."""
    return is_vap_chair(user)


def evidence_for_user_or_404(user: object, evidence_id: int) -> Evidence:
    """Evidence is readable by whoever may read the plan; checked again on every download."""
    evidence = (
        Evidence.objects.filter(
            pk=evidence_id, update__item__in=action_item_queryset_for_user(user)
        )
        .select_related("update__item")
        .first()
    )
    if evidence is None:
        raise Http404
    return evidence


def progress_update_queryset_for_user(user: object) -> QuerySet[ProgressUpdate]:
    return ProgressUpdate.objects.filter(item__in=action_item_queryset_for_user(user))


def can_record_activity(user: object) -> bool:
    """Managers, practitioners and the VAP chair record activity, always for their own agency."""
    return _has_any(user, ACTIVITY_RECORDER_ROLES) and user.agency_id is not None


def can_view_activity(user: object) -> bool:
    return _has_any(user, ACTIVITY_VIEWER_ROLES)


def activity_model_or_404(kind: str) -> type[Model]:
    model = ACTIVITY_MODELS.get(kind)
    if model is None:
        raise Http404
    return model


def activity_queryset_for_user(user: object, kind: str) -> QuerySet:
    """The register holds counts, not people: viewers see every agency's entries."""
    model = activity_model_or_404(kind)
    if not can_view_activity(user):
        return model.objects.none()
    return model.objects.all()
