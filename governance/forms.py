import datetime as dt

from django import forms
from django.utils import timezone

from audit.models import RetentionDecision
from govuk_forms.forms import DateInput, GovukFormMixin


class RetentionDecisionForm(GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label="Decision", choices=RetentionDecision.Kind.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 3}))
    new_review_date = forms.DateField(
        label="New review date (for keep)", required=False, widget=DateInput()
    )
    hold_until = forms.DateField(
        label="Hold until (optional, for legal hold)",
        required=False,
        widget=DateInput(),
    )


class AccessAuditForm(GovukFormMixin, forms.Form):
    date_from = forms.DateField(label="From", widget=DateInput())
    date_to = forms.DateField(label="To", widget=DateInput())
    username = forms.CharField(label="User name", required=False, max_length=150)
    object_type = forms.CharField(
        label="Record type (e.g. cases.youngperson)", required=False, max_length=60
    )
    object_id = forms.IntegerField(label="Record number", required=False, min_value=1)
    admin_changes = forms.BooleanField(label="Administrator changes instead", required=False)

    @staticmethod
    def default_initial() -> dict[str, dt.date]:
        today = timezone.localdate()
        return {"date_from": today - dt.timedelta(days=30), "date_to": today}


class SubjectAccessForm(GovukFormMixin, forms.Form):
    subject_type = forms.ChoiceField(label="The request is about")
    subject_id = forms.IntegerField(label="Record number", min_value=1)
    received_on = forms.DateField(label="Received on", widget=DateInput())

    def __init__(
        self, *args: object, subject_choices: list[tuple[str, str]], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["subject_type"].choices = subject_choices  # type: ignore[attr-defined]
