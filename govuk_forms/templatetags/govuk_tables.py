"""The head of a GOV.UK table: its caption, for screen readers, and one header per column
(GOV.UK Design System, "Table"), so each page writes only its rows."""

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("govuk_forms/table_head.html")
def table_head(caption: str, *headers: str, size: str = "") -> dict[str, Any]:
    """``{% table_head "Events in time order" "When" "Event" %}``: the caption is for screen
    readers, unless a ``size`` ("s", "m", "l") shows it; an empty caption writes none."""
    return {"caption": caption, "headers": headers, "size": size}
