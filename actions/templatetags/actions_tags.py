"""Small display helpers for RAG statuses (GOV.UK tag colours)."""

from django import template

from actions.models import RagStatus

register = template.Library()

TAG_CLASSES = {
    RagStatus.RED: "govuk-tag--red",
    RagStatus.AMBER: "govuk-tag--orange",
    RagStatus.GREEN: "govuk-tag--green",
    RagStatus.COMPLETE: "govuk-tag--blue",
    RagStatus.NOT_STARTED: "govuk-tag--grey",
}


@register.inclusion_tag("actions/includes/rag_tag.html")
def rag_tag(status: str | None) -> dict[str, str]:
    """A coloured tag; no update yet reads "No update" in grey."""
    if not status or status not in RagStatus.values:
        return {"css": "govuk-tag--grey", "label": "No update"}
    return {"css": TAG_CLASSES[RagStatus(status)], "label": RagStatus(status).label}


@register.filter
def words(key: str) -> str:
    """A measure key for people: ``residential_units`` -> ``residential units``."""
    return str(key).replace("_", " ")
