from django.db.models import Prefetch, QuerySet

from actions.models import ActionItem
from actions.permissions import action_item_queryset_for_user
from partnership.models import Agency


def action_plan_list(*, user: object) -> QuerySet[ActionItem]:
    """All plan items the user may see, with lead agencies, in a constant number of queries."""
    return action_item_queryset_for_user(user).prefetch_related(
        Prefetch("lead_agencies", queryset=Agency.objects.order_by("name"))
    )
