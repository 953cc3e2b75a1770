"""The list templates written for speed (no include or {% url %} per cell, the unfiltered
filter form cached as a fragment) still link every row to its record, sort accessibly, and
never serve one user's or one filter's form to another."""

import re

import pytest
from django.test import override_settings
from django.urls import reverse

from partnership.models import Agency
from tests.cases.conftest import client_for
from tests.factories import MissingEpisodeFactory, ReferralFactory, YoungPersonFactory

pytestmark = pytest.mark.django_db

LISTS = {
    "cases:referral_list": ("cases:referral_detail", "received"),
    "cases:young_person_list": ("cases:young_person_detail", "name"),
    "cases:missing_list": ("cases:missing_detail", "missing"),
}
FRAGMENT_CACHE = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "template_fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "list-templates-test",
    },
}


@pytest.fixture
def records(cfs_practitioner) -> dict[str, list[int]]:
    people = YoungPersonFactory.create_batch(3, owner_agency=cfs_practitioner.agency)
    return {
        "cases:referral_detail": [ReferralFactory(young_person=p).pk for p in people],
        "cases:young_person_detail": [p.pk for p in people],
        "cases:missing_detail": [MissingEpisodeFactory(young_person=p).pk for p in people],
    }


@pytest.mark.parametrize("list_name", list(LISTS))
def test_every_row_links_to_its_record(records, cfs_practitioner, list_name: str) -> None:
    detail, _ = LISTS[list_name]
    html = client_for(cfs_practitioner).get(reverse(list_name)).content.decode()
    for pk in records[detail]:
        url = reverse(detail, args=[pk])
        assert f'href="{url}"' in html
        assert client_for(cfs_practitioner).get(url).status_code == 200


@pytest.mark.parametrize("list_name", list(LISTS))
def test_sort_headers_say_their_order_and_keep_the_filters(
    records, cfs_practitioner, list_name: str
) -> None:
    _, key = LISTS[list_name]
    client = client_for(cfs_practitioner)
    html = client.get(reverse(list_name), {"q": "zz", "sort": key}).content.decode()
    headers = re.findall(r'<th scope="col" class="govuk-table__header" aria-sort="(\w+)">', html)
    assert headers.count("ascending") == 1 and "descending" not in headers
    assert f'href="?q=zz&amp;sort=-{key}"' in html  # the next click reverses, filter kept
    html = client.get(reverse(list_name), {"sort": f"-{key}"}).content.decode()
    assert 'aria-sort="descending"' in html and f'href="?sort={key}"' in html


@override_settings(CACHES=FRAGMENT_CACHE)
def test_unfiltered_form_is_cached_but_a_filtered_one_is_not(
    records, cfs_practitioner, police_practitioner
) -> None:
    url = reverse("cases:referral_list")
    first = client_for(cfs_practitioner).get(url).content.decode()
    # (the filters are open on every list: issue 19, lists people work from)
    assert "Filter and search" in first and '<details class="govuk-details" open>' in first
    Agency.objects.create(code="newcomer", name="Newcomer Agency", short_name="Newcomer")
    # Cached: the unfiltered form of the first render, for any user (it holds no user data)...
    police_page = client_for(police_practitioner).get(url).content.decode()
    assert "Newcomer Agency" not in police_page
    assert cfs_practitioner.get_full_name() not in police_page
    # ...while a filtered form is rendered for its request, with what was typed, open.
    filtered = client_for(police_practitioner).get(url, {"q": "smith"}).content.decode()
    assert "Newcomer Agency" in filtered and 'value="smith"' in filtered
    assert '<details class="govuk-details" open>' in filtered
    # Paging is not filtering: page 2 of the unfiltered list uses the cached form.
    paged = client_for(police_practitioner).get(url, {"page": "2"}).content.decode()
    assert "Newcomer Agency" not in paged


def test_without_fragment_cache_a_new_agency_shows_at_once(records, cfs_practitioner) -> None:
    """The test settings' dummy fragment cache: what the suite's other tests rely on."""
    url = reverse("cases:referral_list")
    client_for(cfs_practitioner).get(url)
    Agency.objects.create(code="newcomer", name="Newcomer Agency", short_name="Newcomer")
    assert "Newcomer Agency" in client_for(cfs_practitioner).get(url).content.decode()


def test_chronology_rows_escape_link_and_show_times(cfs_practitioner) -> None:
    """The chronology's rows are written in Python (cases/templatetags/chronology_tags.py):
    case text stays escaped, line breaks kept, links and the significant tag shown, and a
    time only when the event has one."""
    import datetime as dt

    from django.utils import timezone

    young_person = YoungPersonFactory(owner_agency=cfs_practitioner.agency)
    referral = ReferralFactory(
        young_person=young_person,
        concerns="<script>alert(1)</script>\nSecond line",
        initial_risk_level="significant",
        received_on=dt.date(2025, 3, 7),
    )
    located = timezone.make_aware(dt.datetime(2025, 4, 2, 21, 30))
    MissingEpisodeFactory(
        young_person=young_person,
        missing_from=located - dt.timedelta(hours=5),
        located_at=located,
    )
    url = reverse("cases:chronology", args=[young_person.pk])
    html = client_for(cfs_practitioner).get(url).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>Second line" in html
    assert f'href="{reverse("cases:referral_detail", args=[referral.pk])}"' in html
    assert '<strong class="govuk-tag govuk-tag--red">Significant</strong>' in html
    assert ">7 Mar 2025</time>" in html  # a date only: no midnight time
    assert "2 Apr 2025<br>21:30</time>" in html
    assert f'datetime="{timezone.localtime(located).isoformat()}"' in html
    empty = YoungPersonFactory(owner_agency=cfs_practitioner.agency)
    page = client_for(cfs_practitioner).get(reverse("cases:chronology", args=[empty.pk]))
    assert "No events recorded yet." in page.content.decode()
