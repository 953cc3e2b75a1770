"""Primary navigation. An entry for a record type asks that type's permission policy (found by
label in the policy registry, so this ground-floor module imports no app); only entries that
are no record type (reports, administration, the access log) name the roles that see them.
An entry over several record types (the API, imports) asks each of their policies, and may
narrow the answer by role (imports: the agency managers among those who add records)."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

from partnership.policy import EDIT, VIEW, PolicyUser, has_any_role, policy_for
from partnership.roles import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[Role] = frozenset()
    # The record type whose policy decides (VIEW on the type as a whole), e.g. "cases.referral".
    policy: str = ""
    # Or several: shown when any of their policies allows ``action`` on its type.
    policies: tuple[str, ...] = ()
    action: str = VIEW

    def shown_to(self, user: PolicyUser) -> bool:
        labels = (self.policy, *self.policies) if self.policy else self.policies
        if not labels:
            return has_any_role(user, tuple(self.roles))
        allowed = any(
            policy is not None and policy.user_has_permission(user, self.action)
            for policy in map(policy_for, labels)
        )
        # Roles given with policies narrow them (both must say yes).
        return allowed and (not self.roles or has_any_role(user, tuple(self.roles)))


# What the API serves (api/urls.py): its pages are for whoever may read one of them.
API_RECORD_TYPES = (
    "cases.youngperson",
    "cases.referral",
    "cases.missingepisode",
    "cases.riskassessment",
    "cases.support",
    "actions.actionitem",
    "actions.progressupdate",
)
# Imports make referrals and missing episodes, for the agency's managers.
IMPORT_RECORD_TYPES = ("cases.referral", "cases.missingepisode")


NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem("Home", "home", frozenset(Role)),
    NavItem("Needs attention", "cases:attention", policy="cases.youngperson"),
    NavItem("Young people", "cases:young_person_list", policy="cases.youngperson"),
    NavItem("Referrals", "cases:referral_list", policy="cases.referral"),
    NavItem("Missing episodes", "cases:missing_list", policy="cases.missingepisode"),
    NavItem("Persons of concern", "maog:person_list", policy="maog.personofconcern"),
    NavItem("Places", "maog:place_list", policy="maog.place"),
    NavItem("Intelligence", "maog:intelligence_list", policy="maog.intelligence"),
    NavItem("Networks", "maog:networks", policy="maog.link"),
    NavItem("Action plan", "actions:plan", policy="actions.actionitem"),
    NavItem("Activity register", "actions:activity_list", policy="actions.preventionsession"),
    NavItem(
        "Performance",
        "performance:dashboard",
        frozenset({Role.VAP_CHAIR, Role.AGENCY_MANAGER}),
    ),
    NavItem("Reports", "performance:reports", frozenset({Role.COMMITTEE_CLERK, Role.VAP_CHAIR})),
    NavItem(
        "Imports",
        "imports:batches",
        frozenset({Role.AGENCY_MANAGER}),
        policies=IMPORT_RECORD_TYPES,
        action=EDIT,
    ),
    NavItem("API", "api:docs", policies=API_RECORD_TYPES),
    NavItem("API tokens", "api:tokens", policies=API_RECORD_TYPES),
    NavItem("Administration", "admin:index", frozenset({Role.ADMINISTRATOR})),
    NavItem("Access log", "agency_access_log", frozenset({Role.IG_OFFICER})),
    NavItem("Information governance", "governance:home", frozenset({Role.IG_OFFICER})),
)


# The entries' addresses, reversed once per URLconf and script prefix rather than a dozen
# reverse() calls on every page (a tenth of a list page's rendering, bench/). None: the part
# of the product is not installed in this build.
_HREFS: dict[tuple[str, object, str], str | None] = {}


def _href(url_name: str) -> str | None:
    key = (url_name, get_urlconf(), get_script_prefix())
    if key not in _HREFS:
        try:
            _HREFS[key] = reverse(url_name)
        except NoReverseMatch:
            _HREFS[key] = None
    return _HREFS[key]


def navigation_for(user: PolicyUser, current_path: str) -> list[dict[str, object]]:
    """The navigation a user sees: entries for their roles whose pages exist in this build."""
    items = []
    for item in NAV_ITEMS:
        if not item.shown_to(user):
            continue
        href = _href(item.url_name)
        if href is None:
            continue  # that part of the product is not installed in this build
        active = current_path == href if href == "/" else current_path.startswith(href)
        items.append({"text": item.label, "href": href, "active": active})
    return items
