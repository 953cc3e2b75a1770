"""How an API request says who it is: a bearer token, or the browser's signed-in session.

A session counts only once its second factor is verified (while two-factor is required):
the API's URLs are outside LoginRequiredMiddleware and TwoFactorRequiredMiddleware, because
a token request has no session, so the check is made here instead.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import timezone
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from api import services
from api.models import ApiToken

ERROR_BAD_TOKEN = "The token is not valid, has expired or was revoked."  # noqa: S105 a message


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(ERROR_BAD_TOKEN)
        try:
            raw = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(ERROR_BAD_TOKEN) from None
        token = (
            ApiToken.objects.select_related("user", "user__agency")
            .filter(digest=services.token_digest(raw), revoked_at__isnull=True)
            .first()
        )
        # Expired, revoked, unknown and deactivated owners all get the same answer.
        if token is None or token.expires_at <= timezone.now() or not token.user.is_active:
            raise exceptions.AuthenticationFailed(ERROR_BAD_TOKEN)
        services.api_token_mark_used(token=token)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class VerifiedSessionAuthentication(authentication.SessionAuthentication):
    """The signed-in browser session, with CSRF, once two-factor sign-in is complete."""

    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        user = result[0]
        if settings.CSE_REQUIRE_2FA and not user.is_verified():
            return None
        return result
