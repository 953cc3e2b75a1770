"""Journey, keyboard only: the agency's information governance officer reviews the retention
queue, places a record on legal hold (reason, until when) and answers a subject access
request (finds the child by name, records the request, downloads the PDF and the JSON).
axe-core runs on every page visited."""

import datetime as dt
import json
import os
import subprocess
import sys
from typing import Any
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

import pytest

from tests.e2e.conftest import ROOT, assert_accessible, screenshot, sign_in_by_keyboard, tab_to
from tests.e2e.test_journey_cases import _choose_radio, _follow, _type_into

pytestmark = pytest.mark.e2e

# Three of CFS's demo children have come to their retention review (the demo's children are
# years from theirs); the demo's first CFS child is the subject of the request.
AGE_RECORDS = """
import datetime as dt, json
from cases.models import YoungPerson
due = dt.date.today() - dt.timedelta(days=30)
cfs = YoungPerson.objects.filter(owner_agency__code="cfs", looked_after=False).order_by("pk")
ids = list(cfs.values_list("pk", flat=True)[:3])
YoungPerson.objects.filter(pk__in=ids).update(review_date=due)
subject = cfs.exclude(pk__in=ids).first()
print(json.dumps({"due": ids, "first": subject.first_name, "last": subject.last_name,
                  "pk": subject.pk}))
"""


@pytest.fixture
def governance_world(e2e_server: str) -> dict[str, Any]:
    admin = urlparse(os.environ.get("DATABASE_URL", ""))
    database = os.environ.get("CSE_E2E_DATABASE", "cse_e2e")
    env = {
        **os.environ,
        "DATABASE_URL": admin._replace(path=f"/{database}").geturl(),
        "DJANGO_SETTINGS_MODULE": "cse_portal.settings.base",
        "SECRET_KEY": "e2e-only-secret-key-for-local-browser-tests",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DEBUG": "false",
    }
    done = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "shell", "-c", AGE_RECORDS],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _download(page: Any, selector: str) -> bytes:
    tab_to(page, selector)
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    path = info.value.path()
    assert path is not None
    with open(path, "rb") as downloaded:
        return downloaded.read()


def test_ig_officer_reviews_holds_and_answers_a_request_by_keyboard(
    new_page: Any, governance_world: dict[str, Any]
) -> None:
    page = new_page()
    sign_in_by_keyboard(page, "cfs.ig")
    assert_accessible(page, "IG officer home")
    _follow(page, "a[href='/governance/']")
    assert_accessible(page, "information governance")

    _follow(page, "a[href='/governance/retention/']")
    assert_accessible(page, "retention queue")
    screenshot(page, "journey-governance-1-retention-queue")
    held = governance_world["due"][0]
    checkbox = f"#record-cases\\.youngperson-{held}"
    tab_to(page, checkbox)
    page.keyboard.press("Space")
    assert page.is_checked(checkbox)
    # Open "Decide on the selected ... records" (a <details>) with the keyboard.
    tab_to(page, "form:has(input[value='cases.youngperson']) summary")
    page.keyboard.press("Enter")
    _choose_radio(page, "cases-youngperson-kind", "hold")
    _type_into(page, "#id_cases-youngperson-reason", "Scottish Child Abuse Inquiry request 14")
    until = dt.datetime.now(ZoneInfo("Europe/London")).date() + dt.timedelta(days=200)
    _type_into(page, "#id_cases-youngperson-hold_until_day", str(until.day))
    _type_into(page, "#id_cases-youngperson-hold_until_month", str(until.month))
    _type_into(page, "#id_cases-youngperson-hold_until_year", str(until.year))
    assert_accessible(page, "retention decision")
    _follow(page, "form:has(input[value='cases.youngperson']) button[type=submit]")
    assert "1 record decided" in page.content()
    row = page.locator("tr", has=page.locator(checkbox))
    assert f"Legal hold until {until.day} {until:%b %Y}" in " ".join(row.inner_text().split())
    assert_accessible(page, "retention queue after the hold")
    screenshot(page, "journey-governance-2-on-hold")

    _follow(page, "a[href='/governance/']")
    _follow(page, "a[href='/governance/subject-access/']")
    assert_accessible(page, "subject access request")
    _type_into(page, "#sar-name", f"{governance_world['first']} {governance_world['last']}")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_accessible(page, "subject found by name")
    _follow(page, f"a[href*='subject_id={governance_world['pk']}']")
    assert page.input_value("#id_subject_id") == str(governance_world["pk"])
    _follow(page, "main form[method=post] button[type=submit]")
    assert "Subject access request" in page.inner_text("h1")
    assert_accessible(page, "subject access request detail")
    screenshot(page, "journey-governance-3-request")

    pdf = _download(page, "a[href$='/report.pdf']")
    assert pdf.startswith(b"%PDF")
    report = json.loads(_download(page, "a[href$='/report.json']"))
    assert report["subject"]["id"] == governance_world["pk"]
    assert report["records"] and "redactions" in report

    _follow(page, "a[href='/governance/']")
    assert "Request " in page.inner_text("main")  # on the task list, with its due date
    assert_accessible(page, "task list with the request")
