"""Two-factor pages and password change. Rules live in accounts.two_factor."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET

from accounts import two_factor
from accounts.auth_forms import (
    CODE_WRONG,
    ENROL_CODE_WRONG,
    GovukPasswordChangeForm,
    TokenForm,
)
from accounts.http import AuthenticatedRequest
from accounts.permissions import can_read_agency_access_log
from audit.models import AccessEvent
from audit.selectors import access_events_for_agency
from audit.services import access_event_record

SIGNED_OUT_ELSEWHERE = "Your password has been changed. You have been signed out everywhere else."


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("home")


@sensitive_post_parameters("token")
@never_cache
def two_factor_setup(request: AuthenticatedRequest) -> HttpResponse:
    """First sign-in: scan the QR code (or type the secret), confirm with a code."""
    if two_factor.user_has_two_factor(user=request.user):
        return redirect("two_factor_verify")
    device = two_factor.totp_device_for_enrolment(user=request.user)
    form = TokenForm(request.POST or None, help_text="The 6-digit code your app shows now.")
    if request.method == "POST" and form.is_valid():
        codes = two_factor.totp_enrolment_confirm(
            actor=request.user, device=device, token=form.cleaned_data["token"], request=request
        )
        if codes is not None:
            # Shown once, in this response only: nothing keeps them in plain text.
            return render(
                request,
                "accounts/two_factor_backup_codes.html",
                {"codes": codes, "next": _next_url(request)},
            )
        form.mark_wrong(ENROL_CODE_WRONG)
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_data_uri": two_factor.totp_qr_data_uri(device),
            "secret": two_factor.totp_secret_text(device),
            "next": _next_url(request),
        },
    )


@sensitive_post_parameters("token")
@never_cache
def two_factor_verify(request: AuthenticatedRequest) -> HttpResponse:
    """Every sign-in: a code from the authenticator app, or one unused backup code."""
    if not two_factor.user_has_two_factor(user=request.user):
        return redirect("two_factor_setup")
    form = TokenForm(
        request.POST or None,
        help_text="The 6-digit code from your authenticator app, or one of your backup codes.",
    )
    if request.method == "POST" and form.is_valid():
        if two_factor.two_factor_verify(
            actor=request.user, token=form.cleaned_data["token"], request=request
        ):
            return redirect(_next_url(request))
        form.mark_wrong(CODE_WRONG)
    return render(
        request,
        "accounts/two_factor_verify.html",
        {
            "form": form,
            "next": _next_url(request),
            "backup_codes_remaining": two_factor.backup_codes_remaining(user=request.user),
        },
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's view: update_session_auth_hash keeps this session; every other session of the
    user fails its auth-hash check on its next request and is signed out."""

    form_class = GovukPasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form: GovukPasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, SIGNED_OUT_ELSEWHERE)
        return response


ACCESS_LOG_PAGE_SIZE = 50


@require_GET
@never_cache
def agency_access_log(request: AuthenticatedRequest) -> HttpResponse:
    """The access log of the viewer's agency, for its information governance officer (else 404)."""
    user = request.user
    if user.agency_id is None:
        raise Http404
    if not can_read_agency_access_log(user):
        raise Http404
    # Logged before the page is read, so the count and the rows describe the same log.
    access_event_record(
        actor=user,
        action=AccessEvent.Action.VIEW,
        object_type="audit.accessevent",
        request=request,
    )
    events = access_events_for_agency(agency_id=user.agency_id)
    page = Paginator(events, ACCESS_LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/access_log.html",
        {"page": page, "events": page.object_list, "agency": user.agency},
    )
