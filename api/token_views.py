"""Pages for API tokens: list your own (administrators see everyone's), create one after a
two-factor sign-in (shown once), revoke. Writes go through api.services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from api import services
from api.forms import ApiTokenForm
from api.models import ApiToken
from partnership.roles import Role


def _tokens_for(user: Any) -> Any:
    rows = ApiToken.objects.select_related("user", "revoked_by")
    if user.has_role(Role.ADMINISTRATOR):
        return rows
    return rows.filter(user=user)


def token_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    verified = bool(user.is_verified())
    form = ApiTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_token = services.api_token_create(
                actor=user, verified=verified, **form.cleaned_data
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        except PermissionDenied:
            form.add_error(None, services.ERROR_TWO_FACTOR)
        else:
            form = ApiTokenForm()
    context = {
        "form": form,
        "tokens": _tokens_for(user),
        "verified": verified,
        "new_token": new_token,
        "is_admin": user.has_role(Role.ADMINISTRATOR),
    }
    # The new token is in this response only: never cached, never shown again.
    return render(request, "api/tokens.html", context)


@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = _tokens_for(request.user).filter(pk=pk).first()
    if token is None:  # someone else's token, or none: the same 404
        raise Http404
    services.api_token_revoke(actor=request.user, token=token)  # type: ignore[arg-type]
    messages.success(request, f"The token “{token.name}” is revoked.")
    return redirect("api:tokens")
