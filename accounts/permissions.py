"""Who may read what about accounts and the access log."""

from accounts.models import User
from partnership.roles import Role


def can_read_agency_access_log(user: User) -> bool:
    """Only an active information governance officer of an agency reads that agency's log.

    Not administrators, not superusers: the log holds practitioners' searches (names and
    dates of birth of children), so it is read by the role made for it.
    """
    return bool(
        user.is_authenticated
        and user.is_active
        and user.agency_id is not None
        and user.has_role(Role.IG_OFFICER)
    )
