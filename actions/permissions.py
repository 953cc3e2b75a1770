"""Who may see and change the action plan. The only place these rules live."""

from django.db.models import QuerySet

from actions.models import ActionItem
from partnership.roles import Role

PLAN_VIEWER_ROLES = (Role.VAP_CHAIR, Role.AGENCY_MANAGER, Role.ADMINISTRATOR)


def can_view_plan(user: object) -> bool:
    """The plan is the partnership's shared work: VAP chair, agency managers and admins."""
    return any(user.has_role(role) for role in PLAN_VIEWER_ROLES)


def action_item_queryset_for_user(user: object) -> QuerySet[ActionItem]:
    if not can_view_plan(user):
        return ActionItem.objects.none()
    return ActionItem.objects.all()
