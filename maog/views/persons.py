"""Pages of persons of concern: list, search before create, detail, edit, history,
sharing and links."""

from functools import partial
from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from audit.services import record_open
from cases.views import (
    _query_without,
    _require_caseworker,
    _revoke_share_page,
    _search_first,
)
from maog import forms, permissions, selectors, services
from maog.models import PersonShare
from maog.views.common import (
    _create_view,
    _sees_intelligence,
)
from records.http import AuthenticatedRequest
from records.views import form_view, posted

# --- Persons of concern --------------------------------------------------------------------


def person_find(request: AuthenticatedRequest) -> HttpResponse:
    """Search before create: across agencies, naming only the agency for records out of reach."""

    def search(data: dict[str, Any]) -> tuple[list[Any], list[Any]]:
        queryset = selectors.person_search(user=request.user, text=data["name"])
        if data["date_of_birth"] and not data["name"]:
            queryset = queryset.filter(date_of_birth=data["date_of_birth"])
        duplicates = selectors.person_duplicates(
            user=request.user, text=data["name"], date_of_birth=data["date_of_birth"]
        )
        return list(queryset[:20]), duplicates

    return _search_first(
        request,
        forms.PersonSearchForm,
        kind="person",
        object_type="maog.personofconcern",
        search=search,
        template="maog/person_find.html",
        new_query=_query_without(request, "searched"),
    )


def person_create(request: AuthenticatedRequest) -> HttpResponse:
    _require_caseworker(request)
    initial = {key: request.GET[key] for key in ("name", "date_of_birth") if request.GET.get(key)}
    return _create_view(
        request,
        forms.PersonForm(posted(request), initial=initial),
        create=services.person_create,
        title="Add a person of concern",
        success="Person of concern added.",
        done=lambda person: reverse("maog:person_detail", args=[person.pk]),
    )


def person_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    person = record_open(request, permissions.person_for_user_or_404, pk)
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
            "is_maog": _sees_intelligence(request),
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


def _person_page(share: PersonShare) -> str:
    return reverse("maog:person_detail", args=[share.person_id])


def person_share(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    person = permissions.person_for_user_or_404(request.user, pk)
    if not permissions.can_share_person(request.user, person):
        raise Http404
    form = forms.PersonShareForm(posted(request), owner_agency_id=person.owner_agency_id)
    return form_view(
        request,
        form,
        lambda: services.person_share(actor=request.user, person=person, **form.cleaned_data),
        success=lambda share: f"Shared with {share.agency.name}.",
        done=_person_page,
        title=f"Share {person}",
        submit="Share",
    )


def person_share_revoke(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Revoke a share of a person of concern (the owner agency's managers, like a case)."""
    share = get_object_or_404(PersonShare.objects.select_related("person", "agency"), pk=pk)
    if not permissions.can_share_person(request.user, share.person) or share.revoked_at:
        raise Http404
    return _revoke_share_page(
        request, share, revoke=services.person_share_revoke, done=_person_page
    )


def person_link_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    person = permissions.person_for_user_or_404(request.user, pk)
    return _create_view(
        request,
        forms.PersonLinkForm(posted(request), user=request.user, person=person),
        create=partial(services.link_create, person=person),
        title=f"Link {person}",
        success="Link added.",
        done=lambda _link: reverse("maog:person_detail", args=[pk]),
    )
