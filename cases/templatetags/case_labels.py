"""Labels for stored codes that reach a template without their model (annotations, values)."""

from django import template

from cases.models import RiskLevel

register = template.Library()

RISK_LABELS = dict(RiskLevel.choices)


@register.filter
def risk_label(code: str | None) -> str:
    """ "not_at_risk" reads "Not at risk"; no assessment reads "Not assessed"."""
    if not code:
        return "Not assessed"
    return str(RISK_LABELS.get(code, code))


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
