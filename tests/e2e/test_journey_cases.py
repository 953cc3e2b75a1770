"""Journey 1, keyboard only: a practitioner searches, creates a young person with a referral,
records a missing episode and sees both in the chronology. A colleague in another agency
cannot find the child until a manager shares the case."""

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.e2e.conftest import assert_accessible, screenshot, sign_in, sign_in_by_keyboard, tab_to

pytestmark = pytest.mark.e2e

FIRST, LAST = "Rowan", "Keyboardson"


def _type_into(page: Any, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.type(text)


def _type_date(page: Any, prefix: str, day: dt.date, time: str | None = None) -> None:
    _type_into(page, f"#{prefix}_day", str(day.day))
    _type_into(page, f"#{prefix}_month", str(day.month))
    _type_into(page, f"#{prefix}_year", str(day.year))
    if time:
        _type_into(page, f"#{prefix}_time", time)


def _choose_radio(page: Any, name: str, value: str) -> None:
    """Tab into a radio group, then move with the arrow keys to the wanted option."""
    tab_to(page, f"input[type=radio][name='{name}']")
    for _ in range(12):
        if page.evaluate("s => document.activeElement.value === s", value):
            page.keyboard.press("Space")
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"no radio {name}={value}")


def _follow(page: Any, selector: str) -> None:
    tab_to(page, selector)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_practitioner_journey_by_keyboard_and_sharing(new_page: Any) -> None:
    page = new_page()
    sign_in_by_keyboard(page, "cfs.practitioner")
    assert_accessible(page, "home")
    screenshot(page, "journey1-1-my-work")

    _follow(page, "a[href$='/young-people/find/?for=referral']")
    assert_accessible(page, "find young person")
    today = dt.datetime.now(ZoneInfo("Europe/London")).date()
    date_of_birth = today - dt.timedelta(days=14 * 365 + 40)
    _type_into(page, "#id_first_name", FIRST)
    _type_into(page, "#id_last_name", LAST)
    _type_date(page, "id_date_of_birth", date_of_birth)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "No young person your agency can see matches" in page.content()
    assert_accessible(page, "search results")

    _follow(page, "a[href*='/referrals/new/']")
    assert page.input_value("#id_yp-first_name") == FIRST  # carried from the search
    tab_to(page, "#id_yp-sex")
    page.keyboard.type("Female")
    _type_date(page, "id_referral-received_on", today)
    _type_into(page, "#id_referral-concerns", "Picked up from school by unknown adults in cars.")
    _choose_radio(page, "referral-initial_risk_level", "significant")
    assert_accessible(page, "referral form")
    screenshot(page, "journey1-2-referral-form")
    _follow(page, "main button[type=submit]")
    assert "Referral logged" in page.content()
    assert_accessible(page, "referral detail")

    _follow(page, ".govuk-inset-text a[href*='/young-people/']")
    assert_accessible(page, "young person record")
    _follow(page, "a[href$='/missing/new/']")
    # Times before now, whatever the hour the test runs at: a located time later than
    # now is refused by the form (CI once ran this at 01:30 against "today, 03:40").
    located_at = dt.datetime.now(ZoneInfo("Europe/London")).replace(second=0, microsecond=0)
    located_at -= dt.timedelta(hours=1)
    missing_from = located_at - dt.timedelta(hours=5, minutes=25)
    _type_date(page, "id_missing_from", missing_from.date(), missing_from.strftime("%H:%M"))
    _type_date(page, "id_located_at", located_at.date(), located_at.strftime("%H:%M"))
    _choose_radio(page, "category", "missing_high")
    tab_to(page, "#id_placement_type")
    page.keyboard.type("Residential")
    _type_into(page, "#id_where_found", "A flat in the city centre")
    assert_accessible(page, "missing episode form")
    _follow(page, "main button[type=submit]")
    assert "Missing episode recorded" in page.content()

    _follow(page, "a[href$='/chronology/']")
    content = page.content()
    assert "Referral received from" in content
    assert "Reported missing: high risk" in content
    assert "Significant" in content
    assert_accessible(page, "chronology")
    screenshot(page, "journey1-3-chronology")
    record_url = page.url.replace("chronology/", "")

    colleague = new_page()
    sign_in(colleague, "police.practitioner")
    colleague.goto(f"/cases/young-people/find/?searched=1&last_name={LAST}")
    assert "No young person your agency can see matches" in colleague.content()
    assert colleague.goto(record_url).status == 404

    manager = new_page()
    sign_in(manager, "cfs.manager")
    manager.goto(record_url + "share/")
    manager.select_option("#id_agency", label="Police Scotland")
    manager.check("input[name=lawful_basis][value=child_protection]")
    manager.fill("#id_reason", "Police enquiry into adults seen collecting children from school.")
    assert_accessible(manager, "share form")
    with manager.expect_navigation():
        manager.click("main button[type=submit]")
    assert "Case shared with Police Scotland" in manager.content()

    colleague.goto(f"/cases/young-people/find/?searched=1&last_name={LAST}")
    assert f"{FIRST} {LAST}" in colleague.content()
    assert colleague.goto(record_url).status == 200
