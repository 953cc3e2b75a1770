"""Sharing a case with another agency and revoking a share (the owner agency's managers);
the revoke page serves the MAOG's person shares too."""

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404

from accounts.http import AuthenticatedRequest
from cases import forms, permissions, services
from cases.models import CaseShare
from cases.views.pages import _young_person_page
from records.views import form_view, posted

# --- Sharing -------------------------------------------------------------------------------


def share_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    young_person = permissions.young_person_policy.get_for_user_or_404(request.user, pk)
    if not permissions.young_person_policy.can_share(request.user, young_person):
        raise Http404
    form = forms.ShareForm(posted(request), owner_agency_id=young_person.owner_agency_id)
    return form_view(
        request,
        form,
        lambda: services.case_share(
            actor=request.user, young_person=young_person, **form.cleaned_data
        ),
        success=lambda share: f"Case shared with {share.agency.name}.",
        done=lambda share: _young_person_page(share.young_person),
        title="Share this case",
        young_person=young_person,
        submit="Share case",
    )


def share_revoke(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    share = get_object_or_404(CaseShare.objects.select_related("young_person", "agency"), pk=pk)
    policy = permissions.young_person_policy
    if not policy.can_share(request.user, share.young_person) or share.revoked_at:
        raise Http404
    return _revoke_share_page(
        request,
        share,
        revoke=services.case_share_revoke,
        done=lambda share: _young_person_page(share.young_person),
        young_person=share.young_person,
    )


def _revoke_share_page(
    request: AuthenticatedRequest,
    share: Any,
    *,
    revoke: Callable[..., Any],
    done: Callable[[Any], str],
    young_person: Any = None,
) -> HttpResponse:
    """Revoking a share, of a case or of a person of concern: the reason, then ``revoke``."""
    form = forms.RevokeForm(posted(request))
    return form_view(
        request,
        form,
        lambda: revoke(actor=request.user, share=share, reason=form.cleaned_data["reason"]),
        success=lambda share: f"Share with {share.agency.name} revoked.",
        done=done,
        title=f"Revoke the share with {share.agency.name}",
        young_person=young_person,
        submit="Revoke share",
    )
