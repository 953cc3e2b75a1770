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
