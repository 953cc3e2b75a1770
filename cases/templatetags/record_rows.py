"""Filters for pages that list many records (the young person's page): the same text as
``{% url %}``, ``|date`` and ``get_FOO_display`` write, for a fraction of their cost.

A young person with a long history has hundreds of rows on their page; a ``{% url %}``
(a full reverse), a ``|date`` (Django's formatter with lazy translations) and a
``get_FOO_display`` (a dict of the field's choices built per call) in each row were most of
the page's rendering time (bench/). Here an address is reversed once per URL name and the
id put in by string joining, a date is written from its fields, and each field's choices
are read once. tests/bench/test_record_rows.py checks each against the Django original.
"""

import datetime as dt
from collections.abc import Iterable
from functools import cache
from html import escape
from typing import Any

from django import template
from django.db.models import Model
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from cases.selectors.compiled import choice_label

register = template.Library()

# As {{ value|date:"M" }} writes them in English.
_MONTHS = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_SENTINEL = 987654321


@cache
def _url_parts(name: str, urlconf: Any, prefix: str) -> tuple[str, str]:
    before, _, after = reverse(name, urlconf=urlconf, args=[_SENTINEL]).partition(str(_SENTINEL))
    return before, after


@register.filter
def record_url(pk: Any, name: str) -> str:
    """As {% url name pk %}: ``{{ referral.pk|record_url:"cases:referral_detail" }}``."""
    before, after = _url_parts(name, get_urlconf(), get_script_prefix())
    return f"{before}{int(pk)}{after}"


def _local(value: Any) -> Any:
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter(expects_localtime=True)
def day(value: Any) -> str:
    """As {{ value|date:"j M Y" }} ("" for no date)."""
    if not isinstance(value, dt.date):
        return ""
    value = _local(value)
    return f"{value.day} {_MONTHS[value.month]} {value.year}"


@register.filter(expects_localtime=True)
def day_time(value: Any) -> str:
    """As {{ value|date:"j M Y H:i" }} ("" for no time), in the current time zone."""
    if not isinstance(value, dt.datetime):
        return ""
    local = _local(value)
    return f"{day(local)} {local.hour:02d}:{local.minute:02d}"


@register.filter
def label(instance: Model, field_name: str) -> Any:
    """As {{ instance.get_FIELD_display }}: the choice's label, else the value itself."""
    return choice_label(type(instance), field_name, getattr(instance, field_name))


# The young person's page's two long tables, one row per record, written in Python as the
# chronology's rows are (cases/templatetags/chronology_tags.py): the same markup the template
# looped, every value escaped. Each row ends in a newline, as the loop wrote it.
_CELL = '<td class="govuk-table__cell">'


def _text(value: Any) -> str:
    return escape(str(value), quote=True)


def table_row(url: str, link: str, *cells: str) -> str:
    """One row of a record table, as the templates wrote it: the first cell links `link` to
    the record at `url`, then one cell each of `cells` (HTML: their values escaped already)."""
    rest = "".join([f"{_CELL}{cell}</td>" for cell in cells])
    return (
        f'<tr class="govuk-table__row">{_CELL}<a class="govuk-link" href="{url}">{link}</a></td>'
        f"{rest}</tr>\n"
    )


@register.filter
def referral_rows(referrals: Iterable[Any]) -> SafeString:
    """The young person's referrals: received (a link), from, initial risk, outcome, agency."""
    rows = []
    for referral in referrals:
        referrer = referral.referring_agency.short_name if referral.referring_agency else ""
        rows.append(
            table_row(
                record_url(referral.pk, "cases:referral_detail"),
                day(referral.received_on),
                _text(referrer or "Public"),
                _text(label(referral, "initial_risk_level")),
                _text(label(referral, "outcome")),
                _text(referral.owner_agency.short_name),
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value escaped above


@register.filter
def episode_rows(episodes: Iterable[tuple[Any, dict[str, Any] | None]]) -> SafeString:
    """The young person's missing episodes (each with its return-discussion clock):
    reported missing (a link), category, located, return discussion (and overdue)."""
    rows = []
    for episode, clock in episodes:  # clock: selectors.return_discussion_clock (a dict or None)
        overdue = (
            ' <strong class="govuk-tag govuk-tag--red">Overdue</strong>'
            if clock and clock.get("overdue")
            else ""
        )
        rows.append(
            table_row(
                record_url(episode.pk, "cases:missing_detail"),
                day_time(episode.missing_from),
                _text(label(episode, "category")),
                day_time(episode.located_at) or "Still missing",
                _text(label(episode, "return_discussion")) + overdue,
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value escaped above
