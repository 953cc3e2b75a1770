"""The items of one GOV.UK error summary, for one form or for several on one page."""

from typing import Any

from django import forms, template

register = template.Library()

GROUP_WIDGETS = (forms.RadioSelect, forms.CheckboxSelectMultiple)


def field_anchor(bound_field: forms.BoundField) -> str:
    """The id an error summary link should move focus to.

    A radio or checkbox group has no label of its own (Django gives it no id_for_label), so
    the link goes to its first option, as GOV.UK Frontend does; a date goes to its day box.
    """
    if isinstance(bound_field.field.widget, GROUP_WIDGETS):
        return f"{bound_field.auto_id}_0"
    return bound_field.id_for_label or bound_field.auto_id


@register.simple_tag
def govuk_error_items(*page_forms: Any) -> list[dict[str, str]]:
    """Every error of the given forms in page order: one summary for the whole page."""
    items: list[dict[str, str]] = []
    for form in page_forms:
        if not form or not getattr(form, "errors", None):
            continue
        items.extend({"href": "", "message": str(error)} for error in form.non_field_errors())
        for bound_field in form:
            items.extend(
                {"href": f"#{field_anchor(bound_field)}", "message": str(error)}
                for error in bound_field.errors
            )
    return items
