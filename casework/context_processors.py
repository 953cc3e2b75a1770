from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from casework import permissions, selectors


def my_tasks(request: HttpRequest) -> dict[str, object]:
    """The header's "My tasks" count: lazy (a page that does not show it pays nothing) and
    read once per request (one indexed count of the user's open IRD actions)."""
    user = getattr(request, "user", None)
    if user is None or not permissions.is_caseworker(user):
        return {}
    return {
        "my_tasks_count": SimpleLazyObject(lambda: selectors.my_task_count_for_request(request))
    }
