"""Per-token rate limit (django-ratelimit's counter in the shared cache, like the
cross-agency lookups in partnership/lookup_limits.py). Session requests count per user."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import get_usage
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from api.models import ApiToken

logger = logging.getLogger(__name__)
GROUP = "cse.api"


def _key(group: str, request: HttpRequest) -> str:
    token = getattr(request, "api_token", None)
    if isinstance(token, ApiToken):
        return f"token:{token.pk}"
    return f"user:{getattr(request.user, 'pk', '')}"


class TokenRateThrottle(BaseThrottle):
    def allow_request(self, request: Request, view: Any) -> bool:
        django_request = request._request
        django_request.api_token = request.auth  # type: ignore[attr-defined]
        django_request.user = request.user
        try:
            usage = get_usage(
                django_request, group=GROUP, key=_key, rate=settings.CSE_API_RATE, increment=True
            )
        except Exception:  # the cache is down: refuse rather than run unlimited
            logger.warning("API rate-limit cache unavailable; request refused", exc_info=True)
            return False
        return usage is None or not usage["should_limit"]

    def wait(self) -> float | None:
        return 60.0
