"""Journey: an agency manager imports a spreadsheet of referrals with a bad row. They fix
nothing, import the valid rows, and download the rejected row with its reason, so nothing in
their file is lost."""

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.e2e.conftest import assert_accessible, screenshot, sign_in

pytestmark = pytest.mark.e2e

HEADINGS = [
    "Your reference",
    "First name",
    "Last name",
    "Date of birth",
    "Sex",
    "Date received",
    "Concerns",
    "Initial risk level",
]


def _spreadsheet() -> bytes:
    received = dt.datetime.now(ZoneInfo("Europe/London")).date() - dt.timedelta(days=10)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADINGS)
    writer.writerow(
        [
            "JRN-1",
            "Importa",
            "Journeyfile",
            "14/02/2012",
            "Female",
            f"{received:%d/%m/%Y}",
            "Seen with older men at the station",
            "Moderate",
        ]
    )
    writer.writerow(
        [
            "JRN-2",
            "Bad",
            "Riskvalue",
            "03/07/2011",
            "Male",
            f"{received:%d/%m/%Y}",
            "Missing overnight twice",
            "Extreme",
        ]
    )
    writer.writerow(
        [
            "JRN-3",
            "Importb",
            "Journeyfile",
            "09/09/2010",
            "Male",
            f"{received:%d/%m/%Y}",
            "Gifts from an unknown adult",
            "Significant",
        ]
    )
    return buffer.getvalue().encode()


def test_manager_imports_a_file_with_a_bad_row_and_downloads_it(new_page: Any) -> None:
    page = new_page()
    sign_in(page, "cfs.manager")
    with page.expect_navigation():
        page.click("nav a[href='/imports/']")  # the navigation offers imports to managers
    assert_accessible(page, "imports")
    if page.locator("select#id_kind").count():
        page.select_option("#id_kind", "referral")
    else:
        page.check("input[name=kind][value=referral]")
    page.set_input_files(
        "#id_file",
        files=[{"name": "referrals.csv", "mimeType": "text/csv", "buffer": _spreadsheet()}],
    )
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "Which column holds what?" in page.content()
    assert_accessible(page, "import columns")
    with page.expect_navigation():
        page.click("main button[type=submit]")  # the headings named every column

    assert page.inner_text("#total-rows") == "3"
    assert page.inner_text("#valid-rows") == "2"
    assert page.inner_text("#invalid-rows") == "1"
    rows = page.inner_text("#rows")
    assert "Extreme" in rows and "Use one of" in rows  # the error beside its cell
    assert_accessible(page, "import preview")
    screenshot(page, "journey-import-1-preview")

    with page.expect_navigation():
        page.click("button:has-text('Import 2 valid rows')")
    assert "2 records imported" in page.content()
    assert page.inner_text("#created-rows") == "2"
    assert_accessible(page, "import done")
    screenshot(page, "journey-import-2-imported")

    with page.expect_download() as download_info:
        page.click("a:has-text('Download rows not imported')")
    download = download_info.value
    assert download.suggested_filename.startswith("rejected-rows-")
    lines = list(csv.reader(io.StringIO(Path(download.path()).read_text())))
    assert lines[0] == ["Row", *HEADINGS, "Reasons"]
    assert len(lines) == 2  # the bad row, and only it
    bad = lines[1]
    assert bad[0] == "3" and bad[1:9] == [
        "JRN-2",
        "Bad",
        "Riskvalue",
        "03/07/2011",
        "Male",
        bad[6],
        "Missing overnight twice",
        "Extreme",
    ]
    assert bad[-1].startswith("Initial risk level: Use one of")
