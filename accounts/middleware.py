"""Session and sign-in rules applied to every request.

- NoStoreForAuthenticatedMiddleware: pages seen by a signed-in user are never cached.
- SessionLifetimeMiddleware: a session ends 12 hours after sign-in however active it is
  (the 30-minute idle limit is SESSION_COOKIE_AGE with SESSION_SAVE_EVERY_REQUEST).
- TwoFactorRequiredMiddleware: while settings.CSE_REQUIRE_2FA is on, a signed-in session that
  has not passed two-factor reaches only the two-factor pages and sign-out.
"""

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode

from accounts.two_factor import user_has_two_factor

SIGNED_IN_AT_SESSION_KEY = "cse_signed_in_at"
# URL names an unverified session may still reach: the two-factor pages and signing out.
TWO_FACTOR_OPEN_URL_NAMES = frozenset({"two_factor_setup", "two_factor_verify", "logout"})


class NoStoreForAuthenticatedMiddleware:
    """Pages seen by a signed-in user are never stored by a browser or proxy cache."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
        return response


class SessionLifetimeMiddleware:
    """Ends a session CSE_SESSION_ABSOLUTE_SECONDS after sign-in, however active it has been.

    The sign-in time is stored in the session on the first response after sign-in; Django's
    login() keeps session data only for the same user, so it cannot carry over to another.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            signed_in_at = request.session.get(SIGNED_IN_AT_SESSION_KEY)
            limit = settings.CSE_SESSION_ABSOLUTE_SECONDS
            if signed_in_at is not None and time.time() - float(signed_in_at) > limit:
                # Out: the request goes on anonymously, so LoginRequiredMiddleware sends the
                # visitor to sign in with the page they asked for as `next`.
                logout(request)
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and SIGNED_IN_AT_SESSION_KEY not in request.session
        ):
            request.session[SIGNED_IN_AT_SESSION_KEY] = time.time()
        return response


class TwoFactorRequiredMiddleware:
    """Sends signed-in sessions without a verified second factor to enrol or verify."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        if not settings.CSE_REQUIRE_2FA:
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return None
        match = request.resolver_match
        if match is not None and match.url_name in TWO_FACTOR_OPEN_URL_NAMES:
            return None
        # Public pages (health check, sign-in) stay public.
        if not getattr(view_func, "login_required", True):
            return None
        target = "two_factor_verify" if user_has_two_factor(user=user) else "two_factor_setup"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
