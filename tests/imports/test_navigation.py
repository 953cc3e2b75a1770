"""The navigation links to imports and to the API's pages for those who may use them, and
only for them: the imports link exactly when the imports page opens (agency managers of a
casework agency), the API links when some record type the API serves is readable."""

from collections.abc import Callable

import pytest
from django.test import Client

from accounts.models import User
from partnership.navigation import navigation_for
from partnership.roles import Role

pytestmark = pytest.mark.django_db

API_LINKS = {"API": "/api/docs/", "API tokens": "/api/tokens/"}
IMPORT_LINK = {"Imports": "/imports/"}


def _links(user: User) -> dict[str, str]:
    return {str(item["text"]): str(item["href"]) for item in navigation_for(user, "/")}


@pytest.mark.parametrize(
    ("agency", "roles", "imports", "api"),
    [
        ("cfs", (Role.AGENCY_MANAGER,), True, True),
        ("police", (Role.PRACTITIONER, Role.AGENCY_MANAGER), True, True),
        ("cfs", (Role.PRACTITIONER,), False, True),
        ("cfs", (Role.VAP_CHAIR,), False, True),  # reads the action plan
        ("cfs", (Role.COMMITTEE_CLERK,), False, False),
        ("cfs", (Role.ADMINISTRATOR,), False, True),  # reads the action plan
        ("cfs", (Role.IG_OFFICER,), False, False),
        ("cfs", (Role.PERFORMANCE_ANALYST,), False, False),
    ],
)
def test_links_follow_what_the_user_may_use(
    make_user: Callable[..., User], agency: str, roles: tuple[Role, ...], imports: bool, api: bool
) -> None:
    user = make_user(agency, *roles)
    links = _links(user)
    assert (IMPORT_LINK.items() <= links.items()) is imports
    assert ("Imports" in links) is imports
    assert (API_LINKS.items() <= links.items()) is api
    client = Client()
    client.force_login(user)
    # The link is there exactly when the page opens: never a link to a 404.
    assert (client.get("/imports/").status_code == 200) is imports
    page = client.get("/api/docs/").content.decode()  # a page every member opens
    nav = page.split('aria-label="Primary navigation"', 1)[1].split("</nav>", 1)[0]
    assert ('href="/imports/"' in nav) is imports
    assert ('href="/api/tokens/"' in nav) is api


def test_a_manager_without_an_agency_gets_no_imports_link(make_user: Callable[..., User]) -> None:
    manager = make_user("cfs", Role.AGENCY_MANAGER, username="no.agency")
    manager.agency = None
    manager.save()
    assert "Imports" not in _links(manager)
