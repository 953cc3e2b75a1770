"""Forms for the case's life and transfers: shape only, choices limited to the actor's own
agency (workers) or active agencies; the rules live in case_life.py."""

from __future__ import annotations

from typing import cast

from django import forms

from accounts.models import User
from casework.models import AgencyCase
from casework.safety_plan import ProtectiveAction
from govuk_forms.forms import DateInput, GovukFormMixin
from partnership.models import Agency

ERROR_ACTION_OWNER = "Enter who does the protective action."
ERROR_ACTION_DUE = "Enter the date the protective action is due."
PROTECTIVE_ACTION_ROWS = 4


class AllocateForm(GovukFormMixin, forms.Form):
    allocated_worker = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, label="Allocated worker"
    )
    team = forms.CharField(max_length=200, required=False, label="Team")

    def __init__(self, *args: object, agency_id: int, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = cast(forms.ModelChoiceField, self.fields["allocated_worker"])
        field.queryset = User.objects.filter(agency_id=agency_id, is_active=True).order_by(
            "last_name", "first_name"
        )


class CloseForm(GovukFormMixin, forms.Form):
    closure_reason = forms.ChoiceField(
        choices=AgencyCase.ClosureReason.choices, label="Reason for closing"
    )
    closure_note = forms.CharField(widget=forms.Textarea, required=False, label="Closing summary")


class TransferRequestForm(GovukFormMixin, forms.Form):
    to_agency = forms.ModelChoiceField(
        queryset=Agency.objects.filter(is_active=True).order_by("name"), label="Receiving agency"
    )
    reason = forms.CharField(widget=forms.Textarea, label="Why the case should move")


class TransferDecisionForm(GovukFormMixin, forms.Form):
    decision = forms.ChoiceField(
        choices=[("accept", "Accept the case"), ("decline", "Decline")],
        widget=forms.RadioSelect,
        label="Decision",
    )
    decision_note = forms.CharField(widget=forms.Textarea, required=False, label="Note")


class SafetyPlanForm(GovukFormMixin, forms.Form):
    risks = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), label="Risks")
    childs_views = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label="The child's views"
    )
    carers_views = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="The parents' or carers' views",
    )
    review_on = forms.DateField(widget=DateInput, label="Review date")


class ProtectiveActionForm(GovukFormMixin, forms.Form):
    description = forms.CharField(max_length=500, required=False, label="Protective action")
    owner = forms.CharField(max_length=200, required=False, label="Who does it")
    due_on = forms.DateField(widget=DateInput, required=False, label="By when")

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if (data.get("description") or "").strip():
            if not (data.get("owner") or "").strip():
                self.add_error("owner", ERROR_ACTION_OWNER)
            if not data.get("due_on") and "due_on" not in self.errors:
                self.add_error("due_on", ERROR_ACTION_DUE)
        return data

    def action(self) -> ProtectiveAction | None:
        data = self.cleaned_data
        if not (data.get("description") or "").strip():
            return None
        return ProtectiveAction(
            description=data["description"].strip(),
            owner=data["owner"].strip(),
            due_on=data["due_on"],
        )


ProtectiveActionFormSet = forms.formset_factory(
    ProtectiveActionForm, extra=PROTECTIVE_ACTION_ROWS, max_num=PROTECTIVE_ACTION_ROWS
)
