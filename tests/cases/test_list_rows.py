"""The case lists written for speed (issue 15) show what their templates showed: rows written
in Python (cases/templatetags/list_rows.py) are the template rows they replaced, with every
typed value escaped; the pagination tag is the included template it replaced; a list opened
without a filter does not build its filter form, yet shows it."""

import datetime as dt
import re
from typing import Any

import pytest
from django.core.paginator import Paginator
from django.template import Context, Template
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from cases import forms, selectors
from cases.models import MissingEpisode
from cases.templatetags.list_rows import (
    missing_list_rows,
    referral_list_rows,
    young_person_list_rows,
)
from govuk_forms.templatetags.govuk_pagination import pagination
from partnership.models import Agency
from tests.cases.conftest import client_for
from tests.factories import MissingEpisodeFactory, ReferralFactory, YoungPersonFactory

pytestmark = pytest.mark.django_db

HOSTILE_FIRST = '<script>alert("first")</script>'
HOSTILE_LAST = "O'Brien & <b>Sons</b>"

# The rows as the list templates looped over them before issue 15 (the reference).
TEMPLATE_ROWS = {
    "referral": """{% load record_rows %}{% for referral in rows %}
<tr class="govuk-table__row">
<td class="govuk-table__cell"><a class="govuk-link" href="{{ list_url }}{{ referral.pk }}/">{{ referral.received_on|day }}</a></td>
<td class="govuk-table__cell">{{ referral.young_person_name }}</td>
<td class="govuk-table__cell">{{ referral.referring_agency__short_name|default:"Public" }}</td>
<td class="govuk-table__cell">{{ referral.initial_risk_label }}</td>
<td class="govuk-table__cell">{{ referral.outcome_label }}</td>
<td class="govuk-table__cell">{{ referral.owner_agency__short_name }}</td>
</tr>{% endfor %}""",  # noqa: E501
    "young_person": """{% load record_rows %}{% for young_person in rows %}
<tr class="govuk-table__row">
<td class="govuk-table__cell"><a class="govuk-link" href="{{ list_url }}{{ young_person.pk }}/">{{ young_person.last_name }}, {{ young_person.first_name }}</a></td>
<td class="govuk-table__cell">{{ young_person.date_of_birth|day }}</td>
<td class="govuk-table__cell">{% if young_person.has_marker %}<strong class="govuk-tag govuk-tag--red">Marker</strong>{% else %}None{% endif %}</td>
<td class="govuk-table__cell">{{ young_person.latest_risk_label }}</td>
<td class="govuk-table__cell">{{ young_person.owner_agency__short_name }}</td>
</tr>{% endfor %}""",  # noqa: E501
    "missing": """{% load record_rows %}{% for episode in rows %}
<tr class="govuk-table__row">
<td class="govuk-table__cell"><a class="govuk-link" href="{{ list_url }}{{ episode.pk }}/">{{ episode.missing_from|day_time }}</a></td>
<td class="govuk-table__cell">{{ episode.young_person_name }}</td>
<td class="govuk-table__cell">{{ episode.category_label }}</td>
<td class="govuk-table__cell">{% if episode.located_at %}{{ episode.located_at|day_time }}{% else %}<strong class="govuk-tag govuk-tag--red">Still missing</strong>{% endif %}</td>
<td class="govuk-table__cell">{{ episode.return_discussion_label }}</td>
<td class="govuk-table__cell">{{ episode.owner_agency__short_name }}</td>
</tr>{% endfor %}""",  # noqa: E501
}
LISTS = {
    # kind: (list selector, rows filter, list URL name)
    "referral": (selectors.referral_list_page, referral_list_rows, "cases:referral_list"),
    "young_person": (
        selectors.young_person_list_page,
        young_person_list_rows,
        "cases:young_person_list",
    ),
    "missing": (selectors.missing_episode_list_page, missing_list_rows, "cases:missing_list"),
}


def _squeezed(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


@pytest.fixture
def hostile(cfs_practitioner, police_practitioner) -> None:
    """Records whose typed values are markup: names, and an agency's short name."""
    cfs = cfs_practitioner.agency
    Agency.objects.filter(pk=police_practitioner.agency_id).update(short_name="P&<i>lice</i>")
    person = YoungPersonFactory(owner_agency=cfs, first_name=HOSTILE_FIRST, last_name=HOSTILE_LAST)
    plain = YoungPersonFactory(owner_agency=cfs)
    ReferralFactory(young_person=person, referring_agency=police_practitioner.agency)
    ReferralFactory(young_person=plain, referring_agency=None)
    now = timezone.now()
    # Either side of midnight UTC in summer (British Summer Time) and winter, and still missing.
    for when in (dt.datetime(2025, 7, 1, 23, 30, tzinfo=dt.UTC), now - dt.timedelta(days=2)):
        MissingEpisodeFactory(young_person=person, missing_from=when, located_at=when)
    MissingEpisodeFactory(
        young_person=plain, missing_from=dt.datetime(2025, 1, 5, 23, 59, tzinfo=dt.UTC)
    )
    MissingEpisode.objects.filter(young_person__search_name=plain.search_name).update(
        located_at=None
    )


@pytest.mark.parametrize("kind", list(LISTS))
def test_rows_are_the_template_rows_they_replaced(hostile, cfs_practitioner, kind: str) -> None:
    lister, rows_filter, list_name = LISTS[kind]
    rows, count = lister(user=cfs_practitioner, filters={"sort": ""}, cap=None)
    page = list(rows[0:count])
    assert len(page) >= 2
    expected = Template(TEMPLATE_ROWS[kind]).render(
        Context({"rows": page, "list_url": reverse(list_name)})
    )
    assert _squeezed(rows_filter(page)) == _squeezed(expected)


@pytest.mark.parametrize("kind", list(LISTS))
def test_typed_values_are_escaped_on_the_page(hostile, cfs_practitioner, kind: str) -> None:
    _, _, list_name = LISTS[kind]
    html = client_for(cfs_practitioner).get(reverse(list_name)).content.decode()
    assert "<script>" not in html and "&lt;script&gt;alert(&quot;first&quot;)" in html
    assert "<b>Sons</b>" not in html and "O&#x27;Brien &amp; &lt;b&gt;Sons&lt;/b&gt;" in html
    if kind == "referral":
        assert "<i>lice</i>" not in html and "P&amp;&lt;i&gt;lice&lt;/i&gt;" in html


def test_rows_show_public_referrals_markers_and_children_still_missing(
    hostile, cfs_practitioner
) -> None:
    client = client_for(cfs_practitioner)
    referrals = client.get(reverse("cases:referral_list")).content.decode()
    assert '<td class="govuk-table__cell">Public</td>' in referrals
    missing = client.get(reverse("cases:missing_list")).content.decode()
    assert '<strong class="govuk-tag govuk-tag--red">Still missing</strong>' in missing
    # 23:30 UTC on 1 July is 00:30 on 2 July in London.
    assert ">2 Jul 2025 00:30<" in missing
    people = client.get(reverse("cases:young_person_list")).content.decode()
    assert "No young people match." not in people


@pytest.mark.parametrize("kind", list(LISTS))
def test_an_empty_list_says_so(cfs_practitioner, kind: str) -> None:
    _, rows_filter, list_name = LISTS[kind]
    assert rows_filter([]) == ""
    html = client_for(cfs_practitioner).get(reverse(list_name)).content.decode()
    assert re.search(r'colspan="\d">No [a-z ]+ match\.</td>', html)


# --- Pagination --------------------------------------------------------------------------

# includes/pagination.html before issue 15 (the reference).
TEMPLATE_PAGINATION = """{% load govuk_pagination %}{% if page.paginator.num_pages > 1 %}{% page_numbers page as numbers %}
<nav class="govuk-pagination" aria-label="Pagination">
  {% if page.has_previous %}
  <div class="govuk-pagination__prev"><a class="govuk-link govuk-pagination__link" href="?{% if query_without_page %}{{ query_without_page }}&amp;{% endif %}page={{ page.previous_page_number }}" rel="prev"><svg class="govuk-pagination__icon govuk-pagination__icon--prev" xmlns="http://www.w3.org/2000/svg" height="13" width="15" aria-hidden="true" focusable="false" viewBox="0 0 15 13"><path d="m6.5938-0.0078125-6.7266 6.7266 6.7441 6.4062 1.377-1.449-4.1856-3.9768h12.896v-2h-12.984l4.2931-4.293-1.414-1.414z"></path></svg><span class="govuk-pagination__link-title">Previous<span class="govuk-visually-hidden"> page</span></span></a></div>
  {% endif %}
  <ul class="govuk-pagination__list">
    {% for number in numbers %}{% if number is None %}
    <li class="govuk-pagination__item govuk-pagination__item--ellipses">&ctdot;</li>
    {% elif number == page.number %}
    <li class="govuk-pagination__item govuk-pagination__item--current"><a class="govuk-link govuk-pagination__link" href="?{% if query_without_page %}{{ query_without_page }}&amp;{% endif %}page={{ number }}" aria-label="Page {{ number }}" aria-current="page">{{ number }}</a></li>
    {% else %}
    <li class="govuk-pagination__item"><a class="govuk-link govuk-pagination__link" href="?{% if query_without_page %}{{ query_without_page }}&amp;{% endif %}page={{ number }}" aria-label="Page {{ number }}">{{ number }}</a></li>
    {% endif %}{% endfor %}
  </ul>
  {% if page.has_next %}
  <div class="govuk-pagination__next"><a class="govuk-link govuk-pagination__link" href="?{% if query_without_page %}{{ query_without_page }}&amp;{% endif %}page={{ page.next_page_number }}" rel="next"><span class="govuk-pagination__link-title">Next<span class="govuk-visually-hidden"> page</span></span><svg class="govuk-pagination__icon govuk-pagination__icon--next" xmlns="http://www.w3.org/2000/svg" height="13" width="15" aria-hidden="true" focusable="false" viewBox="0 0 15 13"><path d="m8.107-0.0078125-1.4136 1.414 4.2926 4.293h-12.986v2h12.896l-4.1855 3.9766 1.377 1.4492 6.7441-6.4062-6.7246-6.7266z"></path></svg></a></div>
  {% endif %}
</nav>
{% endif %}"""  # noqa: E501


@pytest.mark.parametrize("total", [0, 1, 25, 26, 80, 1000, 10_000])
@pytest.mark.parametrize("query", ["", "sort=-name", 'q=a"b&risk=<high>'])
def test_pagination_is_the_template_it_replaced(total: int, query: str) -> None:
    paginator = Paginator(range(total), 25)
    last = paginator.num_pages
    for number in sorted({1, 2, 3, last // 2, last - 1, last} & set(range(1, last + 1))):
        context: dict[str, Any] = {"page": paginator.page(number), "query_without_page": query}
        expected = Template(TEMPLATE_PAGINATION).render(Context(context))
        written = pagination(context["page"], query)
        assert _squeezed(written) == _squeezed(expected), (total, number, query)
        # And through the include every list uses, with or without a query in the context.
        included = Template('{% include "includes/pagination.html" %}').render(Context(context))
        assert _squeezed(included) == _squeezed(expected)
    assert '"b' not in pagination(paginator.page(1), 'q=a"b') if total > 25 else True


# --- The filter form ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "form_class", [forms.ReferralFilterForm, forms.YoungPersonFilterForm, forms.MissingFilterForm]
)
def test_a_list_opened_without_a_filter_has_an_unchanged_form(form_class) -> None:
    """What the list view relies on to skip building the form (cases.views.pages._list_view):
    without data and without initial values, a filter form has not changed and is valid."""
    assert not form_class(None).has_changed()
    assert not form_class({"page": "3", "sort": "name"}).has_changed()
    assert not any(field.initial for field in form_class.base_fields.values())


@override_settings(
    CACHES={
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "template_fragments": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
)
@pytest.mark.parametrize("query", [{}, {"page": "2"}, {"sort": "name"}])
def test_the_unbuilt_form_still_shows_when_not_cached(hostile, cfs_practitioner, query) -> None:
    html = client_for(cfs_practitioner).get(reverse("cases:referral_list"), query)
    text = html.content.decode()
    assert html.status_code == 200
    assert 'name="q"' in text and "Apply filters" in text
    assert "There is a problem" not in text
    assert html.context["filters_changed"] is False
    filtered = client_for(cfs_practitioner).get(reverse("cases:referral_list"), {"q": "zz"})
    assert filtered.context["filters_changed"] is True
    assert 'value="zz"' in filtered.content.decode()
