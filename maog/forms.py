"""Forms for the MAOG records. Shape only; domain rules live in maog.services.

Choice lists of people, places, vehicles and handles are built from maog.permissions for
the signed-in user, so a form never offers (or accepts) a record out of reach.
"""

from typing import Any

from django import forms
from django.db.models import Model, QuerySet

from accounts.models import User
from cases.forms import VersionedForm
from cases.models import MissingEpisode
from govuk_forms.forms import (
    AutocompleteSelect,
    AutocompleteSelectMultiple,
    DateInput,
    GovukFormMixin,
)
from maog import permissions, services
from maog.models import (
    Allegation,
    EpisodePlace,
    Intelligence,
    Link,
    OnlineHandle,
    PersonOfConcern,
    PersonShare,
    Place,
    Vehicle,
)
from maog.selectors import PATHWAY_STAGES
from partnership import date_bounds
from partnership.models import Agency

ERROR_SEARCH_NEEDS = "Enter a name, an alias or a date of birth to search."


def _offer(form: forms.BaseForm, name: str, queryset: QuerySet[Any]) -> None:
    """Offer (and accept) only ``queryset`` in a model choice field: what the user may see."""
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField):
        raise TypeError(f"{name} is not a model choice field")
    field.queryset = queryset


def _young_people(user: User) -> Any:
    return permissions.young_person_queryset_for_user(user).order_by("last_name", "first_name")


class PersonSearchForm(GovukFormMixin, forms.Form):
    field_validators = date_bounds.fields(adult_birth=["date_of_birth"])

    name = forms.CharField(max_length=200, required=False, label="Name or alias")
    date_of_birth = forms.DateField(required=False, widget=DateInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("name") or data.get("date_of_birth")):
            raise forms.ValidationError(ERROR_SEARCH_NEEDS)
        return data


class PersonForm(VersionedForm):
    field_validators = date_bounds.fields(adult_birth=["date_of_birth"])

    class Meta:
        model = PersonOfConcern
        fields = [
            "name",
            "aliases",
            "date_of_birth",
            "estimated_age",
            "sex",
            "ethnicity",
            "description",
        ]
        widgets = {"date_of_birth": DateInput, "description": forms.Textarea(attrs={"rows": 4})}
        labels = {"aliases": "Aliases or nicknames", "estimated_age": "Estimated age (years)"}
        help_texts = {
            "aliases": "Separate several with commas.",
            "estimated_age": "When the date of birth is not known.",
        }


class PersonShareForm(GovukFormMixin, forms.Form):
    agency = forms.ModelChoiceField(queryset=Agency.objects.none(), label="Share with")
    lawful_basis = forms.ChoiceField(
        choices=[
            choice
            for choice in PersonShare.LawfulBasis.choices
            if choice[0] != PersonShare.LawfulBasis.NOT_RECORDED
        ],
        widget=forms.RadioSelect,
        label="Lawful basis for sharing",
    )
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Reason for sharing")

    def __init__(self, *args: Any, owner_agency_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offer(
            self,
            "agency",
            Agency.objects.filter(is_active=True).exclude(pk=owner_agency_id).order_by("name"),
        )


class PlaceForm(VersionedForm):
    class Meta:
        model = Place
        fields = ["name", "address", "place_type", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        labels = {"place_type": "Type of place"}


class VehicleForm(VersionedForm):
    class Meta:
        model = Vehicle
        fields = ["registration", "description"]
        help_texts = {"description": "Make, model, colour, distinguishing marks."}


class HandleForm(VersionedForm):
    class Meta:
        model = OnlineHandle
        fields = ["platform", "handle"]
        labels = {"handle": "Handle or username"}


# Nature, source and dates of a link, shared by both link forms; records are chosen by name.
LINK_WIDGETS = {
    "nature": forms.RadioSelect,
    "start_date": DateInput,
    "end_date": DateInput,
    "young_person": AutocompleteSelect,
    "other_person": AutocompleteSelect,
    "place": AutocompleteSelect,
    "vehicle": AutocompleteSelect,
    "handle": AutocompleteSelect,
}
LINK_LABELS = {"source": "Source of the information", "start_date": "Linked since"}


class PersonLinkForm(GovukFormMixin, forms.ModelForm):
    """Link a person of concern to exactly one thing the user's agency can see."""

    field_validators = date_bounds.fields(events=["start_date", "end_date"])

    class Meta:
        model = Link
        fields = [
            "young_person",
            "other_person",
            "place",
            "vehicle",
            "handle",
            "nature",
            "source",
            "start_date",
            "end_date",
        ]
        widgets = LINK_WIDGETS
        labels = {**LINK_LABELS, "other_person": "Another person of concern"}

    def __init__(self, *args: Any, user: User, person: PersonOfConcern, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offer(self, "young_person", _young_people(user))
        _offer(
            self, "other_person", permissions.person_queryset_for_user(user).exclude(pk=person.pk)
        )
        _offer(self, "place", permissions.place_queryset_for_user(user))
        _offer(self, "vehicle", permissions.vehicle_queryset_for_user(user))
        _offer(self, "handle", permissions.handle_queryset_for_user(user))
        self.fields["young_person"].help_text = (
            "Choose one thing to link to: a young person, another person, a place, a vehicle "
            "or an online handle."
        )

    def _post_clean(self) -> None:
        pass  # the service validates (exactly one target, both ends within reach)

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields or ()}


class PlaceLinkForm(GovukFormMixin, forms.ModelForm):
    """Link a young person to a place."""

    field_validators = date_bounds.fields(events=["start_date", "end_date"])

    class Meta:
        model = Link
        fields = ["young_person", "nature", "source", "start_date", "end_date"]
        widgets = LINK_WIDGETS
        labels = LINK_LABELS

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offer(self, "young_person", _young_people(user))
        self.fields["young_person"].required = True

    def _post_clean(self) -> None:
        pass

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields or ()}


def others_held_elsewhere(count: int) -> str:
    """ "and N others held by other agencies": links kept but not shown to this user."""
    if count == 1:
        return "And 1 other held by another agency, kept as it is."
    return f"And {count} others held by other agencies, kept as they are."


class AllegationForm(VersionedForm):
    field_validators = date_bounds.fields(
        events=["alleged_on", "reported_to_police_on", "reported_to_copfs_on", "outcome_date"]
    )

    class Meta:
        model = Allegation
        fields = [
            "persons",
            "young_people",
            "summary",
            "alleged_on",
            "reported_to_police_on",
            "investigated",
            "reported_to_copfs_on",
            "prosecution_outcome",
            "outcome_date",
            "mappa_managed",
            "victim_safety_plan",
            "safety_plan_evidence",
        ]
        widgets = {
            "persons": AutocompleteSelectMultiple,
            "young_people": AutocompleteSelectMultiple,
            "summary": forms.Textarea(attrs={"rows": 4}),
            "alleged_on": DateInput,
            "reported_to_police_on": DateInput,
            "reported_to_copfs_on": DateInput,
            "outcome_date": DateInput,
            "prosecution_outcome": forms.RadioSelect,
            "safety_plan_evidence": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "persons": "Against (persons of concern)",
            "young_people": "About (young people)",
            "reported_to_police_on": "Reported to police on",
            "investigated": "Investigated by police",
            "reported_to_copfs_on": "Reported to the Procurator Fiscal (COPFS) on",
            "outcome_date": "Date of the outcome",
            "mappa_managed": "Managed under MAPPA",
            "victim_safety_plan": "Victim safety plan recorded at MAPPA",
            "safety_plan_evidence": "Evidence of the victim safety plan",
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offer(self, "persons", permissions.person_queryset_for_user(user))
        _offer(self, "young_people", _young_people(user))
        # Links the user cannot see are not offered and are kept as they are on saving
        # (services.allegation_update); the form says how many there are, never who.
        hidden = services.allegation_out_of_reach(actor=user, allegation=self.instance)
        for name in ("persons", "young_people"):
            help_text = AutocompleteSelectMultiple.no_js_hint
            if hidden[name]:
                help_text += " " + others_held_elsewhere(len(hidden[name]))
            self.fields[name].help_text = help_text


# The records an intelligence entry is about, each chosen by name (several of each).
RECORD_FIELDS = ("persons", "young_people", "places", "vehicles", "handles")


class IntelligenceForm(VersionedForm):
    field_validators = date_bounds.fields(events=["received_on"])

    class Meta:
        model = Intelligence
        fields = [
            "received_on",
            "source_agency",
            "category",
            "source_evaluation",
            "intelligence_assessment",
            "handling_code",
            "narrative",
            "action_taken",
            "persons",
            "young_people",
            "places",
            "vehicles",
            "handles",
        ]
        widgets = {
            "received_on": DateInput,
            "source_evaluation": forms.RadioSelect,
            "intelligence_assessment": forms.RadioSelect,
            "handling_code": forms.RadioSelect,
            "narrative": forms.Textarea(attrs={"rows": 6}),
            "action_taken": forms.Textarea(attrs={"rows": 3}),
            **dict.fromkeys(RECORD_FIELDS, AutocompleteSelectMultiple),
        }
        labels = {
            "received_on": "Date received",
            "source_evaluation": "Source evaluation",
            "intelligence_assessment": "Intelligence assessment",
            "handling_code": "Handling code",
            "persons": "Persons of concern",
            "handles": "Online handles",
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offer(self, "source_agency", Agency.objects.filter(is_active=True))
        _offer(self, "persons", permissions.person_queryset_for_user(user))
        _offer(self, "young_people", _young_people(user))
        _offer(self, "places", permissions.place_queryset_for_user(user))
        _offer(self, "vehicles", permissions.vehicle_queryset_for_user(user))
        _offer(self, "handles", permissions.handle_queryset_for_user(user))
        for name in RECORD_FIELDS:
            self.fields[name].help_text = AutocompleteSelectMultiple.no_js_hint


class PersonFilterForm(GovukFormMixin, forms.Form):
    q = forms.CharField(required=False, label="Name or alias")
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.filter(is_active=True).order_by("name"), required=False
    )


class PlaceFilterForm(GovukFormMixin, forms.Form):
    q = forms.CharField(required=False, label="Name or address")
    place_type = forms.ChoiceField(
        choices=[("", "Any"), *Place.PlaceType.choices], required=False, label="Type"
    )


class VehicleFilterForm(GovukFormMixin, forms.Form):
    q = forms.CharField(required=False, max_length=16, label="Registration (or part of it)")
    person = forms.CharField(required=False, max_length=200, label="Linked to (name or alias)")
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.filter(is_active=True).order_by("name"),
        required=False,
        label="Recorded by",
    )


class HandleFilterForm(GovukFormMixin, forms.Form):
    q = forms.CharField(required=False, max_length=200, label="Handle (or part of it)")
    platform = forms.ChoiceField(choices=[("", "Any")], required=False)
    person = forms.CharField(required=False, max_length=200, label="Linked to (name or alias)")
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.filter(is_active=True).order_by("name"),
        required=False,
        label="Recorded by",
    )

    def __init__(self, *args: Any, platforms: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only platforms of handles the user may see: the list itself must not leak any.
        platform = self.fields["platform"]
        if not isinstance(platform, forms.ChoiceField):
            raise TypeError("platform is not a choice field")
        platform.choices = [("", "Any"), *((p, p) for p in platforms or [])]


class AllegationFilterForm(GovukFormMixin, forms.Form):
    stage = forms.ChoiceField(
        choices=[("", "Any"), *PATHWAY_STAGES], required=False, label="Stage reached"
    )
    mappa = forms.ChoiceField(
        choices=[("", "Any"), ("yes", "MAPPA managed")], required=False, label="MAPPA"
    )
    date_from = forms.DateField(required=False, widget=DateInput, label="Alleged from")
    date_to = forms.DateField(required=False, widget=DateInput, label="Alleged to")


class IntelligenceFilterForm(GovukFormMixin, forms.Form):
    q = forms.CharField(required=False, label="Words in the narrative")
    category = forms.ChoiceField(
        choices=[("", "Any"), *Intelligence.Category.choices], required=False
    )
    date_from = forms.DateField(required=False, widget=DateInput, label="Received from")
    date_to = forms.DateField(required=False, widget=DateInput, label="Received to")


class DateRangeForm(GovukFormMixin, forms.Form):
    date_from = forms.DateField(required=False, widget=DateInput, label="From")
    date_to = forms.DateField(required=False, widget=DateInput, label="To")


class EpisodePlaceExtension:
    """Adds "Place of concern where found" to the missing episode form in cases (registered
    in ``maog.apps``): choices only from places the user may see, saved by
    ``services.episode_place_set`` with the episode."""

    field_name = "found_place"

    def contribute(self, form: forms.ModelForm, user: User | None) -> None:
        form.fields[self.field_name] = forms.ModelChoiceField(
            queryset=(
                permissions.place_queryset_for_user(user).order_by("name")
                if user is not None
                else Place.objects.none()
            ),
            required=False,
            label="Place of concern where found",
            help_text="Only if the place is already recorded in CSE Portal.",
        )
        if form.instance.pk and not form.is_bound:
            current = EpisodePlace.objects.filter(episode_id=form.instance.pk).first()
            if current is not None:
                form.initial[self.field_name] = current.place_id
        # Next to "where found", where it was before the MAOG had its own app.
        order = [name for name in form.fields if name != self.field_name]
        at = order.index("where_found") + 1 if "where_found" in order else len(order)
        form.order_fields([*order[:at], self.field_name, *order[at:]])

    def save(self, *, actor: User, instance: Model, cleaned_data: dict[str, Any]) -> None:
        if not isinstance(instance, MissingEpisode):
            raise TypeError("The place where found belongs to a missing episode")
        services.episode_place_set(
            actor=actor, episode=instance, place=cleaned_data.get(self.field_name)
        )
