"""The request type of signed-in pages. Every page but sign-in sits behind the sign-in
middleware (accounts), so the user a view sees is a signed-in ``User``, never anonymous."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from accounts.models import User


class AuthenticatedRequest(HttpRequest):
    """Annotation only: views take ``request: AuthenticatedRequest``; Django passes the
    ordinary request object."""

    user: User
