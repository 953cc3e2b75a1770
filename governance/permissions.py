"""Who reads information-governance pages. The IG officer role opens no case content."""

from accounts.models import User
from accounts.permissions import can_read_agency_access_log
from partnership.roles import Role


def is_ig_officer(user: object) -> bool:
    """An active information governance officer of an agency (reads that agency's governance)."""
    return isinstance(user, User) and can_read_agency_access_log(user)


def can_read_access_flags(user: object) -> bool:
    """Unusual-access flags: the IG officer and the agency's managers."""
    if not isinstance(user, User) or not user.is_active or user.agency_id is None:
        return False
    return is_ig_officer(user) or user.has_role(Role.AGENCY_MANAGER)
