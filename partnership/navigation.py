"""Primary navigation per role. Each entry names a URL and the roles that see it."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from partnership.roles import Role

CASEWORK_ROLES = frozenset({Role.PRACTITIONER, Role.AGENCY_MANAGER, Role.MAOG_MEMBER})


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[Role]


NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem("Home", "home", frozenset(Role)),
    NavItem("Needs attention", "cases:attention", CASEWORK_ROLES),
    NavItem("Young people", "cases:young_person_list", CASEWORK_ROLES),
    NavItem("Referrals", "cases:referral_list", CASEWORK_ROLES),
    NavItem("Missing episodes", "cases:missing_list", CASEWORK_ROLES),
    NavItem("Persons of concern", "cases:intel_person_list", CASEWORK_ROLES),
    NavItem("Places", "cases:intel_place_list", CASEWORK_ROLES),
    NavItem("Intelligence", "cases:intel_intelligence_list", frozenset({Role.MAOG_MEMBER})),
    NavItem("Networks", "cases:intel_networks", frozenset({Role.MAOG_MEMBER})),
    NavItem(
        "Action plan",
        "actions:plan",
        frozenset({Role.VAP_CHAIR, Role.AGENCY_MANAGER, Role.ADMINISTRATOR}),
    ),
    NavItem(
        "Activity register",
        "actions:activity_list",
        frozenset({Role.VAP_CHAIR, Role.AGENCY_MANAGER}),
    ),
    NavItem(
        "Performance",
        "performance:dashboard",
        frozenset({Role.VAP_CHAIR, Role.AGENCY_MANAGER}),
    ),
    NavItem("Reports", "performance:reports", frozenset({Role.COMMITTEE_CLERK, Role.VAP_CHAIR})),
    NavItem("Administration", "admin:index", frozenset({Role.ADMINISTRATOR})),
)


def navigation_for(user: object, current_path: str) -> list[dict[str, object]]:
    """The navigation a user sees: entries for their roles whose pages exist in this build."""
    items = []
    for item in NAV_ITEMS:
        if not any(user.has_role(role) for role in item.roles):
            continue
        try:
            href = reverse(item.url_name)
        except NoReverseMatch:
            continue  # that part of the product is not installed in this build
        active = current_path == href if href == "/" else current_path.startswith(href)
        items.append({"text": item.label, "href": href, "active": active})
    return items
