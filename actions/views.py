"""Pages of the action plan and the activity register. Thin: access from permissions.py, reads
from selectors.py, writes through services.py."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.http import AuthenticatedRequest
from actions import permissions, selectors, services
from actions.forms import (
    ACTIVITY_FORMS,
    ACTIVITY_LABELS,
    ProgressUpdateForm,
    TargetDateForm,
    UpdateRequestForm,
)
from actions.models import RagStatus
from audit.services import record_viewed
from partnership.periods import Period, current_period, period_from_code
from partnership.policy import EDIT, VIEW

ACTIVITY_PAGE_SIZE = 50


@require_http_methods(["GET"])
def plan(request: AuthenticatedRequest) -> HttpResponse:
    if not permissions.action_item_policy.user_has_permission(request.user, VIEW):
        raise Http404
    agency = request.GET.get("agency", "")
    status = request.GET.get("status", "")
    page = selectors.action_plan_page(user=request.user, agency_code=agency, status=status)
    status_choices = [
        *RagStatus.choices,
        (selectors.OVERDUE_FILTER, "Overdue"),
        (selectors.NO_UPDATE_FILTER, "No update for the closed period"),
    ]
    return render(
        request,
        "actions/plan.html",
        {
            "page": page,
            "summary": selectors.action_plan_summary(user=request.user),
            "selected_agency": agency,
            "selected_status": status,
            "status_choices": status_choices,
            "filtered": bool(agency or status),
        },
    )


@require_http_methods(["GET"])
def plan_export(request: AuthenticatedRequest) -> HttpResponse:
    if not permissions.action_item_policy.user_has_permission(request.user, VIEW):
        raise Http404
    content = services.plan_export_csv(actor=request.user, request=request)
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    filename = f"cse-action-plan-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_http_methods(["GET"])
def item_detail(request: AuthenticatedRequest, number: int) -> HttpResponse:
    page = selectors.action_item_page(user=request.user, number=number)
    record_viewed(request=request, record=page.item)
    current = current_period()
    return render(
        request,
        "actions/item_detail.html",
        {
            "page": page,
            "item": page.item,
            "current": current,
            "closed": current.previous(),
            "can_request": permissions.action_item_policy.can_request_update(request.user),
        },
    )


def _open_period_or_404(period_code: str) -> Period:
    """A period that has started (updates for the future make no sense)."""
    try:
        period = period_from_code(period_code)
    except ValueError:
        raise Http404 from None
    if period.start > timezone.localdate():
        raise Http404
    return period


@require_http_methods(["GET", "POST"])
def update_form(request: AuthenticatedRequest, number: int, period_code: str) -> HttpResponse:
    item = permissions.action_item_policy.get_by_number_or_404(request.user, number, action=EDIT)
    period = _open_period_or_404(period_code)
    existing = selectors.progress_update_for_period(item=item, period=period)
    if request.method == "POST":
        form = ProgressUpdateForm(request.POST, request.FILES, item=item)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.progress_update_save(
                    actor=request.user,
                    item=item,
                    period=period,
                    status=data["status"],
                    narrative=data["narrative"],
                    remedial_action=data["remedial_action"],
                    evidence_link=data["evidence_link"],
                    milestone_done=data.get("milestone_done"),
                    milestone_date=data.get("milestone_date"),
                    evidence_file=data["evidence_file"] or None,
                    expected_version=data["version"],
                )
            except services.UpdateConflict as conflict:
                return render(
                    request,
                    "actions/update_conflict.html",
                    {"item": item, "period": period, "theirs": conflict.current, "yours": data},
                    status=409,
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, f"Update for {period.code} saved.")
                return redirect("actions:item_detail", number=item.number)
    else:
        initial: dict[str, Any] = {"version": existing.version if existing else None}
        if existing:
            initial |= {
                "status": existing.status,
                "narrative": existing.narrative,
                "remedial_action": existing.remedial_action,
                "evidence_link": existing.evidence_link,
                "milestone_done": existing.milestone_done,
                "milestone_date": existing.milestone_date,
            }
        form = ProgressUpdateForm(initial=initial, item=item)
    return render(
        request,
        "actions/update_form.html",
        {
            "item": item,
            "period": period,
            "existing": existing,
            "form": form,
            "late": timezone.now() >= period.end_datetime_exclusive(),
        },
    )


@require_http_methods(["GET", "POST"])
def request_update(request: AuthenticatedRequest, number: int) -> HttpResponse:
    if not permissions.action_item_policy.can_request_update(request.user):
        raise Http404
    item = permissions.action_item_policy.get_by_number_or_404(request.user, number)
    current = current_period()
    periods = [current.code, current.previous().code]
    form = UpdateRequestForm(request.POST or None, periods=periods)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_request_create(
                actor=request.user,
                item=item,
                period=period_from_code(form.cleaned_data["period"]),
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "The lead agency has been asked for an update.")
            return redirect("actions:item_detail", number=item.number)
    return render(request, "actions/request_update.html", {"item": item, "form": form})


def target_date(request: AuthenticatedRequest, number: int) -> HttpResponse:
    """The VAP chair sets an item's target date (an item past it and not complete is overdue)."""
    if not permissions.action_item_policy.can_set_target_date(request.user):
        raise Http404
    item = permissions.action_item_policy.get_by_number_or_404(request.user, number)
    form = TargetDateForm(
        request.POST if request.method == "POST" else None,
        initial={"target_date": item.target_date},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.action_item_set_target_date(
                actor=request.user, item=item, target_date=form.cleaned_data["target_date"]
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Target date of item {item.number} saved.")
            return redirect("actions:item_detail", number=item.number)
    return render(request, "actions/target_date.html", {"item": item, "form": form})


@require_http_methods(["GET"])
def evidence_download(request: AuthenticatedRequest, evidence_id: int) -> FileResponse:
    evidence = permissions.evidence_policy.get_for_user_or_404(request.user, evidence_id)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    services.evidence_download_record(actor=request.user, evidence=evidence, request=request)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )


def _activity_tabs(current: str) -> list[dict[str, object]]:
    base = reverse("actions:activity_list")
    return [
        {"kind": kind, "label": label, "href": f"{base}?kind={kind}", "active": kind == current}
        for kind, label in ACTIVITY_LABELS.items()
    ]


@require_http_methods(["GET"])
def activity_list(request: AuthenticatedRequest) -> HttpResponse:
    if not permissions.activity_policy.user_has_permission(request.user, VIEW):
        raise Http404
    kind = request.GET.get("kind", "prevention")
    if kind not in ACTIVITY_LABELS:
        raise Http404
    entries = selectors.activity_list(user=request.user, kind=kind)
    page = Paginator(entries, ACTIVITY_PAGE_SIZE).get_page(request.GET.get("page"))
    current = current_period()
    measures = selectors.activity_counts_by_period(periods=[current.previous(), current])
    return render(
        request,
        "actions/activity_list.html",
        {
            "kind": kind,
            "label": ACTIVITY_LABELS[kind],
            "tabs": _activity_tabs(kind),
            "page_obj": page,
            "entries": page.object_list,
            "measure_rows": [
                {"period": period, "value": measures[period.code][kind]}
                for period in (current, current.previous())
            ],
            "definition": selectors.ACTIVITY_MEASURE_DEFINITIONS[kind],
            "can_record": permissions.activity_policy.user_has_permission(request.user, EDIT),
        },
    )


@require_http_methods(["GET", "POST"])
def activity_create(request: AuthenticatedRequest, kind: str) -> HttpResponse:
    allowed = permissions.activity_policy.user_has_permission(request.user, EDIT)
    if not allowed or kind not in ACTIVITY_FORMS:
        raise Http404
    form = ACTIVITY_FORMS[kind](request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_record(actor=request.user, kind=kind, data=form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"{ACTIVITY_LABELS[kind]}: entry recorded.")
            if permissions.activity_policy.user_has_permission(request.user, VIEW):
                return redirect(f"{reverse('actions:activity_list')}?kind={kind}")
            return redirect("actions:activity_create", kind=kind)
    return render(
        request,
        "actions/activity_form.html",
        {
            "kind": kind,
            "label": ACTIVITY_LABELS[kind],
            "form": form,
            "tabs": _activity_tabs(kind),
            "can_view": permissions.activity_policy.user_has_permission(request.user, VIEW),
        },
    )
