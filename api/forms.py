from django import forms

from api.models import ApiToken
from api.services import MAX_TOKEN_DAYS
from govuk_forms.forms import GovukFormMixin


class ApiTokenForm(GovukFormMixin, forms.Form):
    name = forms.CharField(
        max_length=100, help_text="What the token is for, e.g. the council's case system."
    )
    scope = forms.ChoiceField(
        choices=ApiToken.Scope.choices, widget=forms.RadioSelect, initial=ApiToken.Scope.READ
    )
    days = forms.IntegerField(
        label="Days until it expires",
        min_value=1,
        max_value=MAX_TOKEN_DAYS,
        initial=30,
        help_text=f"At most {MAX_TOKEN_DAYS} days.",
    )
