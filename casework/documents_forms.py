"""The upload form of a case document. It checks only that something was sent; the file's
size and type are the service's to judge (casework.documents), and its message is shown
next to the file field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings

from casework.document_files import size_label
from casework.models import CaseDocument
from govuk_forms.forms import GovukFormMixin

ERROR_NO_FILE = "Select a file to upload."


class CaseDocumentForm(GovukFormMixin, forms.ModelForm):
    upload = forms.FileField(
        label="Upload a file",
        error_messages={"required": ERROR_NO_FILE, "empty": "The selected file is empty."},
        # max_length counts the file name's characters: the model keeps 255.
        max_length=255,
    )

    class Meta:
        model = CaseDocument
        fields = ["title", "kind"]
        widgets = {"kind": forms.RadioSelect}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = CaseDocument.Kind.choices  # type: ignore[attr-defined]
        self.fields["upload"].help_text = (
            "A PDF, a photo or scan (PNG or JPEG), a Word, Excel or OpenDocument text "
            f"document, or plain text. Smaller than {size_label(settings.CSE_DOCUMENT_MAX_BYTES)}."
        )

    def _post_clean(self) -> None:
        pass  # model validation runs in the service
