"""Journey 2: the VAP chair opens the action plan, records a red update with a remedial
action, and sees the item turn red on the plan."""

from typing import Any

import pytest

from tests.e2e.conftest import assert_accessible, screenshot, sign_in

pytestmark = pytest.mark.e2e
ITEM = 6  # Crown Office: prosecutions


def test_vap_chair_records_a_red_update(new_page: Any) -> None:
    page = new_page()
    sign_in(page, "vap.chair")
    assert "/action-plan/" in page.url
    assert page.locator("table tbody tr[id^=item-]").count() == 14
    assert_accessible(page, "action plan")
    screenshot(page, "journey2-1-action-plan")

    with page.expect_navigation():
        page.click(f"#item-{ITEM} a[href$='/items/{ITEM}/']")
    assert_accessible(page, "item page")
    with page.expect_navigation():
        page.click("main a.govuk-button[href*='/updates/']")
    page.check("input[name=status][value=red]")
    page.fill(
        "textarea[name=narrative]", "Two cases reported in the period; neither prosecuted yet."
    )
    with page.expect_navigation():
        page.click("main button[type=submit]")
    # Red without a remedial action is refused, with the message by the field.
    assert page.locator(".govuk-form-group--error textarea[name=remedial_action]").count() == 1
    assert page.input_value("textarea[name=narrative]").startswith("Two cases")
    assert_accessible(page, "update form with an error")
    page.fill(
        "textarea[name=remedial_action]",
        "Procurator Fiscal to review both cases with police by the end of next month.",
    )
    screenshot(page, "journey2-2-red-update")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "saved" in page.content()

    page.goto("/action-plan/")
    row = page.locator(f"#item-{ITEM}")
    assert "Red" in row.inner_text()
    assert row.locator(".govuk-tag--red").count() >= 1
    assert_accessible(page, "action plan after update")
