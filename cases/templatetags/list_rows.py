"""The rows of the three case lists (referrals, young people, missing episodes), written in
Python: the same markup the list templates looped over, every value escaped.

A list page's rows were a third of its rendering, and rendering most of the gap between the
page and its fair raw reference (bench/, issue 15): 25 rows of 5-6 cells is 150 template
variables, each resolved, localised and escaped by the template engine. Here a row is one
f-string over the values the list selector already shaped (cases.selectors' *_list_page
rows: ListRow dicts of shown values and labels). Each user-typed value (names, agency
names) goes through ``_text``, which escapes as Django's autoescape does;
tests/cases/test_list_rows.py renders a name such as ``<script>`` and compares each row
with the template it replaced.
"""

from collections.abc import Callable, Iterable
from html import escape
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from cases.templatetags.record_rows import day, day_time, record_url

register = template.Library()

_ROW = '<tr class="govuk-table__row">'
_CELL = '<td class="govuk-table__cell">'
_LINK = '<a class="govuk-link" href="'
_MARKER = '<strong class="govuk-tag govuk-tag--red">Marker</strong>'
_STILL_MISSING = '<strong class="govuk-tag govuk-tag--red">Still missing</strong>'


def _text(value: Any) -> str:
    """As ``{{ value }}`` writes a text under autoescape."""
    return escape(str(value), quote=True)


def _referral(row: dict[str, Any]) -> str:
    url = record_url(row["pk"], "cases:referral_detail")
    return (
        f'{_ROW}{_CELL}{_LINK}{url}">{day(row["received_on"])}</a></td>'
        f"{_CELL}{_text(row['young_person_name'])}</td>"
        f"{_CELL}{_text(row['referring_agency__short_name'] or 'Public')}</td>"
        f"{_CELL}{_text(row['initial_risk_label'])}</td>"
        f"{_CELL}{_text(row['outcome_label'])}</td>"
        f"{_CELL}{_text(row['owner_agency__short_name'])}</td></tr>\n"
    )


def _young_person(row: dict[str, Any]) -> str:
    url = record_url(row["pk"], "cases:young_person_detail")
    return (
        f'{_ROW}{_CELL}{_LINK}{url}">{_text(row["last_name"])}, {_text(row["first_name"])}'
        f"</a></td>"
        f"{_CELL}{day(row['date_of_birth'])}</td>"
        f"{_CELL}{_MARKER if row['has_marker'] else 'None'}</td>"
        f"{_CELL}{_text(row['latest_risk_label'])}</td>"
        f"{_CELL}{_text(row['owner_agency__short_name'])}</td></tr>\n"
    )


def _missing(row: dict[str, Any]) -> str:
    url = record_url(row["pk"], "cases:missing_detail")
    located = row["located_at"]
    return (
        f'{_ROW}{_CELL}{_LINK}{url}">{day_time(row["missing_from"])}</a></td>'
        f"{_CELL}{_text(row['young_person_name'])}</td>"
        f"{_CELL}{_text(row['category_label'])}</td>"
        f"{_CELL}{day_time(located) if located else _STILL_MISSING}</td>"
        f"{_CELL}{_text(row['return_discussion_label'])}</td>"
        f"{_CELL}{_text(row['owner_agency__short_name'])}</td></tr>\n"
    )


def _rows(write: Callable[[dict[str, Any]], str]) -> Callable[[Iterable[Any]], SafeString]:
    def rows(page_rows: Iterable[Any]) -> SafeString:
        return mark_safe("".join(map(write, page_rows)))  # noqa: S308 - every value escaped

    return rows


referral_list_rows = register.filter("referral_list_rows", _rows(_referral))
young_person_list_rows = register.filter("young_person_list_rows", _rows(_young_person))
missing_list_rows = register.filter("missing_list_rows", _rows(_missing))
