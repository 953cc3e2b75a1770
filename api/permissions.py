"""What a request may do at all: signed in, and a read-only token only reads. Which records
it may see or change is each record type's policy (cases/permissions.py, actions/...)."""

from __future__ import annotations

from typing import Any

from rest_framework import permissions
from rest_framework.request import Request

from api.models import ApiToken


class SignedInWithScope(permissions.BasePermission):
    message = "This token may only read."

    def has_permission(self, request: Request, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        token = request.auth
        return not isinstance(token, ApiToken) or token.can_write
