"""Template access to what other apps registered in cases.extensions (read only)."""

from typing import Any

from django import template

from cases import extensions

register = template.Library()


@register.simple_tag(takes_context=True)
def young_person_links(context: dict[str, Any], young_person: Any, kind: str) -> list:
    """Links other apps add to a young person's page ("tab" or "button")."""
    return extensions.young_person_links(
        user=context["request"].user, young_person=young_person, kind=kind
    )
