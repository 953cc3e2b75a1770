"""Generic record views: the URLs of a registry of record pages (``RECORD_PAGES`` in
``cases.views.records``, ``MAOG_PAGES`` in ``maog.views.records``), each page served by a
class-based view given its record type's declaration (``pages``); and the one way every
app's form pages save through a service (``form_view``)."""

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views import View

from accounts.http import AuthenticatedRequest


def registry_paths(
    pages: Any, views: Iterable[tuple[object, str, str, type[View]]]
) -> list[URLPattern]:
    """The URLs of one registered record type (``pages``, with its ``kind``): each page it
    has (``present``) at its route, named ``<kind>_<page>``, served by its view."""
    return [
        path(route, view.as_view(pages=pages), name=f"{pages.kind}_{page}")
        for present, route, page, view in views
        if present
    ]


def posted(request: AuthenticatedRequest) -> Any:
    """POST data when posted (even when empty, so an empty form still shows its errors)."""
    return request.POST if request.method == "POST" else None


def form_view(
    request: AuthenticatedRequest,
    form: Any,
    save: Callable[[], Any],
    *,
    success: str | Callable[[Any], str],
    done: Callable[[Any], str],
    template: str = "cases/record_form.html",
    valid: bool = True,
    refusal_is_404: bool = True,
    **context: Any,
) -> HttpResponse:
    """The page of a form a service saves. A posted, valid form is saved by ``save`` (a
    service call): the service's errors go on the form and a refusal is 404 (or, with
    ``refusal_is_404=False``, stays a 403 where the page already answered 403 for it); once
    saved, ``success`` (or ``success(record)``) is said and the user goes to ``done(record)``.
    ``valid`` is what else must be valid (a formset beside the form). Until then ``template``
    shows the form (again, with its errors) and ``context``."""
    if request.method == "POST" and form.is_valid() and valid:
        try:
            record = save()
        except ValidationError as error:
            form.add_service_errors(error)
        except PermissionDenied:
            if not refusal_is_404:
                raise
            raise Http404 from None
        else:
            messages.success(request, success if isinstance(success, str) else success(record))
            return redirect(done(record))
    return render(request, template, {"form": form, **context})
