"""The page numbers of a GOV.UK pagination component: first, last, the current page and its
neighbours, with an ellipsis for each gap (GOV.UK Design System, "Pagination")."""

from typing import Any

from django import template

register = template.Library()


@register.simple_tag
def page_numbers(page: Any) -> list[int | None]:
    """[1, None, 4, 5, 6, None, 40]: None is an ellipsis."""
    last = page.paginator.num_pages
    around = {1, last, page.number - 1, page.number, page.number + 1}
    wanted = sorted(number for number in around if 1 <= number <= last)
    numbers: list[int | None] = []
    for number in wanted:
        if numbers and number - (numbers[-1] or 0) > 1:
            numbers.append(None)
        numbers.append(number)
    return numbers
