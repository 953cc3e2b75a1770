"""Writes about people: creating users, their agency group, roles and access changes.

Access changes made by administrators (agency, roles, active, staff) go through
`user_admin_save`: nobody changes their own; roles that open records need a second
administrator (`role_grant_approve`); each change is audited with before and after and the
VAP chair is told. `user_create` and `user_set_roles` are the low-level writes used by the
demo seed and the server's command line, not by any page.
"""

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accounts.models import PendingRoleGrant, User
from audit.models import AccessEvent
from audit.services import access_event_record
from partnership.models import Agency
from partnership.roles import APPROVAL_REQUIRED_ROLES, Role
from partnership.services import admin_change_record

ERROR_NO_AGENCY = "Every user belongs to exactly one agency."
ERROR_OWN_ACCESS = "Nobody changes their own agency, roles or access: ask another administrator."
ERROR_OWN_GRANT = "Another administrator must decide a role grant you asked for or would receive."
ERROR_NOT_ADMINISTRATOR = "Only an active administrator decides role grants."
ERROR_DECIDED = "This role grant has already been decided."


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
    user._history_user = actor  # type: ignore[attr-defined]
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
    user._history_user = actor  # type: ignore[attr-defined]
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
    if user.agency is not None and user.agency.group is not None:
        groups.append(user.agency.group)
    user.groups.set(groups)
    user._role_names = None


def access_snapshot(user: User) -> dict[str, Any]:
    """What decides a user's reach, as JSON-ready values (for the audit's before and after)."""
    agency_code = None
    if user.agency_id is not None:
        agency_code = Agency.objects.filter(pk=user.agency_id).values_list("code", flat=True)[0]
    user._role_names = None
    return {
        "agency": agency_code,
        "roles": sorted(user.role_names()),
        "is_active": user.is_active,
        "is_staff": user.is_staff,
        "is_superuser": user.is_superuser,
    }


def _audit_access_change(
    *,
    actor: User,
    user: User,
    before: dict[str, Any],
    after: dict[str, Any],
    what: str,
    extra: dict[str, Any] | None = None,
) -> None:
    admin_change_record(
        actor=actor,
        instance=user,
        label=f"the account {user.username}",
        what=what,
        before=before,
        after=after,
        extra=extra,
    )


@transaction.atomic
def user_admin_add(*, actor: User, user: User) -> User:
    """Save a new account made in the admin site: no roles yet (they are granted after)."""
    if user.agency_id is None:
        raise ValueError(ERROR_NO_AGENCY)
    user.is_staff = False
    user.is_superuser = False
    user._history_user = actor  # type: ignore[attr-defined]
    user.save()
    user_set_roles(actor=actor, user=user, roles=[])
    _audit_access_change(
        actor=actor, user=user, before={}, after=access_snapshot(user), what="account added"
    )
    return user


@transaction.atomic
def user_admin_save(*, actor: User, user: User, roles: Iterable[Role]) -> list[PendingRoleGrant]:
    """Save an account changed in the admin site, with the roles the administrator chose.

    Refused when the change touches the actor's own agency, roles or active flag. Roles
    that open records (APPROVAL_REQUIRED_ROLES) are not given but asked for: a pending grant
    that another administrator confirms. Removed roles go at once. Staff follows the
    Administrator role; superuser is never changed here.
    """
    saved = User.objects.select_for_update().get(pk=user.pk)
    before = access_snapshot(saved)
    current = {Role(name) for name in before["roles"]}
    wanted = {Role(role) for role in roles}
    added, removed = wanted - current, current - wanted
    asked = {role for role in added if role in APPROVAL_REQUIRED_ROLES}
    kept_roles = (current - removed) | (added - asked)
    access_changed = (
        added or removed or saved.agency_id != user.agency_id or saved.is_active != user.is_active
    )
    if access_changed and actor.pk == user.pk:
        raise PermissionDenied(ERROR_OWN_ACCESS)
    user.is_staff = Role.ADMINISTRATOR in kept_roles
    user.is_superuser = saved.is_superuser  # only the server's command line changes it
    user._history_user = actor  # type: ignore[attr-defined]
    user.save()
    grants = []
    if access_changed:
        user_set_roles(actor=actor, user=user, roles=kept_roles)
        for role in sorted(asked):
            grant, _ = PendingRoleGrant.objects.get_or_create(
                user=user,
                role=role.value,
                status=PendingRoleGrant.Status.PENDING,
                defaults={"requested_by": actor},
            )
            grants.append(grant)
        _audit_access_change(
            actor=actor,
            user=user,
            before=before,
            after=access_snapshot(user),
            what="access changed",
            extra={"roles_asked_for": sorted(role.value for role in asked)} if asked else None,
        )
    return grants


def _grant_for_decision(*, actor: User, grant: PendingRoleGrant) -> PendingRoleGrant:
    grant = PendingRoleGrant.objects.select_for_update().select_related("user").get(pk=grant.pk)
    if not (actor.is_active and actor.has_role(Role.ADMINISTRATOR)):
        raise PermissionDenied(ERROR_NOT_ADMINISTRATOR)
    if grant.status != PendingRoleGrant.Status.PENDING:
        raise PermissionDenied(ERROR_DECIDED)
    return grant


def _grant_decided(grant: PendingRoleGrant, *, actor: User, status: str) -> None:
    grant.status = status
    grant.decided_by = actor
    grant.decided_at = timezone.now()
    grant.save(update_fields=["status", "decided_by", "decided_at"])


@transaction.atomic
def role_grant_approve(*, actor: User, grant: PendingRoleGrant) -> PendingRoleGrant:
    """A second administrator gives the role asked for (never the asker, never its holder)."""
    grant = _grant_for_decision(actor=actor, grant=grant)
    if actor.pk in {grant.requested_by_id, grant.user_id}:
        raise PermissionDenied(ERROR_OWN_GRANT)
    user = grant.user
    before = access_snapshot(user)
    roles = {Role(name) for name in before["roles"]} | {Role(grant.role)}
    if Role.ADMINISTRATOR in roles and not user.is_staff:
        user.is_staff = True
        user._history_user = actor  # type: ignore[attr-defined]
        user.save(update_fields=["is_staff"])
    user_set_roles(actor=actor, user=user, roles=roles)
    _grant_decided(grant, actor=actor, status=PendingRoleGrant.Status.APPROVED)
    _audit_access_change(
        actor=actor,
        user=user,
        before=before,
        after=access_snapshot(user),
        what=f"role granted: {grant.role}",
        extra={"asked_for_by": grant.requested_by.username},
    )
    return grant


@transaction.atomic
def role_grant_reject(*, actor: User, grant: PendingRoleGrant) -> PendingRoleGrant:
    """An administrator (the asker too, to withdraw) turns a pending grant down."""
    grant = _grant_for_decision(actor=actor, grant=grant)
    if actor.pk == grant.user_id:
        raise PermissionDenied(ERROR_OWN_GRANT)
    _grant_decided(grant, actor=actor, status=PendingRoleGrant.Status.REJECTED)
    access_event_record(
        actor=actor,
        action=AccessEvent.Action.CHANGE,
        instance=grant.user,
        detail={"admin_change": f"role grant rejected: {grant.role}"},
    )
    return grant
