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

import datetime as dt
from collections.abc import Callable, Iterable
from html import escape
from typing import Any

from django import template
from django.urls import get_script_prefix, get_urlconf
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from cases.templatetags.record_rows import _url_parts, day, table_row

register = template.Library()

_MARKER = '<strong class="govuk-tag govuk-tag--red">Marker</strong>'
_STILL_MISSING = '<strong class="govuk-tag govuk-tag--red">Still missing</strong>'


def _text(value: Any) -> str:
    """As ``{{ value }}`` writes a text under autoescape."""
    return escape(str(value), quote=True)


class _Page:
    """What every row of one page shares, looked up once a page rather than once a cell:
    the detail page's address around the id (record_rows.record_url) and the time zone."""

    def __init__(self, detail: str) -> None:
        self.before, self.after = _url_parts(detail, get_urlconf(), get_script_prefix())
        self.zone = timezone.get_current_timezone()

    def url(self, pk: Any) -> str:
        return f"{self.before}{int(pk)}{self.after}"

    def day_time(self, value: dt.datetime) -> str:
        """As record_rows.day_time (``|date:"j M Y H:i"`` in the current time zone)."""
        if timezone.is_aware(value):
            value = value.astimezone(self.zone)
        return f"{day(value)} {value.hour:02d}:{value.minute:02d}"


def _referral(page: _Page, row: dict[str, Any]) -> str:
    return table_row(
        page.url(row["pk"]),
        day(row["received_on"]),
        _text(row["young_person_name"]),
        _text(row["referring_agency__short_name"] or "Public"),
        _text(row["initial_risk_label"]),
        _text(row["outcome_label"]),
        _text(row["owner_agency__short_name"]),
    )


def _young_person(page: _Page, row: dict[str, Any]) -> str:
    return table_row(
        page.url(row["pk"]),
        f"{_text(row['last_name'])}, {_text(row['first_name'])}",
        day(row["date_of_birth"]),
        _MARKER if row["has_marker"] else "None",
        _text(row["latest_risk_label"]),
        _text(row["owner_agency__short_name"]),
    )


def _missing(page: _Page, row: dict[str, Any]) -> str:
    located = row["located_at"]
    return table_row(
        page.url(row["pk"]),
        page.day_time(row["missing_from"]),
        _text(row["young_person_name"]),
        _text(row["category_label"]),
        page.day_time(located) if located else _STILL_MISSING,
        _text(row["return_discussion_label"]),
        _text(row["owner_agency__short_name"]),
    )


def _rows(
    detail: str, write: Callable[[_Page, dict[str, Any]], str]
) -> Callable[[Iterable[Any]], SafeString]:
    def rows(page_rows: Iterable[Any]) -> SafeString:
        page = _Page(detail)
        html = "".join([write(page, row) for row in page_rows])
        return mark_safe(html)  # noqa: S308 - every value escaped above

    return rows


referral_list_rows = register.filter(
    "referral_list_rows", _rows("cases:referral_detail", _referral)
)
young_person_list_rows = register.filter(
    "young_person_list_rows", _rows("cases:young_person_detail", _young_person)
)
missing_list_rows = register.filter("missing_list_rows", _rows("cases:missing_detail", _missing))
