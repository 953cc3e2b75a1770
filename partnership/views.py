import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.cache import never_cache

from partnership.roles import Role

logger = logging.getLogger(__name__)


def home(request: HttpRequest) -> HttpResponse:
    """Each role starts where its work is: the VAP chair on the plan, clerks on reports."""
    user = request.user
    if user.has_role(Role.VAP_CHAIR):
        return _redirect_if_built("actions:plan", request)
    if user.has_role(Role.COMMITTEE_CLERK):
        return _redirect_if_built("performance:reports", request)
    if user.has_role(Role.PRACTITIONER) or user.has_role(Role.AGENCY_MANAGER):
        return _redirect_if_built("cases:my_work", request)
    if user.has_role(Role.ADMINISTRATOR):
        return redirect("admin:index")
    return render(request, "partnership/home.html", {"placeholder": None})


def _redirect_if_built(url_name: str, request: HttpRequest) -> HttpResponse:
    try:
        return redirect(reverse(url_name))
    except NoReverseMatch:
        return render(request, "partnership/home.html", {"placeholder": url_name})


@login_not_required
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Database and broker status for load balancers and operators. No personal data."""
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        logger.exception("health check: database unreachable")
        checks["database"] = "error"
    if settings.CELERY_TASK_ALWAYS_EAGER:
        checks["broker"] = "in-process"
    else:
        checks["broker"] = _broker_status()
    healthy = all(value in {"ok", "in-process"} for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )


def _broker_status() -> str:
    from cse_portal.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return "ok"
    except Exception:  # noqa: BLE001
        logger.warning("health check: broker unreachable")
        return "error"
