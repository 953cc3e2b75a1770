"""Pages of the case's life: each agency's case of a child (allocated worker, team, open or
closed) and the transfer of ownership with the receiving agency's acceptance. Thin: access
from permissions.py, writes through case_life.py."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from cases.models import YoungPerson
from casework import case_life, permissions, safety_plan, selectors
from casework.case_life_forms import (
    AllocateForm,
    CloseForm,
    ProtectiveActionFormSet,
    SafetyPlanForm,
    TransferDecisionForm,
    TransferRequestForm,
)
from casework.models import AgencyCase, SafetyPlan, TransferRequest
from casework.safety_plan import PlanContent
from casework.views import _adding_to, _case_list, _opened, _to_change
from partnership.policy import SHARE
from records.http import AuthenticatedRequest
from records.views import form_view, posted


@require_http_methods(["GET"])
def agency_cases(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    young_person = permissions.young_person_policy.get_for_user_or_404(user, pk)
    cases = list(
        permissions.agency_case_policy.visible_to(user)
        .filter(young_person=young_person)
        .select_related("agency", "allocated_worker")
    )
    transfers = (
        permissions.transfer_request_policy.visible_to(user)
        .filter(young_person=young_person)
        .select_related("from_agency", "to_agency")
    )
    return render(
        request,
        "casework/agency_cases.html",
        {
            "young_person": young_person,
            "cases": cases,
            "own_case": next((c for c in cases if c.agency_id == user.agency_id), None),
            "transfers": transfers,
            "can_transfer": permissions.young_person_policy.can_share(user, young_person),
        },
    )


@require_http_methods(["GET", "POST"])
def agency_case_open(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    young_person = permissions.young_person_policy.get_for_user_or_404(user, pk)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        case = case_life.agency_case_open(actor=user, young_person=young_person)
        messages.success(request, "Your agency's case is open.")
        return redirect("casework:agency_case_change", case.pk)
    return render(request, "casework/agency_case_open.html", {"young_person": young_person})


@require_http_methods(["GET"])
def agency_case_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The case's life: every allocation, closure and reopening, from its history."""
    case = _opened(request, permissions.agency_case_policy, pk)
    life = case.history.select_related("allocated_worker", "history_user").order_by("-history_date")
    return render(
        request,
        "casework/agency_case_detail.html",
        {
            "case": case,
            "young_person": case.young_person,
            "life": life,
            "can_edit": permissions.agency_case_policy.can_edit(request.user, case),
        },
    )


@require_http_methods(["GET", "POST"])
def agency_case_change(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    case = _to_change(request, permissions.agency_case_policy, pk)
    op = request.POST.get("op", "") if request.method == "POST" else ""
    allocate = AllocateForm(
        posted(request) if op == "allocate" else None,
        agency_id=case.agency_id,
        initial={"allocated_worker": case.allocated_worker_id, "team": case.team},
    )
    close = CloseForm(posted(request) if op == "close" else None)
    try:
        if op == "allocate" and allocate.is_valid():
            case_life.agency_case_allocate(actor=user, case=case, **allocate.cleaned_data)
            return _changed(request, case, "Allocation saved.")
        if op == "close" and close.is_valid():
            data = close.cleaned_data
            case_life.agency_case_close(
                actor=user, case=case, reason=data["closure_reason"], note=data["closure_note"]
            )
            return _changed(request, case, "Case closed.")
        if op == "reopen":
            case_life.agency_case_reopen(actor=user, case=case)
            return _changed(request, case, "Case reopened.")
    except ValidationError as error:
        (close if op == "close" else allocate).add_service_errors(error)
    return render(
        request,
        "casework/agency_case_change.html",
        {"case": case, "young_person": case.young_person, "allocate": allocate, "close": close},
    )


def _transfer_page(transfer: TransferRequest) -> str:
    return reverse("casework:transfer_detail", args=[transfer.pk])


def _changed(request: AuthenticatedRequest, case: AgencyCase, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("casework:agency_case_detail", case.pk)


@require_http_methods(["GET", "POST"])
def transfer_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    young_person = permissions.young_person_policy.get_for_user_or_404(user, pk)
    permissions.young_person_policy.require(user, SHARE, young_person)
    form = TransferRequestForm(posted(request))
    return form_view(
        request,
        form,
        lambda: case_life.transfer_request(
            actor=user, young_person=young_person, **form.cleaned_data
        ),
        success="Transfer requested: the receiving agency decides.",
        done=_transfer_page,
        refusal_is_404=False,
        template="casework/transfer_form.html",
        young_person=young_person,
    )


@require_http_methods(["GET"])
def transfer_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    transfer = _opened(request, permissions.transfer_request_policy, pk)
    return render(
        request,
        "casework/transfer_detail.html",
        {
            "transfer": transfer,
            "can_decide": permissions.transfer_request_policy.can_decide(request.user, transfer),
        },
    )


@require_http_methods(["GET", "POST"])
def transfer_decide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    transfer = permissions.transfer_request_policy.get_for_user_or_404(user, pk)
    if not permissions.transfer_request_policy.can_decide(user, transfer):
        raise PermissionDenied
    form = TransferDecisionForm(posted(request))
    return form_view(
        request,
        form,
        lambda: case_life.transfer_decide(
            actor=user,
            request=transfer,
            accept=form.cleaned_data["decision"] == "accept",
            note=form.cleaned_data["decision_note"],
        ),
        success=lambda decided: (
            "Case accepted."
            if decided.status == TransferRequest.Status.ACCEPTED
            else "Transfer declined."
        ),
        done=_transfer_page,
        refusal_is_404=False,
        template="casework/transfer_decide.html",
        transfer=transfer,
    )


# --- Safety plans (read pages; plans are written through casework.safety_plan) ------------


@require_http_methods(["GET"])
def safety_plan_list(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _case_list(
        request, pk, "casework/safety_plan_list.html", "plans", selectors.safety_plan_list
    )


@require_http_methods(["GET"])
def safety_plan_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The plan as it stands, its protective actions, and every earlier version."""
    plan = _opened(request, permissions.safety_plan_policy, pk)
    versions = plan.history.select_related("history_user").order_by("-history_date")
    return render(
        request,
        "casework/safety_plan_detail.html",
        {
            "plan": plan,
            "young_person": plan.young_person,
            "actions": plan.actions.all(),
            "versions": versions,
        },
    )


def _plan_form(
    request: AuthenticatedRequest, initial: dict[str, Any], actions: list[dict[str, Any]]
) -> tuple[SafetyPlanForm, Any]:
    form = SafetyPlanForm(posted(request), initial=initial)
    rows = ProtectiveActionFormSet(posted(request), initial=actions, prefix="actions")
    return form, rows


def _plan_content(form: SafetyPlanForm, rows: Any) -> PlanContent:
    data = form.cleaned_data
    return PlanContent(
        risks=data["risks"],
        review_on=data["review_on"],
        actions=[a for a in (row.action() for row in rows.forms) if a is not None],
        childs_views=data["childs_views"],
        carers_views=data["carers_views"],
    )


def _plan_page(
    request: AuthenticatedRequest,
    form: SafetyPlanForm,
    rows: Any,
    save: Callable[[], SafetyPlan],
    *,
    success: str | Callable[[SafetyPlan], str],
    young_person: YoungPerson,
    plan: SafetyPlan | None,
) -> HttpResponse:
    return form_view(
        request,
        form,
        save,
        success=success,
        done=lambda saved: reverse("casework:safety_plan_detail", args=[saved.pk]),
        valid=rows.is_valid(),
        refusal_is_404=False,
        template="casework/safety_plan_form.html",
        rows=rows,
        young_person=young_person,
        plan=plan,
    )


@require_http_methods(["GET", "POST"])
def safety_plan_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    young_person = _adding_to(request, pk)
    form, rows = _plan_form(request, {}, [])
    return _plan_page(
        request,
        form,
        rows,
        lambda: safety_plan.safety_plan_create(
            actor=user, young_person=young_person, content=_plan_content(form, rows)
        ),
        success="Safety plan recorded.",
        young_person=young_person,
        plan=None,
    )


@require_http_methods(["GET", "POST"])
def safety_plan_review(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A review starts from the plan as it stands and saves the next version."""
    user = request.user
    plan = _to_change(request, permissions.safety_plan_policy, pk)
    initial = {
        "risks": plan.risks,
        "childs_views": plan.childs_views,
        "carers_views": plan.carers_views,
    }
    actions = [
        {"description": a.description, "owner": a.owner, "due_on": a.due_on}
        for a in plan.actions.all()
    ]
    form, rows = _plan_form(request, initial, actions)
    return _plan_page(
        request,
        form,
        rows,
        lambda: safety_plan.safety_plan_review(
            actor=user, plan=plan, content=_plan_content(form, rows)
        ),
        success=lambda reviewed: f"Safety plan reviewed: version {reviewed.version}.",
        young_person=plan.young_person,
        plan=plan,
    )
