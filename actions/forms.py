"""Forms of the action plan. They check shape only; the rules (remedial action, evidence type
and size) live in services.py and come back as field errors."""

from typing import Any

from django import forms
from django.db.models import Model

from actions.models import (
    ActionItem,
    AwarenessSession,
    MaogMeeting,
    MemberBriefing,
    PreventionSession,
    RagStatus,
    TrainingSession,
)
from cases.identifying_text import identifying_text_error
from govuk_forms.forms import DateInput, GovukFormMixin
from partnership import date_bounds
from partnership.models import Agency

INPUT = "govuk-input"
TEXTAREA = "govuk-textarea"
SELECT = "govuk-select"


class ProgressUpdateForm(GovukFormMixin, forms.Form):
    field_validators = date_bounds.fields(events=["milestone_date"])

    status = forms.ChoiceField(
        label="RAG status", choices=RagStatus.choices, widget=forms.RadioSelect
    )
    narrative = forms.CharField(
        label="Progress in the period",
        widget=forms.Textarea(attrs={"class": TEXTAREA, "rows": 6}),
    )
    remedial_action = forms.CharField(
        label="Remedial action",
        required=False,
        help_text="Required when the status is red or amber: what will be done, by whom, by when.",
        widget=forms.Textarea(attrs={"class": TEXTAREA, "rows": 4}),
    )
    milestone_done = forms.BooleanField(
        label="The milestone has been reached",
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "govuk-checkboxes__input"}),
    )
    milestone_date = forms.DateField(
        label="Date the milestone was reached", required=False, widget=DateInput()
    )
    evidence_link = forms.URLField(
        label="Link to evidence",
        required=False,
        assume_scheme="https",
        help_text="For example a link to the minutes or the approved procedure.",
        widget=forms.URLInput(attrs={"class": INPUT}),
    )
    evidence_file = forms.FileField(
        label="Evidence file",
        required=False,
        help_text="PDF, Word (.docx), Excel (.xlsx), PNG, JPEG or CSV.",
        widget=forms.ClearableFileInput(attrs={"class": "govuk-file-upload"}),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, item: ActionItem, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if item.measure_kind != ActionItem.MeasureKind.MILESTONE:
            del self.fields["milestone_done"]
            del self.fields["milestone_date"]

    def _published_text(self, name: str) -> str:
        # Printed in public committee reports: refuse text that identifies a young person
        # (the message names the field, never the child).
        text = self.cleaned_data.get(name, "")
        message = identifying_text_error(field_label=str(self[name].label), text=text)
        if message:
            raise forms.ValidationError(message)
        return text

    def clean_narrative(self) -> str:
        return self._published_text("narrative")

    def clean_remedial_action(self) -> str:
        return self._published_text("remedial_action")


class TargetDateForm(GovukFormMixin, forms.Form):
    field_validators = date_bounds.fields(planned=["target_date"])

    target_date = forms.DateField(
        label="Target date",
        required=False,
        widget=DateInput,
        help_text="Leave blank if the item has no target date.",
    )


class UpdateRequestForm(GovukFormMixin, forms.Form):
    period = forms.ChoiceField(
        label="Reporting period", widget=forms.Select(attrs={"class": SELECT})
    )
    message = forms.CharField(
        label="Message to the lead agency",
        required=False,
        widget=forms.Textarea(attrs={"class": TEXTAREA, "rows": 4}),
    )

    def __init__(self, *args: Any, periods: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.typed_field("period", forms.ChoiceField).choices = [(code, code) for code in periods]


def _widgets(model: type[Model]) -> dict[str, forms.Widget]:
    widgets: dict[str, forms.Widget] = {"occurred_on": DateInput()}
    for model_field in model._meta.get_fields():
        name = model_field.name
        internal = getattr(model_field, "get_internal_type", lambda: "")()
        if name == "occurred_on" or not getattr(model_field, "editable", False):
            continue
        if internal == "TextField":
            widgets[name] = forms.Textarea(attrs={"class": TEXTAREA, "rows": 3})
        elif internal == "BooleanField":
            widgets[name] = forms.CheckboxInput(attrs={"class": "govuk-checkboxes__input"})
        elif internal in {"PositiveIntegerField", "IntegerField"}:
            widgets[name] = forms.NumberInput(
                attrs={"class": f"{INPUT} govuk-input--width-5", "min": "0"}
            )
        elif getattr(model_field, "choices", None) or internal == "ForeignKey":
            widgets[name] = forms.Select(attrs={"class": SELECT})
        elif internal == "CharField":
            widgets[name] = forms.TextInput(attrs={"class": INPUT})
    return widgets


class ActivityForm(GovukFormMixin, forms.ModelForm):
    """A recorded activity of the plan (a session, a briefing, a meeting): each is dated on
    ``occurred_on``, an event date; each form's Meta takes its widgets from ``_widgets``."""

    field_validators = date_bounds.fields(events=["occurred_on"])


class PreventionSessionForm(ActivityForm):
    class Meta:
        model = PreventionSession
        fields = [
            "occurred_on",
            "setting",
            "setting_name",
            "young_people_reached",
            "carers_reached",
            "notes",
        ]
        labels = {
            "occurred_on": "Date of the session",
            "setting": "Where",
            "setting_name": "Name of the school, unit or carers' group",
        }
        widgets = _widgets(PreventionSession)


class TrainingSessionForm(ActivityForm):
    class Meta:
        model = TrainingSession
        fields = ["occurred_on", "title", "staff_trained", "trainee_agency", "notes"]
        labels = {
            "occurred_on": "Date of the training",
            "staff_trained": "Front-line staff trained",
            "trainee_agency": "Agency of the staff trained",
        }
        widgets = _widgets(TrainingSession)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.typed_field("trainee_agency", forms.ModelChoiceField).queryset = Agency.objects.filter(
            is_active=True
        )


class AwarenessSessionForm(ActivityForm):
    class Meta:
        model = AwarenessSession
        fields = ["occurred_on", "venue_name", "venue_type", "people_reached", "notes"]
        labels = {"occurred_on": "Date", "venue_name": "Venue or business"}
        widgets = _widgets(AwarenessSession)


class MemberBriefingForm(ActivityForm):
    class Meta:
        model = MemberBriefing
        fields = ["occurred_on", "members_briefed", "council_total", "notes"]
        labels = {"occurred_on": "Date of the briefing", "members_briefed": "Members briefed"}
        widgets = _widgets(MemberBriefing)


class MaogMeetingForm(ActivityForm):
    class Meta:
        model = MaogMeeting
        fields = [
            "occurred_on",
            "planned",
            "held",
            "terms_of_reference_in_force",
            "minutes_recorded",
            "notes",
        ]
        labels = {
            "occurred_on": "Date of the meeting",
            "planned": "The meeting was planned",
            "held": "The meeting was held",
            "terms_of_reference_in_force": "Terms of reference in force",
            "minutes_recorded": "Minutes recorded",
        }
        widgets = _widgets(MaogMeeting)


ACTIVITY_FORMS: dict[str, type[GovukFormMixin]] = {
    "prevention": PreventionSessionForm,
    "training": TrainingSessionForm,
    "awareness": AwarenessSessionForm,
    "member_briefing": MemberBriefingForm,
    "maog_meeting": MaogMeetingForm,
}

ACTIVITY_LABELS: dict[str, str] = {
    "prevention": "Prevention sessions",
    "training": "Training",
    "awareness": "Awareness raising",
    "member_briefing": "Elected-member briefings",
    "maog_meeting": "MAOG meetings",
}
