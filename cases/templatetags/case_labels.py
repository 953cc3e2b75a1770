"""Durations as people say them, for the return-discussion clock and the attention list."""

from django import template

register = template.Library()

# (unit, hours in one, shown from this many hours): hours stay exact around the 72-hour target.
_UNITS = (
    ("year", 24 * 365, 24 * 365),
    ("month", 24 * 30, 24 * 60),
    ("week", 24 * 7, 24 * 14),
    ("day", 24, 96),
)


@register.filter
def humane_hours(hours: int | None) -> str:
    """A duration as people say it: "50 hours", "6 days", "3 weeks", "4 months", "2 years"."""
    if hours is None:
        return ""
    for unit, size, shown_from in _UNITS:
        if hours >= shown_from:
            count = hours // size
            return f"{count} {unit}{'' if count == 1 else 's'}"
    return f"{hours} hour{'' if hours == 1 else 's'}"
