"""Issue 19, item 8: lists people can work from. Page numbers in a GOV.UK pagination, the
count above the table, a sort indicator on the sorted column, the filters open, and a child
who is still missing tagged."""

import re

import pytest
from django.urls import reverse

from cases.models import MissingEpisode
from govuk_forms.templatetags.govuk_pagination import page_numbers
from tests.cases.conftest import client_for
from tests.cases.test_query_counts import _make_rows

pytestmark = pytest.mark.django_db


class _Page:
    def __init__(self, number: int, pages: int) -> None:
        self.number = number
        self.paginator = type("P", (), {"num_pages": pages})()


@pytest.mark.parametrize(
    ("number", "pages", "shown"),
    [
        (1, 1, [1]),
        (1, 3, [1, 2, 3]),
        (1, 40, [1, 2, None, 40]),
        (5, 40, [1, None, 4, 5, 6, None, 40]),
        (40, 40, [1, None, 39, 40]),
        (3, 40, [1, 2, 3, 4, None, 40]),
    ],
)
def test_page_numbers(number: int, pages: int, shown: list) -> None:
    assert page_numbers(_Page(number, pages)) == shown


def test_a_list_with_numbered_pages_count_first_sort_shown_and_still_missing_tagged(
    cfs_practitioner,
) -> None:
    _make_rows(80, cfs_practitioner)
    MissingEpisode.objects.filter(pk=MissingEpisode.objects.order_by("-missing_from")[0].pk).update(
        located_at=None
    )
    client = client_for(cfs_practitioner)
    url = reverse("cases:missing_list")
    page = client.get(url, {"page": 2, "sort": "-missing"}).content.decode()
    # The count comes before the table.
    assert page.index("app-list-count") < page.index('<table class="govuk-table')
    assert "80 records · page 2 of 4" in page
    # Numbered pages, the current one marked.
    nav = page.split('class="govuk-pagination"')[1].split("</nav>")[0]
    assert re.findall(r'aria-label="Page (\d+)"', nav) == ["1", "2", "3", "4"]
    assert 'aria-label="Page 2" aria-current="page"' in nav
    # The sorted column says so (the arrow is drawn from aria-sort), the others are sortable.
    assert re.search(r'aria-sort="descending"><a[^>]*>Reported missing<', page)
    assert re.search(r'aria-sort="none"><a[^>]*>Young person<', page)
    # Filters open; the child still missing is tagged (on page 1, newest first).
    assert '<details class="govuk-details" open>' in page
    first = client.get(reverse("cases:missing_list"), {"sort": "-missing"}).content.decode()
    assert '<strong class="govuk-tag govuk-tag--red">Still missing</strong>' in first


def test_the_young_people_list_shows_risk_levels_by_label(cfs_practitioner, young_person) -> None:
    """Issue 19, item 2: "Not_at_risk" leaked as a code; the list says "Not at risk"."""
    import datetime as dt

    from django.utils import timezone

    from cases import services
    from cases.models import RiskTool

    tool = RiskTool.objects.get()
    client = client_for(cfs_practitioner)
    assert "Not assessed" in client.get(reverse("cases:young_person_list")).content.decode()
    services.risk_assessment_create(
        actor=cfs_practitioner,
        young_person=young_person,
        tool=tool,
        assessed_on=timezone.localdate() - dt.timedelta(days=1),
        answers={item.pk: "none" for item in tool.items.all()},
    )
    page = client.get(reverse("cases:young_person_list")).content.decode()
    table = page.split('<tbody class="govuk-table__body">')[1].split("</tbody>")[0]
    cells = re.findall(r'<td class="govuk-table__cell">(.*?)</td>', table, flags=re.S)
    # Name, date of birth, marker, latest risk, agency: each value in its own column.
    assert cells[2:] == ["None", "Not at risk", "Children and Families"]
