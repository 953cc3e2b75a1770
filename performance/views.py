from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import signed_in_user
from partnership.periods import current_period, period_from_code
from performance import selectors, services
from performance.forms import DashboardPeriodForm, ReportRequestForm
from performance.permissions import (
    can_request_report,
    can_view_dashboard,
    can_view_reports,
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
        {"sections": sections, "period": period, "form": form},
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
    return render(
        request,
        "performance/reports.html",
        {"reports": selectors.report_list(user=request.user), "form": form},
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
