"""The roles a person can hold. Each is a Django group; a user holds one or more.

Role names are the group names, so permissions, navigation and tests all say the same thing.
"""

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


# Model permissions each role's group carries ("app_label.codename"). Object-level access
# is decided in each app's permissions.py; these model permissions say what kind of thing a
# role may do at all and drive the admin site. Codenames of apps not installed are skipped.
ROLE_MODEL_PERMISSIONS: dict[Role, tuple[str, ...]] = {
    Role.PRACTITIONER: (
        "cases.view_youngperson",
        "cases.add_youngperson",
        "cases.change_youngperson",
        "cases.view_referral",
        "cases.add_referral",
        "cases.change_referral",
        "cases.view_riskassessment",
        "cases.add_riskassessment",
        "cases.view_missingepisode",
        "cases.add_missingepisode",
        "cases.change_missingepisode",
        "cases.view_support",
        "cases.add_support",
        "cases.change_support",
    ),
    Role.AGENCY_MANAGER: (
        "cases.view_youngperson",
        "cases.add_youngperson",
        "cases.change_youngperson",
        "cases.view_referral",
        "cases.add_referral",
        "cases.change_referral",
        "cases.view_riskassessment",
        "cases.add_riskassessment",
        "cases.view_missingepisode",
        "cases.add_missingepisode",
        "cases.change_missingepisode",
        "cases.view_support",
        "cases.add_support",
        "cases.change_support",
        "cases.add_caseshare",
        "cases.delete_caseshare",
        "actions.view_actionitem",
        "actions.add_progressupdate",
        "actions.change_progressupdate",
    ),
    Role.MAOG_MEMBER: ("cases.view_youngperson",),
    Role.VAP_CHAIR: (
        "actions.view_actionitem",
        "actions.change_actionitem",
        "actions.add_progressupdate",
        "actions.change_progressupdate",
    ),
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
        "auth.view_group",
    ),
    # No model permissions: the access log page asks for the role itself (accounts.views).
    Role.IG_OFFICER: (),
}


def sync_role_permissions(**kwargs: object) -> None:
    """Give each role group its model permissions (post_migrate: permissions exist by then)."""
    from django.contrib.auth.models import Group, Permission

    for role, perm_names in ROLE_MODEL_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role.value)
        wanted = []
        for perm_name in perm_names:
            app_label, codename = perm_name.split(".")
            perm = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if perm is not None:
                wanted.append(perm)
        group.permissions.set(wanted)
