"""The list, edit and history pages of every MAOG record type from one registry
(``MAOG_PAGES``), like the record pages of cases; the URLs are generated from it with the
paths and names they have always had. Create and detail pages differ per type and stay in
``persons``, ``places`` and ``allegations``."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, cast

from django.db.models import Model
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, reverse
from django.views import View

from cases.views import _edit_record, _require_caseworker, _updater
from maog import forms, permissions, selectors, services
from maog.views.common import _history, _list_view, _require_maog
from partnership.policy import PermissionPolicy
from records.http import AuthenticatedRequest
from records.views import registry_paths


def _filter_form(form_class: type[Form]) -> Callable[[AuthenticatedRequest], Callable[..., Form]]:
    return lambda _request: form_class


@dataclass(frozen=True)
class MaogPages:
    """The shared pages of one MAOG record type. ``kind`` names the URLs (``<kind>_list``,
    ``_edit``, ``_history``) and the list template; ``segment`` is its URL path part."""

    kind: str
    segment: str
    policy: PermissionPolicy[Any]
    form_class: type[forms.VersionedForm]
    # The update service and the keyword it takes the record by.
    update: Callable[..., Model]
    keyword: str
    edit_title: str
    filter_form: Callable[[AuthenticatedRequest], Callable[..., Form]]
    selector: Callable[..., Any]
    history: bool = True
    # Intelligence: the list does not exist for anyone outside the MAOG (404).
    maog_only: bool = False


class MaogView(View):
    """Base of the registry pages: ``pages`` is set per URL by ``as_view(pages=...)``."""

    pages: MaogPages = None  # type: ignore[assignment]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.handle(cast(AuthenticatedRequest, request), **kwargs)

    def handle(self, request: AuthenticatedRequest, **kwargs: Any) -> HttpResponse:
        raise NotImplementedError


class MaogListView(MaogView):
    def handle(self, request: AuthenticatedRequest, **kwargs: Any) -> HttpResponse:
        pages = self.pages
        if pages.maog_only:
            _require_maog(request, pages.policy)
        _require_caseworker(request)
        return _list_view(
            request,
            filter_form_class=pages.filter_form(request),
            selector=pages.selector,
            template=f"maog/{pages.kind}_list.html",
        )


class MaogEditView(MaogView):
    def handle(self, request: AuthenticatedRequest, **kwargs: Any) -> HttpResponse:
        pages = self.pages
        pk = kwargs["pk"]
        return _edit_record(
            request,
            pages.policy.get_for_user_or_404(request.user, pk),
            form_class=pages.form_class,
            update=_updater(pages.update, pages.keyword),
            title=pages.edit_title,
            done_url=reverse(f"maog:{pages.kind}_detail", args=[pk]),
        )


class MaogHistoryView(MaogView):
    def handle(self, request: AuthenticatedRequest, **kwargs: Any) -> HttpResponse:
        return _history(request, self.pages.policy.get_for_user_or_404(request.user, kwargs["pk"]))


MAOG_PAGES: tuple[MaogPages, ...] = (
    MaogPages(
        kind="person",
        segment="persons",
        policy=permissions.person_policy,
        form_class=forms.PersonForm,
        update=services.person_update,
        keyword="person",
        edit_title="Change person of concern",
        filter_form=_filter_form(forms.PersonFilterForm),
        selector=selectors.person_list,
    ),
    MaogPages(
        kind="place",
        segment="places",
        policy=permissions.place_policy,
        form_class=forms.PlaceForm,
        update=services.place_update,
        keyword="place",
        edit_title="Change place",
        filter_form=_filter_form(forms.PlaceFilterForm),
        selector=selectors.place_list,
    ),
    MaogPages(
        kind="vehicle",
        segment="vehicles",
        policy=permissions.vehicle_policy,
        form_class=forms.VehicleForm,
        update=services.vehicle_update,
        keyword="vehicle",
        edit_title="Change vehicle",
        filter_form=_filter_form(forms.VehicleFilterForm),
        selector=selectors.vehicle_list,
        history=False,
    ),
    MaogPages(
        kind="handle",
        segment="handles",
        policy=permissions.handle_policy,
        form_class=forms.HandleForm,
        update=services.handle_update,
        keyword="handle",
        edit_title="Change online handle",
        # The platform choices are the platforms of the handles the user can see.
        filter_form=lambda request: partial(
            forms.HandleFilterForm, platforms=selectors.handle_platforms(user=request.user)
        ),
        selector=selectors.handle_list,
        history=False,
    ),
    MaogPages(
        kind="allegation",
        segment="allegations",
        policy=permissions.allegation_policy,
        form_class=forms.AllegationForm,
        update=services.allegation_update,
        keyword="allegation",
        edit_title="Update the allegation and justice pathway",
        filter_form=_filter_form(forms.AllegationFilterForm),
        selector=selectors.allegation_list,
    ),
    MaogPages(
        kind="intelligence",
        segment="intelligence",
        policy=permissions.intelligence_policy,
        form_class=forms.IntelligenceForm,
        update=services.intelligence_update,
        keyword="entry",
        edit_title="Change intelligence entry",
        filter_form=_filter_form(forms.IntelligenceFilterForm),
        selector=selectors.intelligence_list,
        maog_only=True,
    ),
)


def maog_urlpatterns() -> list[URLPattern]:
    """The list, edit and history URLs of every registered MAOG record type."""
    patterns = []
    for pages in MAOG_PAGES:
        patterns += registry_paths(
            pages,
            [
                (True, f"{pages.segment}/", "list", MaogListView),
                (True, f"{pages.segment}/<int:pk>/edit/", "edit", MaogEditView),
                (pages.history, f"{pages.segment}/<int:pk>/history/", "history", MaogHistoryView),
            ],
        )
    return patterns
