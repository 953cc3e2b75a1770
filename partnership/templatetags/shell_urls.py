"""``{% address "name" %}``: ``{% url "name" %}`` for a page without arguments, reversed once
per URLconf (partnership.navigation's address cache) rather than on every page: the page
shell names a few such pages on every page (bench/, issue 15)."""

from django import template
from django.urls import NoReverseMatch

from partnership.navigation import address

register = template.Library()


@register.simple_tag(name="address")
def address_tag(url_name: str) -> str:
    href = address(url_name)
    if href is None:
        raise NoReverseMatch(f"{url_name!r} is not a page of this build")
    return href
