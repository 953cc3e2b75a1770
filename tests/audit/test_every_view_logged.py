"""Every page that shows, prints or exports a record puts the view on the access log.

Walks the URL resolver (tests/urlwalk.py) through the project's authorization matrix
(tests/security/authorization.py, which declares every URL with a real object and who may
open it): each read page is opened by a persona who may, and must have written an access
event for that persona. A new detail, history, chronology, print or export URL is walked
automatically; if its view does not log, this fails.
"""

import re

import pytest
from django.test import Client

from audit.models import AccessEvent
from tests.security.authorization import SIGNED_IN, matrix
from tests.security.test_authorization_matrix import world  # noqa: F401 - the fixture
from tests.urlwalk import project_routes

pytestmark = pytest.mark.django_db

# Pages that open a record (or a set of records) for reading or taking away.
READ_PAGE = re.compile(
    r"(detail|history|chronology|network|access_log|access_audit|export|download|pdf|json|csv"
    r"|print)"
)
# Read pages of no record: status polls, the app's own log pages are covered elsewhere.
NOT_A_RECORD = frozenset({"performance:report_status"})
# Namespaces with a matrix and access-log tests of their own (the API answers 401 rather than
# a sign-in page, and logs each record of a page: tests/api/; imports: tests/imports/).
OWN_MATRIX = ("api:", "imports:")


def read_routes() -> list[str]:
    return sorted(
        route.name
        for route in project_routes()
        if READ_PAGE.search(route.name)
        and route.name not in NOT_A_RECORD
        and not route.name.startswith(OWN_MATRIX)
    )


def test_the_walk_finds_the_pages_it_must() -> None:
    names = read_routes()
    for expected in ("cases:young_person_detail", "maog:allegation_history", "cases:chronology"):
        assert expected in names


def test_every_read_page_logs_the_view(world: dict) -> None:  # noqa: F811
    rows = matrix()
    failures: list[str] = []
    walked = 0
    for name in read_routes():
        row = rows[name]
        persona = next((p for p in SIGNED_IN if row.get[p] == 200), None)
        if persona is None:
            continue  # nobody in the world may open it (e.g. the IG officer's pages)
        user = world["people"][persona]
        client = Client()
        client.force_login(user)
        before = AccessEvent.objects.filter(user=user).count()
        response = client.get(row.url(world))
        if response.status_code != 200:
            failures.append(f"{name}: {response.status_code} for {persona}")
        elif AccessEvent.objects.filter(user=user).count() == before:
            failures.append(f"{name}: opened by {persona} and not logged")
        walked += 1
    assert walked >= 20, walked
    assert not failures, "\n".join(failures)
