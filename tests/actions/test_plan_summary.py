"""Issue 19, item 6: the chair's summary at the top of the plan, each figure a filter link
that lists exactly the items it counts, and a status strip that does not rest on colour."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from actions.models import RagStatus
from partnership.periods import current_period
from tests.actions.test_plan import _row, _write

pytestmark = pytest.mark.django_db


def _summary(page: str) -> dict[str, tuple[int, str]]:
    block = page.split('class="govuk-list app-plan-summary"')[1].split("</ul>")[0]
    entries = re.findall(
        r'href="\?status=([a-z_]+)".*?app-plan-summary__count">(\d+)</span>\s*'
        r'<span class="app-plan-summary__label">([^<]+)</span>',
        block,
        flags=re.S,
    )
    return {label: (int(count), status) for status, count, label in entries}


def test_summary_counts_match_the_items_each_link_lists(client: Client, vap_chair: User) -> None:
    closed = current_period().previous()
    statuses = {1: RagStatus.RED, 2: RagStatus.RED, 3: RagStatus.AMBER, 5: RagStatus.COMPLETE}
    for number in range(1, 15):
        if number in (4, 9):
            continue  # no update for the closed period
        _write(number, closed, statuses.get(number, RagStatus.GREEN), vap_chair)
    client.force_login(vap_chair)
    page = client.get(reverse("actions:plan")).content.decode()
    summary = _summary(page)
    assert summary["Red"][0] == 2
    assert summary["Amber"][0] == 1
    assert summary["Complete"][0] == 1
    assert summary["Green"][0] == 8
    assert summary["Not started"][0] == 2  # the two without any update
    assert summary["No update for the closed period"][0] == 2
    assert summary["Overdue"][0] == 2
    # Every figure is a link to the filtered plan that shows exactly that many items.
    for label, (count, status) in summary.items():
        listed = client.get(reverse("actions:plan"), {"status": status}).content.decode()
        assert len(re.findall(r'id="item-\d+"', listed)) == count, label


def test_status_strip_carries_a_letter_as_well_as_a_colour(client: Client, vap_chair: User) -> None:
    closed = current_period().previous()
    _write(1, closed, RagStatus.AMBER, vap_chair)
    client.force_login(vap_chair)
    row = _row(client.get(reverse("actions:plan")).content.decode(), 1)
    assert re.search(r'app-status-strip__cell--amber"[^>]*>A</span>', row)
    assert re.search(r'app-status-strip__cell--not_started"[^>]*>–</span>', row)
