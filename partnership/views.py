import logging

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse

from partnership.policy import is_active_user
from partnership.roles import Role

logger = logging.getLogger(__name__)


def home(request: HttpRequest) -> HttpResponse:
    """Each role starts where its work is: the VAP chair on the plan, clerks on reports,
    the IG officer on the governance home."""
    user = request.user
    if not is_active_user(user):  # not reached: sign-in is required here (LoginRequiredMiddleware)
        return render(request, "partnership/home.html", {"placeholder": None})
    if user.has_role(Role.VAP_CHAIR):
        return _redirect_if_built("actions:plan", request)
    if user.has_role(Role.COMMITTEE_CLERK):
        return _redirect_if_built("performance:reports", request)
    if user.has_role(Role.PRACTITIONER) or user.has_role(Role.AGENCY_MANAGER):
        return _redirect_if_built("cases:my_work", request)
    if user.has_role(Role.ADMINISTRATOR):
        return redirect("admin:index")
    if user.has_role(Role.IG_OFFICER):
        return _redirect_if_built("governance:home", request)
    return render(request, "partnership/home.html", {"placeholder": None})


def _redirect_if_built(url_name: str, request: HttpRequest) -> HttpResponse:
    try:
        return redirect(reverse(url_name))
    except NoReverseMatch:
        return render(request, "partnership/home.html", {"placeholder": url_name})
