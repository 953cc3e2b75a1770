"""Journey 4, keyboard only: a social worker logs a referral with the outcome IRD, records the
IRD with the police taking part and gives the police practitioner an action; the police
practitioner finds it in "My tasks" and completes it; the chronology for the case conference,
downloaded as CSV and PDF, holds the referral, the IRD and the completed action."""

import csv
import datetime as dt
import importlib
import io
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.e2e.conftest import assert_accessible, screenshot, sign_in_by_keyboard, tab_to
from tests.e2e.test_journey_cases import _choose_radio, _follow, _type_date, _type_into

pytestmark = pytest.mark.e2e

FIRST, LAST = "Skye", "Tabbington"
ACTION = "Run intelligence checks on the car seen outside the school gates."
DONE = "Checks run; the car is registered to a man already known to the MAOG."


def _choose_option(page: Any, selector: str, label_starts: str) -> None:
    """Focus a select with Tab and type the start of an option, as a keyboard user does."""
    tab_to(page, selector)
    page.keyboard.type(label_starts)
    chosen = page.evaluate("s => document.querySelector(s).selectedOptions[0].text", selector)
    assert chosen.startswith(label_starts), f"{selector}: {chosen!r}"


def _download(page: Any, selector: str) -> bytes:
    tab_to(page, selector)
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    path = info.value.path()
    with open(path, "rb") as handle:
        return handle.read()


def _log_referral_with_outcome_ird(page: Any, today: dt.date) -> None:
    _follow(page, "a[href$='/young-people/find/?for=referral']")
    _type_into(page, "#id_first_name", FIRST)
    _type_into(page, "#id_last_name", LAST)
    _type_date(page, "id_date_of_birth", today.replace(year=today.year - 13))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    _follow(page, "a[href*='/referrals/new/']")
    tab_to(page, "#id_yp-sex")
    page.keyboard.type("Female")
    _type_date(page, "id_referral-received_on", today)
    _type_into(page, "#id_referral-concerns", "Collected from school by an older man in a car.")
    _choose_radio(page, "referral-initial_risk_level", "significant")
    _choose_option(page, "#id_referral-outcome", "Inter-agency Referral Discussion")
    _type_date(page, "id_referral-outcome_date", today)
    _follow(page, "main button[type=submit]")
    assert "Referral logged" in page.content(), page.inner_text("main")[:800]


def _record_ird(page: Any, today: dt.date, police_label: str) -> None:
    _follow(page, "a[href$='/irds/new/']")
    assert_accessible(page, "IRD form")
    _type_date(page, "id_held_at", today, "00:05")
    _choose_option(page, "#id_referral", "Referral")
    _type_into(page, "#id_concerns", "Older man collecting her from school; new phone.")
    _choose_radio(page, "decision", "joint")
    _type_into(page, "#id_reasons", "Police and social work hold information that fits CSE.")
    tab_to(page, "#id_chronology_considered")
    page.keyboard.press("Space")
    _choose_option(page, "#id_participants-0-agency", "Police Scotland")
    _type_into(page, "#id_participants-0-name", police_label.split(" (")[0])
    _type_into(page, "#id_participants-0-information_summary", "Car seen twice at the school.")
    screenshot(page, "journey4-1-ird-form")
    _follow(page, "main button[type=submit]")
    assert "IRD recorded" in page.content(), page.inner_text("main")[:800]
    assert_accessible(page, "IRD detail")

    _follow(page, "main a[href$='/actions/new/']")
    _type_into(page, "#id_description", ACTION)
    _choose_option(page, "#id_agency", "Police Scotland")
    _choose_option(page, "#id_assigned_to", police_label)
    _type_date(page, "id_due_on", today + dt.timedelta(days=7))
    assert_accessible(page, "action form")
    _follow(page, "main button[type=submit]")
    assert "Action added" in page.content(), page.inner_text("main")[:800]
    assert ACTION in page.content()


def _complete_in_my_tasks(page: Any) -> None:
    sign_in_by_keyboard(page, "police.practitioner")
    assert page.locator("[data-testid=my-tasks-count]").inner_text().strip() != "0"
    _follow(page, "a[href$='/casework/my-tasks/']")
    assert_accessible(page, "my tasks")
    screenshot(page, "journey4-2-my-tasks")
    assert ACTION in page.inner_text("main")
    # The demo gives this practitioner other actions too: Tab to the link of this one.
    href = page.evaluate(
        "text => [...document.querySelectorAll('main [data-testid=task-table] a')]"
        ".find(a => a.textContent.trim() === text).getAttribute('href')",
        ACTION,
    )
    _follow(page, f"main a[href='{href}']")
    assert ACTION in page.inner_text("main")
    _follow(page, "main a[href$='/complete/']")
    assert_accessible(page, "complete action form")
    _type_into(page, "#id_note", DONE)
    _follow(page, "main button[type=submit]")
    assert "Action completed" in page.content()
    assert "/casework/my-tasks/" in page.url
    assert ACTION not in page.inner_text("main")  # done: off the list


def test_ird_action_from_referral_to_conference_chronology(new_page: Any) -> None:
    today = dt.datetime.now(ZoneInfo("Europe/London")).date()
    page = new_page()
    sign_in_by_keyboard(page, "cfs.practitioner")
    _log_referral_with_outcome_ird(page, today)
    _follow(page, ".govuk-inset-text a[href*='/young-people/']")
    record_url = page.url
    _record_ird(page, today, _police_practitioner_label())

    colleague = new_page()
    _complete_in_my_tasks(colleague)

    page.goto(record_url)
    _follow(page, "a[href$='/conference-chronology/']")
    assert_accessible(page, "conference chronology")
    main = page.inner_text("main")
    assert "Inter-agency Referral Discussion: Joint investigation" in main
    assert f"IRD action completed: {ACTION}" in main
    screenshot(page, "journey4-3-conference-chronology")

    rows = list(csv.reader(io.StringIO(_download(page, "[data-testid=export-csv]").decode())))
    kinds = {row[1] for row in rows[1:]}
    assert {"Referral", "IRD", "IRD action"} <= kinds, kinds
    completed = [row for row in rows if row[1] == "IRD action"]
    assert completed[0][2] == f"IRD action completed: {ACTION}"
    assert DONE in completed[0][3]

    pdf = _download(page, "[data-testid=export-pdf]")
    assert pdf.startswith(b"%PDF")
    text = _pdf_text(pdf)
    assert "OFFICIAL-SENSITIVE" in text
    assert "Joint investigation" in text
    assert "IRD action completed" in text


def _police_practitioner_label() -> str:
    """How the action form names police.practitioner: the demo's names are given in the order
    of accounts.demo.demo_users (two accounts per agency, agencies by code)."""
    from accounts.demo import DEMO_FIRST_NAMES, DEMO_LAST_NAMES

    agencies = importlib.import_module("partnership.migrations.0002_reference_data").AGENCIES
    index = 2 * sorted(code for code, *_ in agencies).index("police")
    first = DEMO_FIRST_NAMES[index % len(DEMO_FIRST_NAMES)]
    last = DEMO_LAST_NAMES[index % len(DEMO_LAST_NAMES)]
    return f"{first} {last} (Police Scotland)"


def _pdf_text(pdf: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
