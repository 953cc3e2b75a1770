"""The roles a person can hold. Each is a Django group; a user holds one or more.

Role names are the group names, so permissions, navigation and tests all say the same thing.
"""

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    PRACTITIONER = "Practitioner"
    AGENCY_MANAGER = "Agency manager"
    MAOG_MEMBER = "MAOG member"
    VAP_CHAIR = "VAP chair"
    COMMITTEE_CLERK = "Committee clerk"
    # Works with exact partnership-wide performance figures (no case records).
    PERFORMANCE_ANALYST = "Performance analyst"
    ADMINISTRATOR = "Administrator"
    # Reads the access log of their own agency; reads no case content by virtue of the role.
    IG_OFFICER = "Information governance officer"


# Roles that open children's records, intelligence, the access log or the admin site: an
# administrator asks for them, and a second administrator confirms (accounts.services).
APPROVAL_REQUIRED_ROLES = frozenset(
    {
        Role.PRACTITIONER,
        Role.AGENCY_MANAGER,
        Role.MAOG_MEMBER,
        Role.IG_OFFICER,
        Role.ADMINISTRATOR,
    }
)


AGENCY_GROUP_PREFIX = "agency:"


def agency_group_name(agency_code: str) -> str:
    """The name of the group that holds every member of one agency (object grants go here)."""
    return f"{AGENCY_GROUP_PREFIX}{agency_code}"


# Model permissions a role's group carries for what is not a record type with a permission
# policy: reference data, accounts and reports ("app_label.codename"; they drive the admin
# site). Record types are not listed: their permissions come from their policies
# (``role_model_permissions``), so a role can never be said here to do more than the policy lets it.
ROLE_OTHER_PERMISSIONS: dict[Role, tuple[str, ...]] = {
    Role.COMMITTEE_CLERK: ("performance.view_report", "performance.add_report"),
    Role.PERFORMANCE_ANALYST: ("performance.view_report",),
    Role.ADMINISTRATOR: (
        "partnership.view_agency",
        "partnership.add_agency",
        "partnership.change_agency",
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        "accounts.view_pendingrolegrant",
        "accounts.change_pendingrolegrant",
        "partnership.view_committee",
        "partnership.change_committee",
        # Committee meeting dates (REPORT TO of the committee reports), edited with the
        # committee; a date set in error is deleted (the change is audited with the committee).
        "partnership.view_committeemeeting",
        "partnership.add_committeemeeting",
        "partnership.change_committeemeeting",
        "partnership.delete_committeemeeting",
        "auth.view_group",
    ),
}


@dataclass(frozen=True)
class RoleHolder:
    """An active member of some agency holding one role and nothing else: what a policy
    allows the role alone (the ``Member`` protocol of ``partnership.policy``)."""

    role: Role
    is_authenticated: bool = True
    is_active: bool = True
    agency_id: int | None = 0

    def has_role(self, role: Role) -> bool:
        return role == self.role


def role_model_permissions(role: Role) -> set[str]:
    """Every model permission the role's group carries: each registered policy's
    ``model_permissions`` for a holder of the role, and ``ROLE_OTHER_PERMISSIONS``."""
    from partnership.policy import registered_policies

    holder = RoleHolder(role)
    found = set(ROLE_OTHER_PERMISSIONS.get(role, ()))
    for policy in registered_policies().values():
        found |= policy.model_permissions(holder)
    return found


def sync_role_permissions(**kwargs: object) -> None:
    """Give each role group its model permissions (post_migrate: permissions exist by then)."""
    from django.contrib.auth.models import Group, Permission

    for role in Role:
        group, _ = Group.objects.get_or_create(name=role.value)
        wanted = []
        for perm_name in sorted(role_model_permissions(role)):
            app_label, codename = perm_name.split(".")
            perm = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if perm is not None:
                wanted.append(perm)
        group.permissions.set(wanted)
