"""The chronology's rows, written in Python: a young person with a long history has hundreds
of events, and the template language spent tens of microseconds a row on lookups and date
filters (most of the page's time in bench/). The markup is the table the template looped."""

from collections.abc import Iterable

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from cases.chronology import ChronologyEvent

register = template.Library()


def _when(event: ChronologyEvent) -> str:
    """As {{ at|date:"j M Y" }}, with the time below it unless it is midnight (a date)."""
    local = timezone.localtime(event.at)
    clock = f"{local:%H:%M}"
    shown = f"{local.day} {local:%b %Y}" + (f"<br>{clock}" if clock != "00:00" else "")
    return f'<time datetime="{local.isoformat()}">{shown}</time>'


def _row(event: ChronologyEvent) -> str:
    title = escape(event.title)
    if event.url:
        title = f'<a class="govuk-link" href="{escape(event.url)}">{title}</a>'
    significant = event.significant
    return (
        f'<tr class="govuk-table__row{" app-significant-row" if significant else ""}">'
        f'<td class="govuk-table__cell">{_when(event)}</td>'
        f'<td class="govuk-table__cell{" app-significant" if significant else ""}">'
        + ('<strong class="govuk-tag govuk-tag--red">Significant</strong> ' if significant else "")
        + f'<span class="govuk-body-s">{escape(event.kind)}</span><br>{title}</td>'
        f'<td class="govuk-table__cell">{linebreaksbr(event.detail, autoescape=True)}</td>'
        f'<td class="govuk-table__cell">{escape(event.agency)}</td></tr>'
    )


@register.filter
def chronology_rows(events: Iterable[ChronologyEvent]) -> SafeString:
    """Every event as a table row; every value escaped (case text is user input)."""
    return mark_safe("\n".join(_row(event) for event in events))  # noqa: S308 - every value escaped above
