"""Pages of allegations and intelligence (intelligence is 404 outside the MAOG)."""

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse

from audit.services import record_open
from cases.views import (
    _require_caseworker,
)
from maog import forms, permissions, services
from maog.views.common import (
    _create_view,
    _require_maog,
)
from partnership.query_params import id_param
from records.http import AuthenticatedRequest
from records.views import posted

# --- Allegations ---------------------------------------------------------------------------


def allegation_create(request: AuthenticatedRequest) -> HttpResponse:
    _require_caseworker(request)
    initial: dict[str, Any] = {}
    for param, field in (("person", "persons"), ("young_person", "young_people")):
        if (record_id := id_param(request.GET, param)) is not None:
            initial[field] = [record_id]
    return _create_view(
        request,
        forms.AllegationForm(posted(request), user=request.user, initial=initial),
        create=services.allegation_create,
        title="Record an allegation",
        success="Allegation recorded.",
        done=lambda allegation: reverse("maog:allegation_detail", args=[allegation.pk]),
    )


def allegation_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    allegation = record_open(request, permissions.allegation_for_user_or_404, pk)
    visible_persons = permissions.person_queryset_for_user(request.user).values("pk")
    visible_young_people = permissions.young_person_queryset_for_user(request.user).values("pk")
    persons = allegation.persons.select_related("owner_agency")
    young_people = allegation.young_people.select_related("owner_agency")
    return render(
        request,
        "maog/allegation_detail.html",
        {
            "allegation": allegation,
            "persons": persons.filter(pk__in=visible_persons),
            "hidden_persons": persons.exclude(pk__in=visible_persons).count(),
            "young_people": young_people.filter(pk__in=visible_young_people),
            "hidden_young_people": young_people.exclude(pk__in=visible_young_people).count(),
            "can_edit": permissions.can_edit_record(request.user, allegation),
        },
    )


# --- Intelligence (MAOG only) --------------------------------------------------------------


def intelligence_create(request: AuthenticatedRequest) -> HttpResponse:
    _require_maog(request, permissions.intelligence_policy)
    return _create_view(
        request,
        forms.IntelligenceForm(posted(request), user=request.user),
        create=services.intelligence_create,
        title="Record intelligence",
        success="Intelligence recorded.",
        done=lambda entry: reverse("maog:intelligence_detail", args=[entry.pk]),
    )


def intelligence_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    entry = record_open(request, permissions.intelligence_for_user_or_404, pk)
    visible_young_people = permissions.young_person_queryset_for_user(request.user).values("pk")
    young_people = entry.young_people.select_related("owner_agency")
    return render(
        request,
        "maog/intelligence_detail.html",
        {
            "entry": entry,
            "persons": entry.persons.all(),
            "young_people": young_people.filter(pk__in=visible_young_people),
            "hidden_young_people": young_people.exclude(pk__in=visible_young_people).count(),
            "places": entry.places.all(),
            "vehicles": entry.vehicles.all(),
            "handles": entry.handles.all(),
            "can_edit": permissions.can_edit_record(request.user, entry),
        },
    )
