"""Forms for the case's life and transfers: shape only, choices limited to the actor's own
agency (workers) or active agencies; the rules live in case_life.py."""

from __future__ import annotations

from typing import cast

from django import forms

from accounts.models import User
from casework.models import AgencyCase
from govuk_forms.forms import GovukFormMixin
from partnership.models import Agency


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
