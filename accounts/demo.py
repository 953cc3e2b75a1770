"""Demo people: stable, documented usernames for every agency and role."""

import secrets
from dataclasses import dataclass

from django.contrib.auth.hashers import check_password, make_password

from accounts.models import User
from accounts.services import user_create, user_set_password_hash
from partnership.models import Agency
from partnership.roles import Role

DEMO_FIRST_NAMES = ["Alex", "Sam", "Jordan", "Morgan", "Casey", "Robin", "Jamie", "Kit"]
DEMO_LAST_NAMES = ["Fraser", "Murray", "Stewart", "Campbell", "Reid", "Duncan", "Ross"]


def demo_users() -> list[tuple[str, str, tuple[Role, ...]]]:
    """(username, agency code, roles) for every demo account."""
    users: list[tuple[str, str, tuple[Role, ...]]] = []
    for code in Agency.objects.order_by("code").values_list("code", flat=True):
        users.append((f"{code}.practitioner", code, (Role.PRACTITIONER,)))
        users.append((f"{code}.manager", code, (Role.AGENCY_MANAGER,)))
    users += [
        ("police.maog", "police", (Role.PRACTITIONER, Role.MAOG_MEMBER)),
        ("vap.chair", "cfs", (Role.VAP_CHAIR,)),
        ("clerk", "cfs", (Role.COMMITTEE_CLERK,)),
        ("admin", "cfs", (Role.ADMINISTRATOR,)),
        # A second administrator confirms the roles `admin` asks for (and the reverse).
        ("admin.two", "police", (Role.ADMINISTRATOR,)),
        ("cfs.ig", "cfs", (Role.IG_OFFICER,)),
    ]
    return users


def demo_password_generate() -> str:
    """A password for one install's demo accounts: never a default published in the README."""
    return secrets.token_urlsafe(12)


@dataclass(frozen=True)
class DemoPeopleResult:
    created: int
    password_changed: int


def seed_people(*, password: str, reset_existing: bool = False) -> DemoPeopleResult:
    """Create the demo accounts that do not exist yet, all with `password`.

    With `reset_existing`, demo accounts that exist with another password get this one: how a
    changed DEMO_PASSWORD takes effect on the next seed. The password is hashed once and the
    hash shared by every account (one PBKDF2 run, not one per account); existing hashes are
    checked once per distinct hash for the same reason.
    """
    agencies = {agency.code: agency for agency in Agency.objects.all()}
    wanted = demo_users()
    existing = {
        user.username: user for user in User.objects.filter(username__in=[u for u, _, _ in wanted])
    }
    encoded = make_password(password)
    created = changed = 0
    matches: dict[str, bool] = {}
    for index, (username, code, roles) in enumerate(wanted):
        user = existing.get(username)
        if user is not None:
            if not reset_existing:
                continue
            if user.password not in matches:
                matches[user.password] = check_password(password, user.password)
            if not matches[user.password]:
                user_set_password_hash(actor=None, user=user, encoded=encoded)
                changed += 1
            continue
        user = user_create(
            actor=None,
            username=username,
            agency=agencies[code],
            roles=roles,
            password=None,
            first_name=DEMO_FIRST_NAMES[index % len(DEMO_FIRST_NAMES)],
            last_name=DEMO_LAST_NAMES[index % len(DEMO_LAST_NAMES)],
            email=f"{username}@example.invalid",
            job_title=", ".join(role.value for role in roles),
        )
        user_set_password_hash(actor=None, user=user, encoded=encoded)
        created += 1
    return DemoPeopleResult(created=created, password_changed=changed)
