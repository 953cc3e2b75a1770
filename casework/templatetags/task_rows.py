"""The rows of "My tasks" written in Python, as the young person's page writes its long tables
(cases/templatetags/record_rows.py): the same markup the template's loop wrote, every value
escaped. A full list is a few hundred rows, and the loop (a lookup, a ``|date`` and a
``|truncatechars`` per cell) was most of the page's rendering time (bench/figures_casework.py).
tests/casework/test_task_rows.py checks the rows against the loop."""

import datetime as dt
from collections.abc import Iterable
from html import escape
from typing import Any

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

register = template.Library()

# As {{ value|date:"F" }} writes them in English.
_MONTHS = (
    "",
    *("January", "February", "March", "April", "May", "June", "July"),
    *("August", "September", "October", "November", "December"),
)
TITLE_CHARS = 120
_CELL = '<td class="govuk-table__cell">'
_OVERDUE = '<strong class="govuk-tag govuk-tag--red">Overdue</strong>'
_DUE = '<strong class="govuk-tag govuk-tag--blue">Due</strong>'


def _text(value: Any) -> str:
    return escape(str(value), quote=True)


def _title(title: str) -> str:
    # As |truncatechars:120: an ASCII title that fits is the title itself (normalising it to
    # NFC changes nothing); anything else goes through Django's Truncator.
    if len(title) <= TITLE_CHARS and title.isascii():
        return title
    return Truncator(title).chars(TITLE_CHARS)


def full_day(value: dt.date) -> str:
    """As {{ value|date:"j F Y" }} for a date."""
    return f"{value.day} {_MONTHS[value.month]} {value.year}"


@register.filter
def task_rows(tasks: Iterable[Any], show_assignee: bool = False) -> SafeString:
    """One table row a task (casework.selectors.Task): the task (a link, and the agency it
    came from), its kind, whom it is assigned to (``show_assignee``), due date and status."""
    today = timezone.localdate()
    rows = []
    for task in tasks:
        agency = (
            f'<br><span class="govuk-body-s">from {_text(task.agency)}</span>'
            if task.agency
            else ""
        )
        assignee = f"{_CELL}{_text(task.assignee)}</td>" if show_assignee else ""
        rows.append(
            f'<tr class="govuk-table__row">{_CELL}<a class="govuk-link" href="{_text(task.url)}">'
            f"{_text(_title(task.title))}</a>{agency}</td>"
            f"{_CELL}{_text(task.kind)}</td>{assignee}"
            f"{_CELL}{full_day(task.due)}</td>"
            f"{_CELL}{_OVERDUE if task.due < today else _DUE}</td></tr>\n"
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value escaped above
