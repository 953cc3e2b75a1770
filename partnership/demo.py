"""Demo people: stable, documented usernames for every agency and role."""

from partnership.models import Agency, User
from partnership.roles import Role
from partnership.services import user_create

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
    ]
    return users


def seed_people(*, password: str) -> int:
    """Create the demo accounts that do not exist yet. Returns how many were made."""
    agencies = {agency.code: agency for agency in Agency.objects.all()}
    existing = set(User.objects.values_list("username", flat=True))
    made = 0
    for index, (username, code, roles) in enumerate(demo_users()):
        if username in existing:
            continue
        user_create(
            actor=None,
            username=username,
            agency=agencies[code],
            roles=roles,
            password=password,
            first_name=DEMO_FIRST_NAMES[index % len(DEMO_FIRST_NAMES)],
            last_name=DEMO_LAST_NAMES[index % len(DEMO_LAST_NAMES)],
            email=f"{username}@example.invalid",
            job_title=", ".join(role.value for role in roles),
        )
        made += 1
    return made
