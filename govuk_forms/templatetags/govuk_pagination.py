"""A GOV.UK pagination component (GOV.UK Design System, "Pagination"): first, last, the
current page and its neighbours, with an ellipsis for each gap.

``{% pagination page query_without_page %}`` writes the component in Python: as an
included template it was a tenth of a list page's rendering (bench/, issue 15), a dozen
template variables for a few links. The query kept in each link is escaped as ``{{ }}``
escapes it; tests/cases/test_list_pages.py compares the markup with the template it replaced.
"""

from html import escape
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_PREVIOUS_ICON = (
    '<svg class="govuk-pagination__icon govuk-pagination__icon--prev" '
    'xmlns="http://www.w3.org/2000/svg" height="13" width="15" aria-hidden="true" '
    'focusable="false" viewBox="0 0 15 13"><path d="m6.5938-0.0078125-6.7266 6.7266 6.7441 '
    "6.4062 1.377-1.449-4.1856-3.9768h12.896v-2h-12.984l4.2931-4.293-1.414-1.414z"
    '"></path></svg>'
)
_NEXT_ICON = (
    '<svg class="govuk-pagination__icon govuk-pagination__icon--next" '
    'xmlns="http://www.w3.org/2000/svg" height="13" width="15" aria-hidden="true" '
    'focusable="false" viewBox="0 0 15 13"><path d="m8.107-0.0078125-1.4136 1.414 4.2926 '
    "4.293h-12.986v2h12.896l-4.1855 3.9766 1.377 1.4492 6.7441-6.4062-6.7246-6.7266z"
    '"></path></svg>'
)
_LINK = '<a class="govuk-link govuk-pagination__link" href="'


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


@register.simple_tag
def pagination(page: Any, query: Any = "") -> SafeString:
    """The component for ``page`` (nothing for a single page); each link keeps ``query``
    (the list's query string without its page)."""
    if page.paginator.num_pages <= 1:
        return mark_safe("")  # noqa: S308 - empty
    start = f"?{escape(str(query), quote=True)}&amp;page=" if query else "?page="
    parts = ['<nav class="govuk-pagination" aria-label="Pagination">\n']
    if page.has_previous():
        parts.append(
            f'  <div class="govuk-pagination__prev">{_LINK}{start}{page.previous_page_number()}'
            f'" rel="prev">{_PREVIOUS_ICON}<span class="govuk-pagination__link-title">Previous'
            '<span class="govuk-visually-hidden"> page</span></span></a></div>\n'
        )
    parts.append('  <ul class="govuk-pagination__list">\n')
    for number in page_numbers(page):
        if number is None:
            parts.append(
                '    <li class="govuk-pagination__item govuk-pagination__item--ellipses">'
                "&ctdot;</li>\n"
            )
        elif number == page.number:
            parts.append(
                '    <li class="govuk-pagination__item govuk-pagination__item--current">'
                f'{_LINK}{start}{number}" aria-label="Page {number}" aria-current="page">'
                f"{number}</a></li>\n"
            )
        else:
            parts.append(
                f'    <li class="govuk-pagination__item">{_LINK}{start}{number}" '
                f'aria-label="Page {number}">{number}</a></li>\n'
            )
    parts.append("  </ul>\n")
    if page.has_next():
        parts.append(
            f'  <div class="govuk-pagination__next">{_LINK}{start}{page.next_page_number()}'
            '" rel="next"><span class="govuk-pagination__link-title">Next'
            f'<span class="govuk-visually-hidden"> page</span></span>{_NEXT_ICON}</a></div>\n'
        )
    parts.append("</nav>\n")
    return mark_safe("".join(parts))  # noqa: S308 - numbers, constants and the escaped query
