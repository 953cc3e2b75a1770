from typing import Any, cast

from django import forms

from partnership.models import Committee
from partnership.periods import current_period, period_from_code, recent_periods

REPORT_PERIODS = 6


def period_choices() -> list[tuple[str, str]]:
    """The current period and the five before it, newest first."""
    periods = reversed(recent_periods(REPORT_PERIODS, ending=current_period()))
    return [(p.code, f"{p.code} ({p.label})") for p in periods]


class ReportRequestForm(forms.Form):
    committee = forms.ModelChoiceField(
        queryset=Committee.objects.order_by("name"),
        empty_label=None,
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )
    period = forms.ChoiceField(widget=forms.Select(attrs={"class": "govuk-select"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = period_choices()
        cast(forms.ChoiceField, self.fields["period"]).choices = choices
        # The period most recently closed is what a committee usually wants.
        self.fields["period"].initial = choices[1][0] if len(choices) > 1 else choices[0][0]


ERROR_PERIOD = "Enter a reporting period like 2025-26-H1."


class DashboardPeriodForm(forms.Form):
    period = forms.ChoiceField(required=False, widget=forms.Select(attrs={"class": "govuk-select"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = period_choices()
        # A period older than the list (a bookmarked link) is shown as asked, never swapped
        # silently for the current one.
        asked = (self.data.get("period") or "").strip() if self.is_bound else ""
        try:
            code = period_from_code(asked).code if asked else ""
        except ValueError:
            code = ""
        if code and code not in dict(choices):
            choices.append((code, f"{code} ({period_from_code(code).label})"))
        cast(forms.ChoiceField, self.fields["period"]).choices = choices
        self.fields["period"].error_messages["invalid_choice"] = ERROR_PERIOD
