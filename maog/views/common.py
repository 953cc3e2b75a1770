"""Helpers shared by the MAOG pages: the MAOG gate, form, create, list and history pages."""

from collections.abc import Callable
from typing import Any

from django.db.models import Model
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import render

from audit.services import record_viewed
from cases.selectors import record_history
from cases.views import (
    _list_filters,
    _page,
    _query_without,
)
from maog import permissions
from partnership.policy import VIEW, PermissionPolicy
from records.http import AuthenticatedRequest
from records.views import form_view


def _require_maog(request: AuthenticatedRequest, policy: PermissionPolicy[Any]) -> None:
    # Intelligence, networks and hotspots do not exist for anyone outside the MAOG (their
    # policies say who is in it): 404, never 403.
    if not policy.user_has_permission(request.user, VIEW):
        raise Http404


def _sees_intelligence(request: AuthenticatedRequest) -> bool:
    """Whether a page shows intelligence beside its records (the intelligence policy)."""
    return permissions.intelligence_policy.user_has_permission(request.user, VIEW)


def _create_view(
    request: AuthenticatedRequest,
    form: Any,
    *,
    create: Callable[..., Model],
    title: str,
    success: str,
    done: Callable[[Model], str],
) -> HttpResponse:
    return form_view(
        request,
        form,
        lambda: create(actor=request.user, **form.changes()),
        success=success,
        done=done,
        title=title,
        submit="Save",
    )


def _list_view(
    request: AuthenticatedRequest,
    *,
    filter_form_class: Callable[..., Form],
    selector: Callable[..., Any],
    template: str,
    sorts: dict[str, tuple[str, ...]] | None = None,
) -> HttpResponse:
    """A filtered, paged list (cases.views' list pages, without their sort and count hooks)."""
    filter_form, filters = _list_filters(request, filter_form_class)
    return render(
        request,
        template,
        {
            "filter_form": filter_form,
            "page": _page(request, selector(user=request.user, filters=filters)),
            "query_without_page": _query_without(request, "page"),
            "is_maog": _sees_intelligence(request),
        },
    )


def _history(request: AuthenticatedRequest, record: Model) -> HttpResponse:
    record_viewed(request=request, record=record)
    return render(
        request,
        "cases/history.html",
        {"record": record, "entries": record_history(record=record, user=request.user)},
    )
