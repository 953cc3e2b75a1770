"""Forms for casework records. They validate input shape and limit every choice to what the
user may see; domain rules live in services."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from cases.models import MissingEpisode
from casework.chronology_export import ChronologyFilters
from casework.models import CaseNote, Ird, IrdAction, Meeting
from casework.services import CASE_NOTE, IRD, MEETING, Participant
from govuk_forms.forms import DateInput, DateTimeInput, GovukFormMixin
from partnership.models import Agency

if TYPE_CHECKING:
    from accounts.models import User

ERROR_RECORD_NUMBERS = "Enter record numbers separated by commas, for example 12, 40"
ERROR_DATES_ORDER = "The end date must be on or after the start date."
ERROR_PARTICIPANT_NAME = "Enter the name of the person who spoke for the agency."
# Police, social work and health take part in every IRD; education where relevant.
PARTICIPANT_ROWS = 4


def _agencies() -> QuerySet[Agency]:
    return Agency.objects.filter(is_active=True).order_by("name")


class RecordNumbersField(forms.CharField):
    """Record numbers typed as "12, 40": a caseload is too long for a list of checkboxes.
    The numbers are checked against the records the user may see (one query)."""

    def __init__(self, *, queryset: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(required=False, **kwargs)
        self.queryset = queryset

    def clean(self, value: Any) -> list[Any]:  # type: ignore[override]
        text = super().clean(value) or ""
        parts = [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
        if not all(part.isdigit() for part in parts):
            raise forms.ValidationError(ERROR_RECORD_NUMBERS)
        ids = {int(part) for part in parts}
        found = list(self.queryset.filter(pk__in=ids)) if ids else []
        if len(found) != len(ids):
            # Missing and out of reach give the same message (nothing leaks).
            raise forms.ValidationError("Enter numbers of records you can see.")
        return found


class IrdForm(GovukFormMixin, forms.ModelForm):
    other_young_people = RecordNumbersField(
        queryset=Ird.objects.none(),
        label="Other children considered",
        help_text="Young person numbers, separated by commas. Leave empty if none.",
    )
    persons_of_concern = RecordNumbersField(
        queryset=Ird.objects.none(),
        label="Adults considered (persons of concern)",
        help_text="Person of concern numbers, separated by commas. Leave empty if none.",
    )

    class Meta:
        model = Ird
        fields = list(IRD.fields)  # what the service accepts, in the form's order
        widgets = {"held_at": DateTimeInput, "decision": forms.RadioSelect}

    def __init__(
        self,
        *args: Any,
        referrals: QuerySet[Any],
        earlier: QuerySet[Ird],
        young_people: QuerySet[Any],
        persons: QuerySet[Any],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["referral"].queryset = referrals  # type: ignore[attr-defined]
        self.fields["reconvened_from"].queryset = earlier  # type: ignore[attr-defined]
        self.fields["other_young_people"].queryset = young_people  # type: ignore[attr-defined]
        self.fields["persons_of_concern"].queryset = persons  # type: ignore[attr-defined]
        self.fields["decision"].choices = Ird.Decision.choices  # type: ignore[attr-defined]

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in IrdForm.Meta.fields}

    def _post_clean(self) -> None:
        pass  # model validation runs in the service


class ParticipantForm(GovukFormMixin, forms.Form):
    agency = forms.ModelChoiceField(queryset=_agencies(), required=False)
    name = forms.CharField(max_length=200, required=False)
    role = forms.CharField(max_length=200, required=False)
    information_summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="Information the agency shared",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = _agencies()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("agency") and not (data.get("name") or "").strip():
            self.add_error("name", ERROR_PARTICIPANT_NAME)
        return data

    def participant(self) -> Participant | None:
        data = self.cleaned_data
        if not data.get("agency"):
            return None
        return Participant(
            agency=data["agency"],
            name=data["name"],
            role=data.get("role", ""),
            information_summary=data.get("information_summary", ""),
        )


ParticipantFormSet = forms.formset_factory(
    ParticipantForm, extra=PARTICIPANT_ROWS, max_num=PARTICIPANT_ROWS
)


class IrdActionForm(GovukFormMixin, forms.ModelForm):
    class Meta:
        model = IrdAction
        fields = ["description", "agency", "assigned_to", "due_on"]
        widgets = {"due_on": DateInput, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, people: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = _agencies()  # type: ignore[attr-defined]
        assigned = self.fields["assigned_to"]
        assigned.queryset = people  # type: ignore[attr-defined]
        assigned.label_from_instance = (  # type: ignore[attr-defined]
            lambda user: f"{user.get_full_name() or user.username} ({user.agency.short_name})"
        )

    def _post_clean(self) -> None:
        pass  # model validation runs in the service


class CompleteActionForm(GovukFormMixin, forms.Form):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="What was done (optional)",
    )


class CaseNoteForm(GovukFormMixin, forms.ModelForm):
    class Meta:
        model = CaseNote
        fields = list(CASE_NOTE.fields)
        widgets = {
            "contact_at": DateTimeInput,
            "contact_type": forms.RadioSelect,
            "narrative": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact_type"].choices = CaseNote.ContactType.choices  # type: ignore[attr-defined]

    def _post_clean(self) -> None:
        pass  # model validation runs in the service


class ConferenceChronologyForm(GovukFormMixin, forms.Form):
    """The case conference's cut of the chronology (a GET form: it filters, it saves nothing)."""

    date_from = forms.DateField(required=False, widget=DateInput, label="From")
    date_to = forms.DateField(required=False, widget=DateInput, label="To")
    significant_only = forms.BooleanField(required=False, label="Significant events only")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", ERROR_DATES_ORDER)
        return data

    def filters(self) -> ChronologyFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return ChronologyFilters(
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            significant_only=bool(data.get("significant_only")),
        )


class MeetingForm(GovukFormMixin, forms.ModelForm):
    missing_episodes = forms.ModelMultipleChoiceField(
        queryset=MissingEpisode.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Missing episodes this meeting considered",
        help_text="For a meeting after repeated missing episodes: the ones that raised the alert.",
    )

    class Meta:
        model = Meeting
        fields = list(MEETING.fields)
        widgets = {
            "held_at": DateTimeInput,
            "meeting_type": forms.RadioSelect,
            "participants": forms.Textarea(attrs={"rows": 4}),
            "childs_views": forms.Textarea(attrs={"rows": 4}),
            "decisions": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args: Any, episodes: QuerySet[MissingEpisode], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting_type"].choices = Meeting.MeetingType.choices  # type: ignore[attr-defined]
        field = self.fields["missing_episodes"]
        field.queryset = episodes  # type: ignore[attr-defined]
        field.label_from_instance = (  # type: ignore[attr-defined]
            lambda episode: (
                f"Missing from {timezone.localtime(episode.missing_from):%d %b %Y %H:%M}"
            )
        )
        if not episodes.exists():
            del self.fields["missing_episodes"]

    def _post_clean(self) -> None:
        pass  # model validation runs in the service
