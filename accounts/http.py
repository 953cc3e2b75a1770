"""The request type of signed-in pages (the pattern django-stubs documents).

Every page but sign-in and the health checks sits behind Django's LoginRequiredMiddleware
(pages open to anonymous visitors say so with ``login_not_required``), so the user a view
behind sign-in sees is a signed-in ``User``, never ``AnonymousUser``. Views take
``request: AuthenticatedRequest`` and pass ``request.user`` where a ``User`` is expected,
without a cast or an isinstance check at each call.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from accounts.models import User


class AuthenticatedRequest(HttpRequest):
    """Annotation only: Django passes its ordinary request object; this class narrows
    ``user`` for the type checker."""

    user: User
