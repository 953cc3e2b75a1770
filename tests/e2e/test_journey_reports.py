"""Journey 3: a committee clerk asks for the CCPC report, watches it being made (the page
follows the Celery worker without a reload by hand), and downloads the PDF."""

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
    status = row.locator(".govuk-tag")
    seen = {status.inner_text().strip()}
    assert any(
        label.split()[0] in {"Queued", "Computing", "Rendering", "Ready"} for label in seen
    ), seen
    screenshot(page, "journey3-1-report-queued")
    # The page polls the status and reloads itself once the worker has finished.
    download_link = page.locator("main a[href$='/download']").first
    for _ in range(120):
        if download_link.count():
            break
        seen.add(page.locator(".govuk-tag").first.inner_text().strip())
        page.wait_for_timeout(500)
    assert download_link.count(), f"report never became ready; statuses seen: {seen}"
    assert_accessible(page, "reports page with a ready report")
    screenshot(page, "journey3-2-report-ready")

    with page.expect_download() as download_info:
        download_link.click()
    pdf_bytes = open(download_info.value.path(), "rb").read()  # noqa: SIM115, PTH123
    assert pdf_bytes.startswith(b"%PDF")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf_bytes)).pages)
    assert "Child Care and Protection Committee" in text
    assert period in text
