"""The plan page, the item page and the CSV export."""

import csv
import io
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from actions import selectors, services
from actions.models import ActionItem, ProgressUpdate, RagStatus
from audit.models import AccessEvent
from partnership.periods import Period, current_period

pytestmark = pytest.mark.django_db

# roles, editable items, activity counts (one statement), items (annotated), lead agencies,
# recent updates, agencies for the filter
PLAN_SELECTOR_QUERIES = 7


def _row(page: str, number: int) -> str:
    return page.split(f'id="item-{number}"')[1].split("</tr>")[0]


def _write(item_number: int, period: Period, status: str, author: User) -> ProgressUpdate:
    return ProgressUpdate.objects.create(
        item=ActionItem.objects.get(number=item_number),
        period=period.code,
        status=status,
        narrative="n",
        remedial_action="r",
        author=author,
        author_agency_id=author.agency_id,
        submitted_at=period.end_datetime_exclusive(),
    )


def test_vap_chair_sees_fourteen_items_with_leads_statuses_and_overdue_flags(
    client: Client, vap_chair: User
) -> None:
    closed = current_period().previous()
    for number in range(1, 15):
        if number not in (4, 9):  # 4 and 9 have no update for the period that closed
            _write(number, closed, RagStatus.AMBER if number == 5 else RagStatus.GREEN, vap_chair)
    client.force_login(vap_chair)
    page = client.get(reverse("actions:plan")).content.decode()
    assert len(re.findall(r'id="item-\d+"', page)) == 14
    assert "Barnardo’s and Education" in page and "Police Scotland" in page
    assert "govuk-tag--orange" in _row(page, 5) and "Amber" in _row(page, 5)
    assert "govuk-tag--green" in _row(page, 1)
    overdue = [n for n in range(1, 15) if "app-overdue" in _row(page, n)]
    assert overdue == [4, 9]
    assert "app-status-strip__cell--green" in _row(page, 1)


def test_item_past_its_target_date_and_not_complete_is_overdue(
    client: Client, vap_chair: User
) -> None:
    closed = current_period().previous()
    for number in range(1, 15):
        _write(number, closed, RagStatus.COMPLETE if number == 2 else RagStatus.GREEN, vap_chair)
    ActionItem.objects.filter(number__in=[1, 2]).update(target_date=closed.start)
    client.force_login(vap_chair)
    page = client.get(reverse("actions:plan")).content.decode()
    assert "app-overdue" in _row(page, 1)
    assert "app-overdue" not in _row(page, 2)  # complete items are never overdue


def test_filters_by_lead_agency_and_status(client: Client, vap_chair: User) -> None:
    closed = current_period().previous()
    _write(10, closed, RagStatus.RED, vap_chair)
    _write(3, closed, RagStatus.RED, vap_chair)
    client.force_login(vap_chair)
    barnardos = client.get(reverse("actions:plan"), {"agency": "barnardos"}).content.decode()
    assert re.findall(r'id="item-(\d+)"', barnardos) == ["1", "7", "10", "13"]
    red = client.get(reverse("actions:plan"), {"status": "red"}).content.decode()
    assert re.findall(r'id="item-(\d+)"', red) == ["3", "10"]
    both = client.get(reverse("actions:plan"), {"status": "red", "agency": "cfs"}).content.decode()
    assert re.findall(r'id="item-(\d+)"', both) == ["3"]
    overdue = client.get(reverse("actions:plan"), {"status": "overdue"}).content.decode()
    assert len(re.findall(r'id="item-\d+"', overdue)) == 12


def _plan_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("actions:plan")).status_code == 200
    return len(queries)


def test_plan_page_runs_a_constant_number_of_queries(
    client: Client, vap_chair: User, django_assert_num_queries
) -> None:
    client.force_login(vap_chair)
    period = current_period()
    for number in range(1, 11):
        _write(number, period.previous(), RagStatus.GREEN, vap_chair)
    few = _plan_queries(client)
    # Many more rows: every item, eight periods of updates, activity in every period.
    for back in range(0, 8):
        for number in range(1, 15):
            ProgressUpdate.objects.get_or_create(
                item=ActionItem.objects.get(number=number),
                period=period.previous(back).code,
                defaults={
                    "status": RagStatus.GREEN,
                    "narrative": "n",
                    "author": vap_chair,
                    "author_agency_id": vap_chair.agency_id,
                    "submitted_at": period.start_datetime(),
                },
            )
    assert ProgressUpdate.objects.count() >= 100
    many = _plan_queries(client)
    assert few == many
    # The selector's own share is pinned; the rest is the page shell (session, user, roles).
    fresh_user = User.objects.get(pk=vap_chair.pk)  # no cached roles
    with django_assert_num_queries(PLAN_SELECTOR_QUERIES):
        page = selectors.action_plan_page(user=fresh_user)
        assert len(page.rows) == 14


def test_item_page_shows_updates_in_order_and_a_readable_history(
    client: Client, vap_chair: User, cfs_manager: User
) -> None:
    item = ActionItem.objects.get(number=3)
    period = current_period()
    services.progress_update_save(
        actor=cfs_manager,
        item=item,
        period=period.previous(),
        status="amber",
        narrative="Earlier words.",
        remedial_action="Appoint a minute taker.",
    )
    update = services.progress_update_save(
        actor=cfs_manager, item=item, period=period, status="green", narrative="Later words."
    )
    services.progress_update_save(
        actor=vap_chair,
        item=item,
        period=period,
        status="complete",
        narrative="Later words.",
        expected_version=update.version,
    )
    client.force_login(vap_chair)
    page = client.get(reverse("actions:item_detail", args=[3])).content.decode()
    assert page.index("Earlier words.") < page.index("Later words.")
    assert "Appoint a minute taker." in page
    assert "Group meeting monthly with clear terms of reference and minutes" in page
    assert f"Update for {period.code} changed" in page
    assert "Status: Green → Complete" in page
    assert f"Update for {period.previous().code} written" in page
    assert "by Vap Persona" in page  # who made the change


def test_item_change_appears_in_the_history(client: Client, vap_chair: User) -> None:
    item = ActionItem.objects.get(number=8)
    item.target_date = current_period().end
    item._history_user = vap_chair
    item.save()
    client.force_login(vap_chair)
    page = client.get(reverse("actions:item_detail", args=[8])).content.decode()
    assert "Item changed" in page
    assert f"Target date: (blank) → {current_period().end.isoformat()}" in page


def test_indicator_item_shows_its_definition(client: Client, vap_chair: User) -> None:
    client.force_login(vap_chair)
    page = client.get(reverse("actions:item_detail", args=[5])).content.decode()
    assert "Indicator computed from case data (N4)" in page
    # Its figures and definition, not a placeholder (tests/actions/test_item_measures.py).
    assert 'data-indicator="N4"' in page and "definition version" in page
    assert "Number of reported allegations and number reported to COPFS" in page


def test_csv_export_sanitises_formulas_and_is_on_record(client: Client, vap_chair: User) -> None:
    period = current_period()
    services.progress_update_save(
        actor=vap_chair,
        item=ActionItem.objects.get(number=3),
        period=period,
        status="red",
        narrative='=HYPERLINK("http://evil.example","click")',
        remedial_action="@SUM(1+1)",
    )
    client.force_login(vap_chair)
    response = client.get(reverse("actions:plan_export"))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert len(rows) == 15 and rows[0][0] == "Number"
    row3 = rows[3]
    assert row3[0] == "3" and row3[6] == "Red"
    assert row3[11] == '\'=HYPERLINK("http://evil.example","click")'
    assert row3[12] == "'@SUM(1+1)"
    event = AccessEvent.objects.get(action=AccessEvent.Action.EXPORT)
    assert (event.user, event.detail["rows"]) == (vap_chair, 14)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+44", "'+44"),
        ("-2", "'-2"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain", "plain"),
        (None, ""),
        (3, "3"),
    ],
)
def test_csv_cell(value: object, expected: str) -> None:
    assert services.csv_cell(value) == expected
