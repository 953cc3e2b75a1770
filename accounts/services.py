"""Writes about people: creating users and keeping their agency group in step."""

from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.db import transaction

from accounts.models import User
from audit.models import AccessEvent
from audit.services import access_event_record
from partnership.models import Agency
from partnership.roles import Role

ERROR_NO_AGENCY = "Every user belongs to exactly one agency."


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    agency: Agency,
    roles: Iterable[Role],
    password: str | None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    job_title: str = "",
) -> User:
    """Create a user in one agency with the given roles, and put them in the agency's group."""
    if agency is None:
        raise ValueError(ERROR_NO_AGENCY)
    user = User(
        username=username,
        agency=agency,
        first_name=first_name,
        last_name=last_name,
        email=email,
        job_title=job_title,
        is_staff=Role.ADMINISTRATOR in set(roles),
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user._history_user = actor
    user.save()
    user_set_roles(actor=actor, user=user, roles=roles)
    access_event_record(actor=actor, action=AccessEvent.Action.CREATE, instance=user)
    return user


@transaction.atomic
def user_set_password_hash(*, actor: User | None, user: User, encoded: str) -> None:
    """Give `user` a password already hashed with `make_password`.

    Takes the hash rather than the password so that many accounts (the demo's) can share one
    hashing: PBKDF2 costs about half a second per call by design.
    """
    user.password = encoded
    user._history_user = actor
    user.save(update_fields=["password"])
    access_event_record(
        actor=actor,
        action=AccessEvent.Action.CHANGE,
        instance=user,
        detail={"field": "password"},
    )


@transaction.atomic
def user_set_roles(*, actor: User | None, user: User, roles: Iterable[Role]) -> None:
    """Replace the user's roles; the agency group membership always follows `user.agency`."""
    role_names = {Role(role).value for role in roles}
    groups = list(Group.objects.filter(name__in=role_names))
    if user.agency and user.agency.group_id:
        groups.append(user.agency.group)
    user.groups.set(groups)
    user._role_names = None
