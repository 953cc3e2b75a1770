from django.conf import settings
from django.http import HttpRequest

from partnership.navigation import navigation_html


def shell(request: HttpRequest) -> dict[str, object]:
    """What the page shell needs: the demo flag and the signed-in user's navigation."""
    user = getattr(request, "user", None)
    context: dict[str, object] = {
        "cse_demo": settings.CSE_DEMO,
        "cse_two_factor_off": not settings.CSE_REQUIRE_2FA,
    }
    if user is not None and user.is_authenticated:
        context["primary_navigation"] = navigation_html(user, request.path)
    return context
