"""Journey 3: a committee clerk asks for the CCPC report and watches it being made (the page
follows the Celery worker without a reload by hand); the VAP chair writes its key messages,
submits it and signs it off; the clerk publishes it and downloads the published PDF."""

import io
from typing import Any

import pytest

from tests.e2e.conftest import assert_accessible, screenshot, sign_in

pytestmark = pytest.mark.e2e


def test_clerk_asks_for_a_ccpc_report_and_downloads_it(new_page: Any) -> None:
    from pypdf import PdfReader

    page = new_page()
    sign_in(page, "clerk")
    assert "/performance/reports/" in page.url
    assert_accessible(page, "reports page")
    page.select_option("#id_committee", label="Child Care and Protection Committee")
    period = page.eval_on_selector("#id_period", "select => select.value")
    with page.expect_navigation():
        page.click("main button[type=submit]")

    row = page.locator("main table tbody tr", has_text="Child Care and Protection Committee").first
    status = row.locator(".govuk-tag").first  # (the second is the stage: Draft)
    seen = {status.inner_text().strip()}
    assert any(
        label.split()[0] in {"Queued", "Computing", "Rendering", "Ready"} for label in seen
    ), seen
    screenshot(page, "journey3-1-report-queued")
    # The page polls the status and reloads itself once the worker has finished: a draft.
    for _ in range(120):
        label = row.locator(".govuk-tag").first.inner_text().strip()
        seen.add(label)
        if label.startswith("Ready"):
            break
        page.wait_for_timeout(500)
    assert label.startswith("Ready"), f"report never became ready; statuses seen: {seen}"
    assert "Draft" in row.inner_text()
    # A draft is not the clerk's to download.
    assert row.locator("a[href$='/download']").count() == 0
    assert_accessible(page, "reports page with a draft")
    screenshot(page, "journey3-2-report-draft")

    # The VAP chair writes the key messages, submits and signs off.
    chair = new_page()
    sign_in(chair, "vap.chair")
    chair.goto("/performance/reports/")
    chair_row = chair.locator(
        "main table tbody tr", has_text="Child Care and Protection Committee"
    ).first
    chair_row.locator("textarea[name=key_messages]").fill(
        "Referrals rose this half-year; return discussions within 72 hours improved."
    )
    with chair.expect_navigation():
        chair_row.locator("button", has_text="Save").click()
    for step in ("Submit for sign-off", "Sign off"):
        chair_row = chair.locator(
            "main table tbody tr", has_text="Child Care and Protection Committee"
        ).first
        with chair.expect_navigation():
            chair_row.locator("button", has_text=step).click()
    assert "Signed off" in chair.locator("main table tbody tr").first.inner_text()
    assert_accessible(chair, "reports page after sign-off")
    screenshot(chair, "journey3-3-signed-off")

    # The clerk publishes the signed-off version, then downloads it.
    page.reload()
    row = page.locator("main table tbody tr", has_text="Child Care and Protection Committee").first
    with page.expect_navigation():
        row.locator("button", has_text="Publish").click()
    row = page.locator("main table tbody tr", has_text="Child Care and Protection Committee").first
    download_link = row.locator("a[href$='/download']")
    assert download_link.count() == 1
    assert_accessible(page, "reports page with a published report")
    screenshot(page, "journey3-4-report-published")

    with page.expect_download() as download_info:
        download_link.click()
    pdf_bytes = open(download_info.value.path(), "rb").read()  # noqa: SIM115, PTH123
    assert pdf_bytes.startswith(b"%PDF")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf_bytes)).pages)
    assert "Child Care and Protection Committee" in text
    assert period in text
    assert "DRAFT" not in text
    assert "return discussions within 72 hours improved" in " ".join(text.split())
