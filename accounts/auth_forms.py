"""Forms of the two-factor and password pages (GOV.UK classes set here, like SignInForm)."""

from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordChangeForm

CODE_REQUIRED = "Enter the code from your authenticator app"
CODE_WRONG = "The code is not right, or it has been used. Enter a new code"
ENROL_CODE_WRONG = "The code is not right. Check the time on your phone and enter a new code"


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Code",
        max_length=20,
        error_messages={"required": CODE_REQUIRED},
    )

    def __init__(self, *args: Any, help_text: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["token"]
        field.help_text = help_text
        field.widget.attrs.update(
            {
                "class": "govuk-input govuk-input--width-10",
                "autocomplete": "one-time-code",
                "spellcheck": "false",
                "autocapitalize": "none",
            }
        )
        if help_text:
            field.widget.attrs["aria-describedby"] = "id_token-hint"

    def mark_wrong(self, message: str) -> None:
        self.add_error("token", message)
        self.fields["token"].widget.attrs["class"] += " govuk-input--error"
        attrs = self.fields["token"].widget.attrs
        attrs["aria-describedby"] = f"{attrs.get('aria-describedby', '')} id_token-error".strip()


class GovukPasswordChangeForm(PasswordChangeForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "govuk-input govuk-!-width-one-half"
