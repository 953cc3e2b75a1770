"""Primary navigation. An entry for a record type asks that type's permission policy (found by
label in the policy registry, so this ground-floor module imports no app); only entries that
are no record type (reports, administration, the access log) name the roles that see them.
An entry over several record types (the API, imports) asks each of their policies, and may
narrow the answer by role (imports: the agency managers among those who add records)."""

from collections.abc import Hashable
from dataclasses import dataclass
from html import escape

from django.core.signals import setting_changed
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.safestring import SafeString, mark_safe

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


def address(url_name: str) -> str | None:
    key = (url_name, get_urlconf(), get_script_prefix())
    if key not in _HREFS:
        try:
            _HREFS[key] = reverse(url_name)
        except NoReverseMatch:
            _HREFS[key] = None
    return _HREFS[key]


def navigation_for(user: PolicyUser, current_path: str) -> list[dict[str, object]]:
    """The navigation a user sees: entries for their roles whose pages exist in this build."""
    return [
        {"text": label, "href": href, "active": _is_current(href, current_path)}
        for label, href in _entries(user)
    ]


def _is_current(href: str, current_path: str) -> bool:
    return current_path == href if href == "/" else current_path.startswith(href)


# --- The navigation as the page shell writes it --------------------------------------------
# Which entries a user sees depends only on what the policies' type-wide checks read: whether
# the user is active, their agency and their roles (partnership.policy, user_has_permission),
# all loaded afresh with the user on every request (accounts.backends). Keyed by exactly those
# (and the user's id), the entries are worked out once per process rather than on every page:
# a change of role or agency is a new key, so the next page shows the new entries, and no key
# is ever another user's. tests/partnership/test_navigation_cache.py holds this.
_ENTRIES: dict[tuple[Hashable, ...], tuple[tuple[str, str], ...]] = {}
_ENTRIES_KEPT = 2048


def _forget(*, setting: str, **kwargs: object) -> None:
    """A test that changes the URLconf or the apps changes the addresses and the entries."""
    if setting in ("ROOT_URLCONF", "INSTALLED_APPS"):
        _HREFS.clear()
        _ENTRIES.clear()


setting_changed.connect(_forget)


def _user_key(user: PolicyUser) -> tuple[Hashable, ...] | None:
    role_names = getattr(user, "role_names", None)
    if role_names is None or not getattr(user, "is_authenticated", False):
        return None
    return (
        getattr(user, "pk", None),
        user.is_active,
        getattr(user, "agency_id", None),
        frozenset(role_names()),
        get_urlconf(),
        get_script_prefix(),
    )


def _entries(user: PolicyUser) -> tuple[tuple[str, str], ...]:
    """(label, address) of each entry the user sees: entries for their roles whose pages
    exist in this build."""
    key = _user_key(user)
    found = _ENTRIES.get(key) if key is not None else None
    if found is None:
        found = tuple(
            (item.label, href)
            for item in NAV_ITEMS
            if item.shown_to(user) and (href := address(item.url_name)) is not None
        )
        if key is not None:
            if len(_ENTRIES) >= _ENTRIES_KEPT:
                _ENTRIES.clear()
            _ENTRIES[key] = found
    return found


def navigation_html(user: PolicyUser, current_path: str) -> SafeString:
    """The primary navigation's list items for ``user`` on ``current_path`` (the entries of
    navigation_for, the current one marked), written once here rather than looped over in
    every page's template."""
    items = []
    for label, href in _entries(user):
        current = ' aria-current="page"' if _is_current(href, current_path) else ""
        items.append(
            '<li class="moj-primary-navigation__item"><a class="moj-primary-navigation__link"'
            f' href="{escape(href)}"{current}>{escape(label)}</a></li>\n'
        )
    return mark_safe("".join(items))  # noqa: S308 - labels and addresses escaped
