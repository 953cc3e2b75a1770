"""The per-request user load: the user, the agency and the role names in one statement.

AuthenticationMiddleware asks the backend for the signed-in user on every request; every
page then asks for the agency (header, policies) and the roles (every permission check),
two more round trips each time. On PostgreSQL the role names come in the same row as an
array; elsewhere (SQLite in tests) they are read on first use as before. Nothing is kept
between requests: a role or agency change shows on the next request.
"""

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.db import connections, router
from django.db.models import OuterRef, QuerySet

from accounts.models import User
from partnership.roles import Role

_ROLE_VALUES = frozenset(role.value for role in Role)


def with_agency_and_roles(queryset: QuerySet[User]) -> QuerySet[User]:
    """Users with their agency joined and, on PostgreSQL, their group names as an array."""
    queryset = queryset.select_related("agency")
    if connections[router.db_for_read(User) or "default"].vendor != "postgresql":
        return queryset
    from django.contrib.postgres.expressions import ArraySubquery

    names = Group.objects.filter(user=OuterRef("pk")).values("name")
    return queryset.annotate(loaded_group_names=ArraySubquery(names))


def remember_roles(user: User) -> User:
    """Set the role cache from the names loaded with the user (see User.role_names)."""
    names = getattr(user, "loaded_group_names", None)
    if names is not None:
        user._role_names = {name for name in names if name in _ROLE_VALUES}
    return user


class MemberBackend(ModelBackend):
    """ModelBackend whose per-request get_user also loads the agency and the roles."""

    def get_user(self, user_id: Any) -> User | None:
        user = with_agency_and_roles(User._default_manager.filter(pk=user_id)).first()
        if user is None or not self.user_can_authenticate(user):
            return None
        return remember_roles(user)
