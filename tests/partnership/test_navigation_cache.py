"""The primary navigation is worked out once per user, active flag, agency and role set
(partnership/navigation.py) and written in Python: it is what the template loop wrote, a
change of role or agency shows on the next page, and no user ever gets another's entries."""

import re
from collections.abc import Callable

import pytest
from django.template import Context, Template
from django.urls import reverse

from accounts.models import User
from accounts.services import user_set_roles
from partnership.navigation import navigation_for, navigation_html
from partnership.roles import Role
from tests.cases.conftest import client_for

pytestmark = pytest.mark.django_db

# base.html's loop before issue 15 (the reference).
TEMPLATE_LOOP = """{% for item in primary_navigation %}
<li class="moj-primary-navigation__item">
<a class="moj-primary-navigation__link" href="{{ item.href }}"{% if item.active %} aria-current="page"{% endif %}>{{ item.text }}</a>
</li>{% endfor %}"""  # noqa: E501


def _squeezed(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


def _nav(html: str) -> set[str]:
    nav = html.split('aria-label="Primary navigation"', 1)[1].split("</nav>", 1)[0]
    return set(re.findall(r'class="moj-primary-navigation__link" href="[^"]*"[^>]*>([^<]+)<', nav))


@pytest.mark.parametrize("path", ["/", "/cases/referrals/", "/cases/referrals/12/", "/nowhere/"])
def test_the_written_navigation_is_the_template_loop(
    cfs_practitioner: User, vap_chair: User, path: str
) -> None:
    for user in (cfs_practitioner, vap_chair):
        expected = Template(TEMPLATE_LOOP).render(
            Context({"primary_navigation": navigation_for(user, path)})
        )
        assert _squeezed(navigation_html(user, path)) == _squeezed(expected)


def test_a_change_of_role_or_agency_shows_on_the_next_page(
    cfs_practitioner: User, make_user: Callable[..., User]
) -> None:
    client = client_for(cfs_practitioner)
    home = reverse("home")
    before = _nav(client.get(home, follow=True).content.decode())
    assert {"Referrals", "Young people"} <= before and "Reports" not in before
    user_set_roles(actor=None, user=cfs_practitioner, roles=[Role.COMMITTEE_CLERK])
    after = _nav(client.get(home, follow=True).content.decode())
    assert "Reports" in after and not {"Referrals", "Young people"} & after
    # Back to practitioner, then without an agency: a case worker needs one.
    user_set_roles(actor=None, user=cfs_practitioner, roles=[Role.PRACTITIONER])
    assert "Referrals" in _nav(client.get(home, follow=True).content.decode())
    cfs_practitioner.agency = None
    cfs_practitioner.save()
    fresh = User.objects.get(pk=cfs_practitioner.pk)
    assert "Referrals" not in {entry["text"] for entry in navigation_for(fresh, "/")}


def test_users_side_by_side_get_their_own_entries(
    cfs_practitioner: User, vap_chair: User, make_user: Callable[..., User]
) -> None:
    ig_officer = make_user("cfs", Role.IG_OFFICER)
    seen: dict[int, set[frozenset[object]]] = {}
    for _ in range(2):  # the second round is served from the cache
        for user in (cfs_practitioner, vap_chair, ig_officer):
            seen.setdefault(user.pk, set()).add(
                frozenset(entry["text"] for entry in navigation_for(user, "/"))
            )
    assert all(len(kinds) == 1 for kinds in seen.values())
    practitioner, chair, officer = (
        next(iter(seen[user.pk])) for user in (cfs_practitioner, vap_chair, ig_officer)
    )
    assert "Referrals" in practitioner and "Referrals" not in chair | officer
    assert "Access log" in officer and "Access log" not in practitioner | chair
