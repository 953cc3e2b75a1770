"""GOV.UK classes on Django widgets, so every form renders with templates/includes/field.html."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

WIDGET_CLASSES = (
    (forms.Textarea, "govuk-textarea"),
    (forms.Select, "govuk-select"),
    (forms.CheckboxInput, "govuk-checkboxes__input"),
    (forms.FileInput, "govuk-file-upload"),
    (forms.RadioSelect, ""),
    (forms.CheckboxSelectMultiple, ""),
)
ERROR_CLASSES = {
    "govuk-input": "govuk-input--error",
    "govuk-select": "govuk-select--error",
    "govuk-textarea": "govuk-textarea--error",
    "govuk-file-upload": "govuk-file-upload--error",
}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class GovukFormMixin:
    """GOV.UK classes on widgets; hint and error ids in aria-describedby so screen readers
    read them with the field; service ValidationErrors placed next to their field."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            css = next((c for cls, c in WIDGET_CLASSES if isinstance(widget, cls)), "govuk-input")
            if isinstance(widget, DateInput | DateTimeInput):
                css = "govuk-input govuk-input--width-10"
            if css:
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
            if (
                field.error_messages.get("required")
                == forms.Field.default_error_messages["required"]
            ):
                # GOV.UK style: say what to do, naming the field.
                verb = (
                    "Select"
                    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField)
                    else "Enter"
                )
                label = str(field.label or name.replace("_", " ")).lower()
                field.error_messages["required"] = f"{verb} {label}"
            self._describe(name)

    def _describe(self, name: str, *, error: bool = False) -> None:
        field = self.fields[name]
        widget = field.widget
        if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
            return  # the fieldset carries aria-describedby
        ids = []
        if field.help_text:
            ids.append(f"id_{self.add_prefix(name)}-hint")
        if error:
            ids.append(f"id_{self.add_prefix(name)}-error")
            for base, error_class in ERROR_CLASSES.items():
                classes = widget.attrs.get("class", "").split()
                if base in classes and error_class not in classes:
                    widget.attrs["class"] += f" {error_class}"
        if ids:
            widget.attrs["aria-describedby"] = " ".join(ids)

    def full_clean(self) -> None:
        super().full_clean()
        for name in self._errors or {}:
            if name in self.fields:
                self._describe(name, error=True)

    def add_service_errors(self, error: ValidationError) -> None:
        """Put a service's ValidationError next to the field it names (or at the top)."""
        if hasattr(error, "error_dict"):
            for field_name, messages in error.message_dict.items():
                target = field_name if field_name in self.fields else None
                for message in messages:
                    self.add_error(target, message)
                if target:
                    self._describe(target, error=True)
        else:
            for message in error.messages:
                self.add_error(None, message)
