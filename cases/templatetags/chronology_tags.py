"""The chronology's rows, written in Python: a young person with a long history has hundreds
of events, and the template language spent tens of microseconds a row on lookups and date
filters (most of the page's time in bench/). The markup is the table the template looped.

The standard library's ``html.escape`` is what Django's ``escape`` calls (without its lazy-
string wrapper, which cost more than the escaping here); the date is written from the
local time's fields rather than ``strftime``.
"""

import datetime as dt
from collections.abc import Iterable
from html import escape

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from cases.chronology import ChronologyEvent

register = template.Library()

# As {{ at|date:"M" }} writes them (and %b in the C locale).
_MONTHS = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _when(at: dt.datetime, zone: dt.tzinfo) -> str:
    """As {{ at|date:"j M Y" }}, with the time below it unless it is midnight (a date)."""
    local = at.astimezone(zone)
    shown = f"{local.day} {_MONTHS[local.month]} {local.year}"
    if local.hour or local.minute:
        shown += f"<br>{local.hour:02d}:{local.minute:02d}"
    return f'<time datetime="{local.isoformat()}">{shown}</time>'


def _detail(text: str) -> str:
    """As {{ detail|linebreaksbr }}: escaped, every kind of newline a <br>."""
    return escape(text.replace("\r\n", "\n").replace("\r", "\n")).replace("\n", "<br>")


def _row(event: ChronologyEvent, zone: dt.tzinfo) -> str:
    title = escape(event.title)
    if event.url:
        title = f'<a class="govuk-link" href="{escape(event.url)}">{title}</a>'
    if event.significant:
        opening = (
            '<tr class="govuk-table__row app-significant-row">'
            f'<td class="govuk-table__cell">{_when(event.at, zone)}</td>'
            '<td class="govuk-table__cell app-significant">'
            '<strong class="govuk-tag govuk-tag--red">Significant</strong> '
        )
    else:
        opening = (
            '<tr class="govuk-table__row">'
            f'<td class="govuk-table__cell">{_when(event.at, zone)}</td>'
            '<td class="govuk-table__cell">'
        )
    return (
        f'{opening}<span class="govuk-body-s">{escape(event.kind)}</span><br>{title}</td>'
        f'<td class="govuk-table__cell">{_detail(event.detail)}</td>'
        f'<td class="govuk-table__cell">{escape(event.agency)}</td></tr>'
    )


@register.filter
def chronology_rows(events: Iterable[ChronologyEvent]) -> SafeString:
    """Every event as a table row; every value escaped (case text is user input)."""
    zone = timezone.get_current_timezone()
    return mark_safe("\n".join(_row(event, zone) for event in events))  # noqa: S308 - every value escaped above
