"""Issue 19, item 9: the dashboard leads with a table of this period against the last, each
change in words; charts of a rate plot the rate; a period not yet over is marked as partial,
in the table and in every chart, and never drawn as a whole period."""

import datetime as dt
import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from partnership.periods import current_period, period_from_code
from performance.selectors import NOT_AVAILABLE, NOT_COMPARED_PARTIAL, compare
from tests import factories as f

pytestmark = pytest.mark.django_db
SVG = re.compile(r"<svg\b.*?</svg>", re.S)


def _referrals(days: list[dt.date]) -> None:
    for day in days:
        f.ReferralFactory(received_on=day)


def _page(client: Client, user: User, period: str | None = None) -> str:
    client.force_login(user)
    url = reverse("performance:dashboard") + (f"?period={period}" if period else "")
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _summary(page: str) -> dict[str, list[str]]:
    """The first this-against-last table: its cells by indicator id."""
    table = re.search(r'<table class="govuk-table app-dashboard-summary">(.*?)</table>', page, re.S)
    assert table is not None, "the dashboard leads with the comparison table"
    rows = {}
    for row in re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", table.group(1), re.S):
        cells = [
            html.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
            for cell in re.findall(r"<t[hd]\b[^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        rows[cells[0].split()[0]] = cells[1:]
    return rows


def test_a_table_of_this_period_against_the_last_leads_the_page(
    vap_chair: User, client: Client
) -> None:
    last, this = period_from_code("2024-25-H2"), period_from_code("2025-26-H1")
    _referrals([last.start, last.end])
    _referrals([this.start, this.start, this.end, this.end + dt.timedelta(days=-1)])
    page = _page(client, vap_chair, this.code)
    summary = _summary(page)
    assert summary["Indicator"] == ["Measure", "2024-25-H2", "2025-26-H1", "Change"]
    assert summary["N1"] == ["Referrals received", "2", "4", "Up 2"]
    assert page.index("app-dashboard-summary") < page.index('class="app-chart')
    # Each indicator in the table links to its detail (chart and every figure by period).
    assert 'href="#1-N1-heading"' in page and 'id="1-N1-heading"' in page
    # A whole period: nothing marked partial, every chart drawn solid to its last point.
    assert "Partial period" not in page and "so far" not in page
    for svg in SVG.findall(page):
        assert "stroke-dasharray" not in svg and 'fill="#ffffff"' not in svg


def test_a_fall_and_no_change_are_said_in_words(vap_chair: User, client: Client) -> None:
    last, this = period_from_code("2024-25-H2"), period_from_code("2025-26-H1")
    _referrals([last.start] * 3)
    _referrals([this.start])
    summary = _summary(_page(client, vap_chair, this.code))
    assert summary["N1"][-1] == "Down 2"
    # No one reported missing in either period: the rate is not a number, not "No change".
    assert summary["N6"][0] == "Repeat missing rate"
    assert summary["N6"][-1] == NOT_AVAILABLE


def test_the_current_period_is_marked_partial_and_its_counts_not_compared(
    vap_chair: User, client: Client
) -> None:
    this = current_period()
    _referrals([this.previous().start] * 6)
    _referrals([this.start])
    page = _page(client, vap_chair)
    assert "Partial period" in page
    assert f'href="?period={this.previous().code}"' in page  # the last complete period
    summary = _summary(page)
    assert summary["Indicator"][2] == f"{this.code} (so far)"
    assert summary["N1"][1:] == ["6", "1", NOT_COMPARED_PARTIAL]  # never "Down 5"
    assert f"{this.code} (so far)</th>" in page  # the per-period tables too
    charts = SVG.findall(page)
    assert charts
    for svg in charts:
        assert "so far" in svg and "is not over" in svg
        # The last point is hollow and reached by a dashed line; the solid line stops before.
        assert svg.count('fill="#ffffff"') <= 1
        assert "stroke-dasharray" in svg or "Not shown" in svg or "No figures" in svg
        for points in re.findall(r'<polyline points="([^"]+)"', svg):
            assert len(points.split()) <= 3


def test_a_rate_is_charted_as_the_rate(vap_chair: User, client: Client) -> None:
    page = _page(client, vap_chair, "2025-26-H1")
    # N6 and N7 are rates: their charts plot the percentage, not the number of young people
    # or episodes it is taken of.
    assert "N6 Repeat missing rate: trend" in page
    assert "N7 Percentage of episodes with a discussion within target: trend" in page
    assert "N6 Young people reported missing: trend" not in page
    assert "Repeat missing rate (%), by period" in page


def test_the_managers_published_figures_are_marked_partial_too(
    cfs_manager: User, client: Client
) -> None:
    page = _page(client, cfs_manager)
    assert "Partial period" in page
    sections = page.split('<h2 class="govuk-heading-l">')
    assert len(sections) == 3  # the agency's exact figures, the partnership's published ones
    for section in sections[1:]:
        for svg in SVG.findall(section):
            assert "so far" in svg


@pytest.mark.parametrize(
    ("kind", "last", "this", "partial", "expected"),
    [
        ("count", 4, 7, False, "Up 3"),
        ("count", 7, 4, False, "Down 3"),
        ("count", 4, 4, False, "No change"),
        ("count", 40, 4, True, NOT_COMPARED_PARTIAL),
        ("percent", 50.0, 47.5, False, "Down 2.5 percentage points"),
        ("percent", 50.0, 51.0, True, "Up 1 percentage point so far"),
        ("percent", None, 51.0, False, NOT_AVAILABLE),
        ("count", 3, None, False, NOT_AVAILABLE),
    ],
)
def test_change_in_words(
    kind: str, last: float | None, this: float | None, partial: bool, expected: str
) -> None:
    assert compare(kind=kind, last=last, this=this, partial=partial) == expected
