from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm


class SignInForm(AuthenticationForm):
    """Django's sign-in form with one message for every failure (no account enumeration)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Enter a correct username and password.",
        "inactive": "Enter a correct username and password.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update(
            {
                "class": "govuk-input govuk-!-width-one-half",
                "autocomplete": "username",
                "spellcheck": "false",
            }
        )
        self.fields["password"].widget = forms.PasswordInput(
            attrs={
                "class": "govuk-input govuk-!-width-one-half",
                "autocomplete": "current-password",
            }
        )
