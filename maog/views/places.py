"""Pages of places, vehicles and online handles."""

from collections.abc import Callable
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse

from audit.services import record_open, record_viewed
from cases.views import (
    _require_caseworker,
)
from maog import forms, permissions, selectors, services
from maog.views.common import (
    _create_view,
    _sees_intelligence,
)
from partnership.query_params import id_param
from records.http import AuthenticatedRequest
from records.views import posted

# --- Places --------------------------------------------------------------------------------


def place_create(request: AuthenticatedRequest) -> HttpResponse:
    _require_caseworker(request)
    return _create_view(
        request,
        forms.PlaceForm(posted(request)),
        create=services.place_create,
        title="Add a place",
        success="Place added.",
        done=lambda place: reverse("maog:place_detail", args=[place.pk]),
    )


def place_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    place = record_open(request, permissions.place_for_user_or_404, pk)
    records = selectors.place_records(user=request.user, place=place)
    return render(
        request,
        "maog/place_detail.html",
        {
            "place": place,
            "episodes": records["episodes"],
            "intelligence": records["intelligence"],
            "person_rows": selectors.link_rows(records["person_links"], kind="place", pk=pk),
            "young_person_rows": selectors.link_rows(
                records["young_person_links"], kind="place", pk=pk
            ),
            "can_edit": permissions.can_edit_record(request.user, place),
            "is_maog": _sees_intelligence(request),
        },
    )


def place_link_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    place = permissions.place_for_user_or_404(request.user, pk)
    return _create_view(
        request,
        forms.PlaceLinkForm(posted(request), user=request.user),
        create=partial(services.link_create, place=place),
        title=f"Link a young person to {place}",
        success="Link added.",
        done=lambda _link: reverse("maog:place_detail", args=[pk]),
    )


# --- Vehicles and online handles -----------------------------------------------------------


def _target_create(
    request: AuthenticatedRequest,
    *,
    kind: str,
    form_class: type,
    create: Callable[..., Model],
    title: str,
) -> HttpResponse:
    """Add a vehicle or handle (``kind``, its link field and URL name); from a person's page
    (?person=) it is linked to them too."""
    _require_caseworker(request)
    person_id = id_param(request.GET, "person")
    person = (
        permissions.person_for_user_or_404(request.user, person_id)
        if person_id is not None
        else None
    )

    def create_and_link(*, actor: Any, **fields: Any) -> Model:
        with transaction.atomic():
            record = create(actor=actor, **fields)
            if person is not None:
                target: dict[str, Any] = {kind: record}
                services.link_create(actor=actor, person=person, nature="uses", **target)
        return record

    return _create_view(
        request,
        form_class(posted(request)),
        create=create_and_link,
        title=title + (f" used by {person}" if person else ""),
        success="Saved.",
        done=lambda record: (
            reverse("maog:person_detail", args=[person.pk])
            if person
            else reverse(f"maog:{kind}_detail", args=[record.pk])
        ),
    )


def vehicle_create(request: AuthenticatedRequest) -> HttpResponse:
    return _target_create(
        request,
        kind="vehicle",
        form_class=forms.VehicleForm,
        create=services.vehicle_create,
        title="Add a vehicle",
    )


def handle_create(request: AuthenticatedRequest) -> HttpResponse:
    return _target_create(
        request,
        kind="handle",
        form_class=forms.HandleForm,
        create=services.handle_create,
        title="Add an online handle",
    )


# What a vehicle's or handle's page calls it.
TARGET_LABELS = {"vehicle": "Vehicle", "handle": "Online handle"}


def _target_detail(request: AuthenticatedRequest, record: Model, *, kind: str) -> HttpResponse:
    """A vehicle's or handle's page (``kind``, its link field and URL name): who is linked to
    it and (MAOG only) intelligence."""
    record_viewed(request=request, record=record)
    return render(
        request,
        "maog/target_detail.html",
        {
            "record": record,
            "kind": TARGET_LABELS[kind],
            "rows": selectors.link_rows(
                selectors.target_links(user=request.user, field_name=kind, target=record),
                kind=kind,
                pk=record.pk,
            ),
            "is_maog": _sees_intelligence(request),
            "intelligence": selectors.intelligence_list(user=request.user).filter(
                **{f"{kind}s": record}
            ),
            "can_edit": permissions.can_edit_record(request.user, record),
            "edit_url": reverse(f"maog:{kind}_edit", args=[record.pk]),
        },
    )


def vehicle_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _target_detail(
        request, permissions.vehicle_for_user_or_404(request.user, pk), kind="vehicle"
    )


def handle_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _target_detail(
        request, permissions.handle_for_user_or_404(request.user, pk), kind="handle"
    )
