"""Who may see and change the action plan and the activity register: one permission policy
per record type (see ``partnership.policy``). The only place these rules live.

- The plan (items, updates, evidence, export) is the partnership's shared work: the VAP chair,
  agency managers and administrators read it. Practitioners and clerks do not (clerks get the
  committee reports instead).
- Progress updates: the VAP chair updates any item; an agency manager updates only the items
  their agency leads. Nobody else.
- Only the VAP chair asks a lead for an update and sets target dates.
- The activity register: agency managers, practitioners (of any agency) and the VAP chair
  record activity for their own agency; the VAP chair and agency managers read the lists.
  The register holds counts, not people, so readers see every agency's entries.
- Nothing here is shared with an agency: no guardian grant is involved.
- Out of reach is 404, always: ``get_for_user_or_404`` and ``get_by_number_or_404`` answer
  the same for "does not exist" and "not yours".
"""

from typing import ClassVar, TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404
from typing_extensions import TypeIs

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
from partnership.policy import (
    EDIT,
    VIEW,
    Member,
    PermissionPolicy,
    PolicyUser,
    has_any_role,
    register,
)
from partnership.roles import Role

PLAN_VIEWER_ROLES = (Role.VAP_CHAIR, Role.AGENCY_MANAGER, Role.ADMINISTRATOR)
ACTIVITY_RECORDER_ROLES = (Role.VAP_CHAIR, Role.AGENCY_MANAGER, Role.PRACTITIONER)
ACTIVITY_VIEWER_ROLES = (Role.VAP_CHAIR, Role.AGENCY_MANAGER)

M = TypeVar("M", bound=Model)


def is_vap_chair(user: PolicyUser) -> TypeIs[Member]:
    return has_any_role(user, (Role.VAP_CHAIR,))


class ActionItemPolicy(PermissionPolicy[ActionItem]):
    """Plan items: read by plan viewers; "edit" is writing a progress update (the VAP chair
    for any item, a manager for the items their agency leads)."""

    model = ActionItem

    def user_has_permission(self, user: PolicyUser, action: str) -> bool:
        if action == VIEW:
            return has_any_role(user, PLAN_VIEWER_ROLES)
        if action == EDIT:
            return is_vap_chair(user) or (
                has_any_role(user, (Role.AGENCY_MANAGER,)) and user.agency_id is not None
            )
        return False

    def visible_to(self, user: PolicyUser) -> QuerySet[ActionItem]:
        """The whole plan for plan viewers; nothing for anyone else."""
        if not self.user_has_permission(user, VIEW):
            return ActionItem.objects.none()
        return ActionItem.objects.all()

    def instances_user_has_permission_for(
        self, user: PolicyUser, action: str
    ) -> QuerySet[ActionItem]:
        """For EDIT: items the user may write updates for (any, or their agency's)."""
        if action != EDIT:
            return super().instances_user_has_permission_for(user, action)
        if is_vap_chair(user):
            return ActionItem.objects.all()
        if has_any_role(user, (Role.AGENCY_MANAGER,)) and user.agency_id is not None:
            return ActionItem.objects.filter(lead_agencies=user.agency_id).distinct()
        return ActionItem.objects.none()

    def editable_ids(self, user: PolicyUser) -> set[int]:
        """Ids of the items the user may update (one query), for pages listing many items."""
        return set(self.instances_user_has_permission_for(user, EDIT).values_list("pk", flat=True))

    def can_edit(self, user: PolicyUser, instance: ActionItem) -> bool:
        return self.instances_user_has_permission_for(user, EDIT).filter(pk=instance.pk).exists()

    def get_by_number_or_404(
        self, user: PolicyUser, number: int, *, action: str = VIEW
    ) -> ActionItem:
        """Items are addressed by their number in the plan; 404 when out of reach for
        ``action`` (an update form for an item the user may not update does not exist)."""
        item = self.instances_user_has_permission_for(user, action).filter(number=number).first()
        if item is None:
            raise Http404
        return item

    def can_request_update(self, user: PolicyUser) -> bool:
        """Only the VAP chair asks a lead agency for an update."""
        return is_vap_chair(user)

    def can_set_target_date(self, user: PolicyUser) -> bool:
        """The VAP chair owns the plan's timetable: target dates are set by the chair alone."""
        return is_vap_chair(user)


class ProgressUpdatePolicy(PermissionPolicy[ProgressUpdate]):
    """Updates are read with the plan and changed by whoever may update their item."""

    model = ProgressUpdate
    detail_related: ClassVar[tuple[str, ...]] = ("item",)

    def user_has_permission(self, user: PolicyUser, action: str) -> bool:
        return action_item_policy.user_has_permission(user, action)

    def visible_to(self, user: PolicyUser) -> QuerySet[ProgressUpdate]:
        return ProgressUpdate.objects.filter(item__in=action_item_policy.visible_to(user))

    def can_edit(self, user: PolicyUser, instance: ProgressUpdate) -> bool:
        return action_item_policy.can_edit(user, instance.item)


class EvidencePolicy(PermissionPolicy[Evidence]):
    """Evidence is readable by whoever may read the plan; checked again on every download."""

    model = Evidence
    detail_related: ClassVar[tuple[str, ...]] = ("update__item",)

    def user_has_permission(self, user: PolicyUser, action: str) -> bool:
        return action == VIEW and action_item_policy.user_has_permission(user, VIEW)

    def visible_to(self, user: PolicyUser) -> QuerySet[Evidence]:
        return Evidence.objects.filter(update__item__in=action_item_policy.visible_to(user))


class ActivityPolicy(PermissionPolicy[M]):
    """One kind of the activity register: recorded for the recorder's own agency; read by the
    VAP chair and agency managers, every agency's entries (counts, not people)."""

    def __init__(self, model: type[M], kind: str) -> None:
        self.model = model
        self.kind = kind

    def user_has_permission(self, user: PolicyUser, action: str) -> bool:
        if action == VIEW:
            return has_any_role(user, ACTIVITY_VIEWER_ROLES)
        if action == EDIT:
            return has_any_role(user, ACTIVITY_RECORDER_ROLES) and user.agency_id is not None
        return False

    def visible_to(self, user: PolicyUser) -> QuerySet[M]:
        if not self.user_has_permission(user, VIEW):
            return self.model._default_manager.none()
        return self.model._default_manager.all()


action_item_policy = ActionItemPolicy()
progress_update_policy = ProgressUpdatePolicy()
evidence_policy = EvidencePolicy()

# The five kinds of the activity register, by the code used in URLs and measure codes.
ACTIVITY_POLICIES: dict[str, ActivityPolicy[Model]] = {
    kind: ActivityPolicy(model, kind)
    for kind, model in (
        ("prevention", PreventionSession),
        ("training", TrainingSession),
        ("awareness", AwarenessSession),
        ("member_briefing", MemberBriefing),
        ("maog_meeting", MaogMeeting),
    )
}
ACTIVITY_MODELS: dict[str, type[Model]] = {
    kind: policy.model for kind, policy in ACTIVITY_POLICIES.items()
}
# Any kind answers the register-wide questions (may this user read or record activity?).
activity_policy = ACTIVITY_POLICIES["prevention"]

register("actions.actionitem", action_item_policy)
register("actions.progressupdate", progress_update_policy)
register("actions.evidence", evidence_policy)
for _policy in ACTIVITY_POLICIES.values():
    register(_policy.model._meta.label_lower, _policy)


def activity_policy_or_404(kind: str) -> ActivityPolicy[Model]:
    policy = ACTIVITY_POLICIES.get(kind)
    if policy is None:
        raise Http404
    return policy
