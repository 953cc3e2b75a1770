from typing import Any

from django import forms

from govuk_forms.forms import GovukFormMixin
from imports.fields import FIELDS
from imports.models import ColumnMapping, Kind

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class UploadForm(GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(label="What the file holds", choices=Kind.choices)
    file = forms.FileField(help_text="A CSV or Excel (.xlsx) file with a heading row.")
    mapping = forms.ModelChoiceField(
        queryset=ColumnMapping.objects.none(),
        required=False,
        label="Use a saved column mapping",
        empty_label="None: match columns by their headings",
    )

    def __init__(self, *args: Any, mappings: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if mappings is not None:
            self.fields["mapping"].queryset = mappings  # type: ignore[attr-defined]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file must be smaller than 20 MB.")
        return upload


class MappingForm(GovukFormMixin, forms.Form):
    """One choice per field: which column holds it."""

    save_as = forms.CharField(
        required=False, max_length=100, label="Save this mapping as (optional)"
    )

    def __init__(
        self,
        *args: Any,
        kind: str,
        headings: list[str],
        initial_columns: dict[str, str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "Not in this file"), *((h, h) for h in headings if h)]
        for field in FIELDS[kind]:
            self.fields[f"col_{field.name}"] = forms.ChoiceField(
                label=field.label + ("" if field.required else " (optional)"),
                choices=choices,
                required=False,
                initial=initial_columns.get(field.name, ""),
            )
        self.fields["save_as"] = self.fields.pop("save_as")
        self.kind = kind

    def columns(self) -> dict[str, str]:
        return {
            name[4:]: value
            for name, value in self.cleaned_data.items()
            if name.startswith("col_") and value
        }
