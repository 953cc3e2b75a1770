"""The rows of "My tasks" written in Python (casework/templatetags/task_rows.py) are the markup the
template's loop wrote: escaped, truncated, dated and tagged the same."""

import datetime as dt
import re

import pytest
from django.template import Context, Template
from django.utils import timezone

from casework.selectors import Task
from casework.templatetags.task_rows import full_day, task_rows

# The loop of templates/casework/_task_table.html before the rows were written in Python.
LOOP = """{% for task in rows %}
    <tr class="govuk-table__row">
      <td class="govuk-table__cell"><a class="govuk-link" href="{{ task.url }}">{{ task.title|truncatechars:120 }}</a>{% if task.agency %}<br><span class="govuk-body-s">from {{ task.agency }}</span>{% endif %}</td>
      <td class="govuk-table__cell">{{ task.kind }}</td>
      {% if show_assignee %}<td class="govuk-table__cell">{{ task.assignee }}</td>{% endif %}
      <td class="govuk-table__cell">{{ task.due|date:"j F Y" }}</td>
      <td class="govuk-table__cell">{% if task.overdue %}<strong class="govuk-tag govuk-tag--red">Overdue</strong>{% else %}<strong class="govuk-tag govuk-tag--blue">Due</strong>{% endif %}</td>
    </tr>
  {% endfor %}"""  # noqa: E501


def _markup(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


@pytest.mark.parametrize("show_assignee", [False, True])
def test_the_rows_are_the_loops_markup(show_assignee: bool) -> None:
    today = timezone.localdate()
    tasks = [
        Task(
            kind="IRD action",
            title='Check <b>attendance</b> & tell "SW" what\'s found',
            due=today - dt.timedelta(days=1),
            url="/casework/actions/7/?a=1&b=2",
            agency="Police <Scotland>",
            assignee="Ann O'Neil",
        ),
        Task(kind="Reassessment", title="Reassess Kayleigh Testcase", due=today, url="/p/1/"),
        Task(kind="IRD action", title="x" * 120, due=today + dt.timedelta(days=3), url="/a/"),
        Task(kind="IRD action", title="y" * 121, due=dt.date(2027, 9, 30), url="/b/"),
        Task(kind="IRD action", title="Zoë " * 40, due=dt.date(2026, 1, 1), url="/c/"),
        Task(kind="IRD action", title="Cafe\u0301 visit", due=dt.date(2026, 5, 9), url="/d/"),
    ]
    django = Template(LOOP).render(Context({"rows": tasks, "show_assignee": show_assignee}))
    assert _markup(task_rows(tasks, show_assignee)) == _markup(django)
    assert task_rows([]) == ""


def test_full_day_is_the_date_filter() -> None:
    for value in [dt.date(2025, month, month * 2) for month in range(1, 13)]:
        assert full_day(value) == Template('{{ v|date:"j F Y" }}').render(Context({"v": value}))
