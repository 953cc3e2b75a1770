"""Pages for persons of concern, places, vehicles, handles, allegations, intelligence and
networks. Thin like cases.views (whose helpers they reuse): ask maog.permissions, read
through maog.selectors, write through maog.services. Out of reach is 404;
intelligence is 404 for anyone outside the MAOG.
"""

from collections.abc import Callable
from functools import partial
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from audit.models import AccessEvent
from audit.services import access_event_record
from cases.forms import RevokeForm
from cases.selectors import record_history
from cases.views import (
    _edit_record,
    _page,
    _posted,
    _query_without,
    _require_caseworker,
    _updater,
)
from maog import forms, network, permissions, selectors, services
from maog.models import PersonShare
from partnership.lookup_limits import LOOKUP_LIMITED_MESSAGE, lookup_refused
from partnership.query_params import id_param


def _require_maog(request: HttpRequest) -> None:
    # Intelligence, networks and hotspots do not exist for anyone else: 404, never 403.
    if not permissions.is_maog_member(request.user):
        raise Http404


def _form_page(
    request: HttpRequest, form: Any, *, title: str, submit: str = "Save"
) -> HttpResponse:
    return render(
        request, "cases/record_form.html", {"form": form, "title": title, "submit": submit}
    )


def _create_view(
    request: HttpRequest,
    form: Any,
    *,
    create: Callable[..., Model],
    title: str,
    success: str,
    done: Callable[[Model], str],
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            record = create(actor=request.user, **form.changes())
        except ValidationError as error:
            form.add_service_errors(error)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, success)
            return redirect(done(record))
    return _form_page(request, form, title=title)


def _list_view(
    request: HttpRequest,
    *,
    filter_form_class: Callable[..., Form],
    selector: Callable[..., Any],
    template: str,
    sorts: dict[str, tuple[str, ...]] | None = None,
) -> HttpResponse:
    """A filtered, paged list (cases.views' list pages, without their sort and count hooks)."""
    _require_caseworker(request)
    filter_form = filter_form_class(request.GET or None)
    filters: dict[str, Any] = {}
    if filter_form.is_bound and filter_form.is_valid():
        filters = {k: v for k, v in filter_form.cleaned_data.items() if v not in (None, "")}
        if filters.get("agency"):
            filters["agency"] = filters["agency"].pk
    return render(
        request,
        template,
        {
            "filter_form": filter_form,
            "page": _page(request, selector(user=request.user, filters=filters)),
            "query_without_page": _query_without(request, "page"),
            "is_maog": permissions.is_maog_member(request.user),
        },
    )


def _history(request: HttpRequest, record: Model) -> HttpResponse:
    return render(
        request,
        "cases/history.html",
        {"record": record, "entries": record_history(record=record, user=request.user)},
    )


def _log_view(request: HttpRequest, record: Model) -> None:
    access_event_record(
        actor=request.user, action=AccessEvent.Action.VIEW, instance=record, request=request
    )


# --- Persons of concern --------------------------------------------------------------------


def person_list(request: HttpRequest) -> HttpResponse:
    return _list_view(
        request,
        filter_form_class=forms.PersonFilterForm,
        selector=selectors.person_list,
        template="maog/person_list.html",
    )


def person_find(request: HttpRequest) -> HttpResponse:
    """Search before create: across agencies, naming only the agency for records out of reach."""
    _require_caseworker(request)
    search_form = forms.PersonSearchForm(request.GET if "searched" in request.GET else None)
    results = duplicates = None
    searched = search_form.is_bound and search_form.is_valid()
    limited = searched and lookup_refused(
        request, kind="person", object_type="maog.personofconcern"
    )
    if searched and not limited:
        data = search_form.cleaned_data
        queryset = selectors.person_search(user=request.user, text=data["name"])
        if data["date_of_birth"] and not data["name"]:
            queryset = queryset.filter(date_of_birth=data["date_of_birth"])
        results = list(queryset[:20])
        duplicates = selectors.person_duplicates(
            user=request.user, text=data["name"], date_of_birth=data["date_of_birth"]
        )
        access_event_record(
            actor=request.user,
            action=AccessEvent.Action.SEARCH,
            object_type="maog.personofconcern",
            request=request,
            detail={"results": len(results), "duplicates": len(duplicates)},
        )
    return render(
        request,
        "maog/person_find.html",
        {
            "search_form": search_form,
            "results": results,
            "duplicates": duplicates,
            "limited_message": LOOKUP_LIMITED_MESSAGE if limited else "",
            "new_query": _query_without(request, "searched"),
        },
        status=429 if limited else 200,
    )


def person_create(request: HttpRequest) -> HttpResponse:
    _require_caseworker(request)
    initial = {key: request.GET[key] for key in ("name", "date_of_birth") if request.GET.get(key)}
    return _create_view(
        request,
        forms.PersonForm(_posted(request), initial=initial),
        create=services.person_create,
        title="Add a person of concern",
        success="Person of concern added.",
        done=lambda person: reverse("maog:person_detail", args=[person.pk]),
    )


def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = permissions.person_for_user_or_404(request.user, pk)
    _log_view(request, person)
    return render(
        request,
        "maog/person_detail.html",
        {
            "person": person,
            "rows": selectors.link_rows(
                selectors.person_links(user=request.user, person=person),
                kind="person",
                pk=person.pk,
            ),
            "is_maog": permissions.is_maog_member(request.user),
            "allegations": selectors.person_allegations(user=request.user, person=person),
            "intelligence": selectors.intelligence_list(user=request.user).filter(persons=person),
            "can_edit": permissions.can_edit_record(request.user, person),
            "can_share": permissions.can_share_person(request.user, person),
            # Who the person was shared with is the owner agency's business (its managers
            # share and revoke); other agencies do not learn who else can see the record.
            "shares": (
                person.shares.select_related("agency")
                if permissions.can_share_person(request.user, person)
                else []
            ),
        },
    )


def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = permissions.person_for_user_or_404(request.user, pk)
    return _edit_record(
        request,
        person,
        form_class=forms.PersonForm,
        update=_updater(services.person_update, "person"),
        title="Change person of concern",
        done_url=reverse("maog:person_detail", args=[pk]),
    )


def person_history(request: HttpRequest, pk: int) -> HttpResponse:
    return _history(request, permissions.person_for_user_or_404(request.user, pk))


def person_share(request: HttpRequest, pk: int) -> HttpResponse:
    person = permissions.person_for_user_or_404(request.user, pk)
    if not permissions.can_share_person(request.user, person):
        raise Http404
    form = forms.PersonShareForm(_posted(request), owner_agency_id=person.owner_agency_id)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_share(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Shared with {form.cleaned_data['agency'].name}.")
            return redirect("maog:person_detail", pk=pk)
    return _form_page(request, form, title=f"Share {person}", submit="Share")


def person_share_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke a share of a person of concern (the owner agency's managers, like a case)."""
    share = get_object_or_404(PersonShare.objects.select_related("person", "agency"), pk=pk)
    if not permissions.can_share_person(request.user, share.person) or share.revoked_at:
        raise Http404
    form = RevokeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        services.person_share_revoke(
            actor=request.user, share=share, reason=form.cleaned_data["reason"]
        )
        messages.success(request, f"Share with {share.agency.name} revoked.")
        return redirect("maog:person_detail", pk=share.person_id)
    return _form_page(
        request, form, title=f"Revoke the share with {share.agency.name}", submit="Revoke share"
    )


def person_link_create(request: HttpRequest, pk: int) -> HttpResponse:
    person = permissions.person_for_user_or_404(request.user, pk)
    return _create_view(
        request,
        forms.PersonLinkForm(_posted(request), user=request.user, person=person),
        create=partial(services.link_create, person=person),
        title=f"Link {person}",
        success="Link added.",
        done=lambda _link: reverse("maog:person_detail", args=[pk]),
    )


def person_network(request: HttpRequest, pk: int) -> HttpResponse:
    return _network_page(request, "person", pk)


def young_person_network(request: HttpRequest, pk: int) -> HttpResponse:
    return _network_page(request, "young_person", pk)


def _network_page(request: HttpRequest, root_kind: str, pk: int) -> HttpResponse:
    graph = selectors.network_graph(user=request.user, root_kind=root_kind, root_id=pk)
    root = graph.nodes[graph.root]
    title = f"Network of {root.label} within two steps"
    return render(
        request,
        "maog/network.html",
        {
            "graph": graph,
            "root": root,
            "title": title,
            "svg": network.render_svg(graph, title=title),
            "nodes": sorted(graph.nodes.values(), key=lambda n: (n.distance, n.kind, n.label)),
            "edges": [
                (graph.nodes[e.source], e.nature, graph.nodes[e.target]) for e in graph.edges
            ],
            "is_maog": permissions.is_maog_member(request.user),
        },
    )


# --- Places --------------------------------------------------------------------------------


def place_list(request: HttpRequest) -> HttpResponse:
    return _list_view(
        request,
        filter_form_class=forms.PlaceFilterForm,
        selector=selectors.place_list,
        template="maog/place_list.html",
    )


def vehicle_list(request: HttpRequest) -> HttpResponse:
    return _list_view(
        request,
        filter_form_class=forms.VehicleFilterForm,
        selector=selectors.vehicle_list,
        template="maog/vehicle_list.html",
    )


def handle_list(request: HttpRequest) -> HttpResponse:
    _require_caseworker(request)
    return _list_view(
        request,
        filter_form_class=partial(
            forms.HandleFilterForm, platforms=selectors.handle_platforms(user=request.user)
        ),
        selector=selectors.handle_list,
        template="maog/handle_list.html",
    )


def place_create(request: HttpRequest) -> HttpResponse:
    _require_caseworker(request)
    return _create_view(
        request,
        forms.PlaceForm(_posted(request)),
        create=services.place_create,
        title="Add a place",
        success="Place added.",
        done=lambda place: reverse("maog:place_detail", args=[place.pk]),
    )


def place_detail(request: HttpRequest, pk: int) -> HttpResponse:
    place = permissions.place_for_user_or_404(request.user, pk)
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
            "is_maog": permissions.is_maog_member(request.user),
        },
    )


def place_edit(request: HttpRequest, pk: int) -> HttpResponse:
    place = permissions.place_for_user_or_404(request.user, pk)
    return _edit_record(
        request,
        place,
        form_class=forms.PlaceForm,
        update=_updater(services.place_update, "place"),
        title="Change place",
        done_url=reverse("maog:place_detail", args=[pk]),
    )


def place_history(request: HttpRequest, pk: int) -> HttpResponse:
    return _history(request, permissions.place_for_user_or_404(request.user, pk))


def place_link_create(request: HttpRequest, pk: int) -> HttpResponse:
    place = permissions.place_for_user_or_404(request.user, pk)
    return _create_view(
        request,
        forms.PlaceLinkForm(_posted(request), user=request.user),
        create=partial(services.link_create, place=place),
        title=f"Link a young person to {place}",
        success="Link added.",
        done=lambda _link: reverse("maog:place_detail", args=[pk]),
    )


# --- Vehicles and online handles -----------------------------------------------------------


def _target_create(
    request: HttpRequest,
    *,
    form_class: type,
    create: Callable[..., Model],
    link_field: str,
    title: str,
    detail_url: str,
) -> HttpResponse:
    """Add a vehicle or handle; from a person's page (?person=) it is linked to them too."""
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
                services.link_create(
                    actor=actor, person=person, nature="uses", **{link_field: record}
                )
        return record

    return _create_view(
        request,
        form_class(_posted(request)),
        create=create_and_link,
        title=title + (f" used by {person}" if person else ""),
        success="Saved.",
        done=lambda record: (
            reverse("maog:person_detail", args=[person.pk])
            if person
            else reverse(detail_url, args=[record.pk])
        ),
    )


def vehicle_create(request: HttpRequest) -> HttpResponse:
    return _target_create(
        request,
        form_class=forms.VehicleForm,
        create=services.vehicle_create,
        link_field="vehicle",
        title="Add a vehicle",
        detail_url="maog:vehicle_detail",
    )


def handle_create(request: HttpRequest) -> HttpResponse:
    return _target_create(
        request,
        form_class=forms.HandleForm,
        create=services.handle_create,
        link_field="handle",
        title="Add an online handle",
        detail_url="maog:handle_detail",
    )


def _target_detail(
    request: HttpRequest, record: Model, *, kind: str, field_name: str, edit_url: str
) -> HttpResponse:
    """A vehicle's or handle's page: who is linked to it and (MAOG only) intelligence."""
    return render(
        request,
        "maog/target_detail.html",
        {
            "record": record,
            "kind": kind,
            "rows": selectors.link_rows(
                selectors.target_links(user=request.user, field_name=field_name, target=record),
                kind=field_name,
                pk=record.pk,
            ),
            "is_maog": permissions.is_maog_member(request.user),
            "intelligence": selectors.intelligence_list(user=request.user).filter(
                **{f"{field_name}s": record}
            ),
            "can_edit": permissions.can_edit_record(request.user, record),
            "edit_url": edit_url,
        },
    )


def vehicle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    vehicle = permissions.vehicle_for_user_or_404(request.user, pk)
    return _target_detail(
        request,
        vehicle,
        kind="Vehicle",
        field_name="vehicle",
        edit_url=reverse("maog:vehicle_edit", args=[pk]),
    )


def vehicle_edit(request: HttpRequest, pk: int) -> HttpResponse:
    vehicle = permissions.vehicle_for_user_or_404(request.user, pk)
    return _edit_record(
        request,
        vehicle,
        form_class=forms.VehicleForm,
        update=_updater(services.vehicle_update, "vehicle"),
        title="Change vehicle",
        done_url=reverse("maog:vehicle_detail", args=[pk]),
    )


def handle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    handle = permissions.handle_for_user_or_404(request.user, pk)
    return _target_detail(
        request,
        handle,
        kind="Online handle",
        field_name="handle",
        edit_url=reverse("maog:handle_edit", args=[pk]),
    )


def handle_edit(request: HttpRequest, pk: int) -> HttpResponse:
    handle = permissions.handle_for_user_or_404(request.user, pk)
    return _edit_record(
        request,
        handle,
        form_class=forms.HandleForm,
        update=_updater(services.handle_update, "handle"),
        title="Change online handle",
        done_url=reverse("maog:handle_detail", args=[pk]),
    )


# --- Allegations ---------------------------------------------------------------------------


def allegation_list(request: HttpRequest) -> HttpResponse:
    return _list_view(
        request,
        filter_form_class=forms.AllegationFilterForm,
        selector=selectors.allegation_list,
        template="maog/allegation_list.html",
    )


def allegation_create(request: HttpRequest) -> HttpResponse:
    _require_caseworker(request)
    initial: dict[str, Any] = {}
    for param, field in (("person", "persons"), ("young_person", "young_people")):
        if (record_id := id_param(request.GET, param)) is not None:
            initial[field] = [record_id]
    return _create_view(
        request,
        forms.AllegationForm(_posted(request), user=request.user, initial=initial),
        create=services.allegation_create,
        title="Record an allegation",
        success="Allegation recorded.",
        done=lambda allegation: reverse("maog:allegation_detail", args=[allegation.pk]),
    )


def allegation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    allegation = permissions.allegation_for_user_or_404(request.user, pk)
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


def allegation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    allegation = permissions.allegation_for_user_or_404(request.user, pk)
    return _edit_record(
        request,
        allegation,
        form_class=partial(forms.AllegationForm, user=request.user),
        update=_updater(services.allegation_update, "allegation"),
        title="Update the allegation and justice pathway",
        done_url=reverse("maog:allegation_detail", args=[pk]),
    )


def allegation_history(request: HttpRequest, pk: int) -> HttpResponse:
    return _history(request, permissions.allegation_for_user_or_404(request.user, pk))


# --- Intelligence (MAOG only) --------------------------------------------------------------


def intelligence_list(request: HttpRequest) -> HttpResponse:
    _require_maog(request)
    return _list_view(
        request,
        filter_form_class=forms.IntelligenceFilterForm,
        selector=selectors.intelligence_list,
        template="maog/intelligence_list.html",
    )


def intelligence_create(request: HttpRequest) -> HttpResponse:
    _require_maog(request)
    return _create_view(
        request,
        forms.IntelligenceForm(_posted(request), user=request.user),
        create=services.intelligence_create,
        title="Record intelligence",
        success="Intelligence recorded.",
        done=lambda entry: reverse("maog:intelligence_detail", args=[entry.pk]),
    )


def intelligence_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = permissions.intelligence_for_user_or_404(request.user, pk)
    _log_view(request, entry)
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


def intelligence_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = permissions.intelligence_for_user_or_404(request.user, pk)
    return _edit_record(
        request,
        entry,
        form_class=partial(forms.IntelligenceForm, user=request.user),
        update=_updater(services.intelligence_update, "entry"),
        title="Change intelligence entry",
        done_url=reverse("maog:intelligence_detail", args=[pk]),
    )


def intelligence_history(request: HttpRequest, pk: int) -> HttpResponse:
    return _history(request, permissions.intelligence_for_user_or_404(request.user, pk))


# --- Networks and hotspots (MAOG) ----------------------------------------------------------


def networks(request: HttpRequest) -> HttpResponse:
    _require_maog(request)
    groups = selectors.network_groups(user=request.user)
    return render(
        request,
        "maog/networks.html",
        {"page": _page(request, groups), "group_count": len(groups), "query_without_page": ""},
    )


def hotspots(request: HttpRequest) -> HttpResponse:
    _require_maog(request)
    form = forms.DateRangeForm(request.GET or None)
    date_from = date_to = None
    if form.is_bound and form.is_valid():
        date_from, date_to = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    places = selectors.place_hotspots(user=request.user, date_from=date_from, date_to=date_to)
    return render(
        request,
        "maog/hotspots.html",
        {
            "filter_form": form,
            "page": _page(request, places),
            "query_without_page": _query_without(request, "page"),
        },
    )
