"""Forms for case records. They validate input shape; domain rules live in services."""

from typing import Any

from django import forms

from accounts.models import User
from cases import extensions
from cases.models import (
    CaseShare,
    CseMarker,
    Feedback,
    MissingEpisode,
    Referral,
    RiskAnswer,
    RiskLevel,
    RiskTool,
    Support,
    YoungPerson,
)
from cases.record_fields import (
    MISSING_EPISODE_FIELDS,
    REFERRAL_FIELDS,
    SUPPORT_FIELDS,
    YOUNG_PERSON_FIELDS,
)
from govuk_forms.forms import DateInput, DateTimeInput, GovukFormMixin
from partnership import date_bounds
from partnership.models import Agency

ERROR_SEARCH_NEEDS = "Enter a name or a date of birth to search."


def _agencies() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=Agency.objects.filter(is_active=True).order_by("name"), required=False
    )


class VersionedForm(GovukFormMixin, forms.ModelForm):
    """Carries the version the editor opened, so a colleague's later save is detected."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version
        # Fields other apps keep about this record (e.g. the MAOG's place where found).
        before = set(self.fields)
        extensions.contribute(self, user)
        self.govuk_style_fields([name for name in self.fields if name not in before])

    def changes(self) -> dict[str, Any]:
        # Every subclass declares Meta.fields (a ModelForm without them is refused at import).
        return {name: self.cleaned_data[name] for name in self._meta.fields or ()}

    def _post_clean(self) -> None:
        # Model validation runs in the service, inside the conflict check: skip the
        # ModelForm's own instance construction so the stored record is not touched here.
        pass


class YoungPersonSearchForm(GovukFormMixin, forms.Form):
    field_validators = date_bounds.fields(birth=["date_of_birth"])

    first_name = forms.CharField(max_length=100, required=False)
    last_name = forms.CharField(max_length=100, required=False)
    date_of_birth = forms.DateField(required=False, widget=DateInput)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not (data.get("last_name") or data.get("first_name") or data.get("date_of_birth")):
            raise forms.ValidationError(ERROR_SEARCH_NEEDS)
        return data


class YoungPersonForm(VersionedForm):
    field_validators = date_bounds.fields(birth=["date_of_birth"])

    prefix = "yp"

    class Meta:
        model = YoungPerson
        fields = list(YOUNG_PERSON_FIELDS)
        widgets = {"date_of_birth": DateInput}
        labels = {"looked_after": "Looked after by the local authority"}


class ReferralForm(VersionedForm):
    field_validators = date_bounds.fields(events=["received_on", "outcome_date"])

    class Meta:
        model = Referral
        fields = list(REFERRAL_FIELDS)
        widgets = {
            "received_on": DateInput,
            "outcome_date": DateInput,
            "concerns": forms.Textarea(attrs={"rows": 5}),
            "initial_risk_level": forms.RadioSelect,
        }
        labels = {"received_on": "Date received", "referring_agency": "Referred by (agency)"}
        help_texts = {"referring_agency": "Leave blank for a member of the public."}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agencies = self.typed_field("referring_agency", forms.ModelChoiceField)
        agencies.queryset = Agency.objects.filter(is_active=True)
        self.typed_field("initial_risk_level", forms.ChoiceField).choices = RiskLevel.choices


class MarkerForm(VersionedForm):
    field_validators = date_bounds.fields(events=["start_date", "end_date"])

    class Meta:
        model = CseMarker
        fields = ["marker_type", "start_date", "end_date", "risk_level"]
        widgets = {"start_date": DateInput, "end_date": DateInput, "risk_level": forms.RadioSelect}


class MissingEpisodeForm(VersionedForm):
    field_validators = date_bounds.fields(
        events=["missing_from", "located_at", "rd_reoffered_at", "rd_completed_at"]
    )

    class Meta:
        model = MissingEpisode
        fields = [name for name in MISSING_EPISODE_FIELDS if name != "rd_offered_at"]
        widgets = {
            "missing_from": DateTimeInput,
            "located_at": DateTimeInput,
            "rd_reoffered_at": DateTimeInput,
            "rd_completed_at": DateTimeInput,
            "category": forms.RadioSelect,
            "return_discussion": forms.RadioSelect,
            "rd_declined_reason": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "missing_from": "Reported missing at",
            "located_at": "Located at",
            "category": "Absent or missing",
            "placement_type": "Placement missing from",
            "return_discussion": "Return discussion",
            "rd_declined_reason": "Reason the return discussion was declined",
            "rd_reoffered_at": "Return discussion re-offered at",
            "rd_completed_at": "Return discussion completed at",
            "rd_agency": "Agency holding the return discussion",
        }


class SupportForm(VersionedForm):
    field_validators = date_bounds.fields(events=["offered_on", "started_on", "ended_on"])

    accepted = forms.TypedChoiceField(
        choices=[("", "Not answered yet"), ("yes", "Accepted"), ("no", "Declined")],
        coerce=lambda value: {"yes": True, "no": False}.get(value),
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Support
        fields = list(SUPPORT_FIELDS)
        widgets = {"offered_on": DateInput, "started_on": DateInput, "ended_on": DateInput}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["accepted"] = {True: "yes", False: "no"}.get(self.instance.accepted, "")


class FeedbackForm(VersionedForm):
    field_validators = date_bounds.fields(events=["received_on"])

    satisfied = forms.TypedChoiceField(
        choices=[("yes", "Satisfied"), ("no", "Not satisfied")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Feedback
        fields = ["received_on", "respondent", "satisfied", "comment"]
        widgets = {"received_on": DateInput, "respondent": forms.RadioSelect}


class ShareForm(GovukFormMixin, forms.Form):
    agency = forms.ModelChoiceField(queryset=Agency.objects.none(), label="Share with")
    lawful_basis = forms.ChoiceField(
        choices=CaseShare.LawfulBasis.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Reason for sharing")

    def __init__(self, *args: Any, owner_agency_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.typed_field("agency", forms.ModelChoiceField).queryset = (
            Agency.objects.filter(is_active=True).exclude(pk=owner_agency_id).order_by("name")
        )


class RevokeForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Reason for revoking"
    )


class RiskAssessmentForm(GovukFormMixin, forms.Form):
    """One radio group per screening item, built from the tool's data."""

    field_validators = date_bounds.fields(events=["assessed_on"], planned=["reassessment_due"])

    assessed_on = forms.DateField(widget=DateInput, label="Date of assessment")
    override_level = forms.ChoiceField(
        choices=[("", "No override: use the calculated level"), *RiskLevel.choices],
        required=False,
        label="Professional judgement override",
    )
    override_reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Reason for override"
    )
    reassessment_due = forms.DateField(
        widget=DateInput,
        required=False,
        help_text="Leave blank for the default (3 months after the assessment).",
    )

    def __init__(self, *args: Any, tool: RiskTool, **kwargs: Any) -> None:
        self.tool = tool
        self.items = list(tool.items.all())
        super().__init__(*args, **kwargs)
        for item in self.items:
            self.fields[self.item_field(item.pk)] = forms.ChoiceField(
                label=item.wording,
                help_text=item.get_category_display(),
                choices=RiskAnswer.Recency.choices,
                widget=forms.RadioSelect,
                error_messages={"required": f"Select an answer for: {item.wording}"},
            )
        # Put the dates and override after the questions.
        order = [self.item_field(item.pk) for item in self.items]
        self.order_fields(["assessed_on", *order])

    @staticmethod
    def item_field(item_id: int) -> str:
        return f"item_{item_id}"

    def answers(self) -> dict[int, str]:
        return {item.pk: self.cleaned_data[self.item_field(item.pk)] for item in self.items}


class ReferralFilterForm(GovukFormMixin, forms.Form):
    q = forms.CharField(required=False, label="Name")
    risk = forms.ChoiceField(
        choices=[("", "Any"), *RiskLevel.choices], required=False, label="Risk level"
    )
    outcome = forms.ChoiceField(choices=[("", "Any"), *Referral.Outcome.choices], required=False)
    marker = forms.ChoiceField(
        choices=[("", "Any"), ("yes", "Has a CSE marker")], required=False, label="CSE marker"
    )
    agency = _agencies()
    date_from = forms.DateField(required=False, widget=DateInput, label="Received from")
    date_to = forms.DateField(required=False, widget=DateInput, label="Received to")


class YoungPersonFilterForm(GovukFormMixin, forms.Form):
    q = forms.CharField(required=False, label="Name")
    marker = forms.ChoiceField(
        choices=[("", "Any"), ("yes", "Has an active marker"), ("no", "No active marker")],
        required=False,
        label="CSE marker",
    )
    risk = forms.ChoiceField(
        choices=[("", "Any"), *RiskLevel.choices], required=False, label="Latest risk level"
    )
    agency = _agencies()


class MissingFilterForm(GovukFormMixin, forms.Form):
    q = forms.CharField(required=False, label="Name")
    category = forms.ChoiceField(
        choices=[("", "Any"), *MissingEpisode.Category.choices], required=False
    )
    return_discussion = forms.ChoiceField(
        choices=[("", "Any"), *MissingEpisode.ReturnDiscussion.choices], required=False
    )
    agency = _agencies()
    date_from = forms.DateField(required=False, widget=DateInput, label="Missing from")
    date_to = forms.DateField(required=False, widget=DateInput, label="Missing to")
