from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import signed_in_user
from partnership.periods import current_period, period_from_code
from performance import lifecycle, selectors, services
from performance.forms import DashboardPeriodForm, ReportRequestForm
from performance.permissions import (
    can_download,
    can_publish,
    can_request_report,
    can_sign_off,
    can_view_dashboard,
    can_view_reports,
    can_write_key_messages,
    report_for_user_or_404,
)


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    if not can_view_dashboard(request.user):
        raise Http404
    form = DashboardPeriodForm(request.GET or None)
    period = current_period()
    if form.is_valid() and form.cleaned_data["period"]:
        period = period_from_code(form.cleaned_data["period"])
    sections = selectors.dashboard(user=request.user, ending=period)
    return render(
        request,
        "performance/dashboard.html",
        {
            "sections": sections,
            "period": period,
            "previous": period.previous(),
            "partial": selectors.is_partial(period),
            "form": form,
        },
    )


@require_http_methods(["GET", "POST"])
def reports(request: HttpRequest) -> HttpResponse:
    if not can_view_reports(request.user):
        raise Http404
    form = ReportRequestForm(request.POST or None)
    if request.method == "POST":
        if not can_request_report(request.user):
            raise Http404
        if form.is_valid():
            report = services.report_request(
                actor=signed_in_user(request),
                committee=form.cleaned_data["committee"],
                period=period_from_code(form.cleaned_data["period"]),
            )
            messages.success(request, f"Report {report} requested. This page follows its progress.")
            return redirect(reverse("performance:reports"))
    reports = list(selectors.report_list(user=request.user))
    return render(
        request,
        "performance/reports.html",
        {
            "reports": reports,
            "form": form,
            "downloadable": {r.pk for r in reports if can_download(request.user, r)},
            "can_write": can_write_key_messages(request.user),
            "can_sign_off": can_sign_off(request.user),
            "can_publish": can_publish(request.user),
        },
    )


@require_GET
def report_status(request: HttpRequest, pk: int) -> JsonResponse:
    report = report_for_user_or_404(request.user, pk)
    return JsonResponse(
        {
            "id": report.pk,
            "status": report.status,
            "label": report.get_status_display(),
            "done": not report.in_progress,
        }
    )


@require_GET
def report_download(request: HttpRequest, pk: int) -> FileResponse:
    report = report_for_user_or_404(request.user, pk)
    try:
        services.report_download_record(
            actor=signed_in_user(request), report=report, request=request
        )
    except ValueError as exc:
        raise Http404 from exc
    filename = f"cse-report-{report.committee.code}-{report.period}-v{report.version}.pdf"
    return FileResponse(
        report.file.open("rb"),
        as_attachment=True,
        filename=filename,
        content_type="application/pdf",
    )


@require_POST
def report_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """One lifecycle step on one version (the services check who may and when)."""
    report = report_for_user_or_404(request.user, pk)
    actor = signed_in_user(request)
    data = request.POST
    try:
        if step == "messages":
            lifecycle.report_messages_edit(
                actor=actor,
                report=report,
                key_messages=data.get("key_messages", ""),
                recommendations=data.get("recommendations", ""),
            )
        elif step == "submit":
            lifecycle.report_submit(actor=actor, report=report)
        elif step == "sign-off":
            lifecycle.report_sign_off(actor=actor, report=report)
        elif step == "publish":
            lifecycle.report_publish(actor=actor, report=report)
        elif step == "correct":
            lifecycle.report_correct(actor=actor, report=report, reason=data.get("reason", ""))
        else:
            raise Http404
    except PermissionDenied as exc:
        raise Http404 from exc  # a step outside the user's reach looks like no such page
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"Report {report}: done ({step.replace('-', ' ')}).")
    return redirect(reverse("performance:reports"))
