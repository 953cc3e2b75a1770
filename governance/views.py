"""Information-governance pages: anyone but the agency's IG officer gets 404 (flags: managers)."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from accounts.models import User
from audit.export import csv_text
from audit.models import AccessEvent
from audit.retention import retention_rules
from audit.services import access_event_record
from governance import selectors, subject_access
from governance.forms import AccessAuditForm, RetentionDecisionForm, SubjectAccessForm
from governance.permissions import can_read_access_flags, is_ig_officer
from governance.registry import processing_declarations, sar_subjects
from governance.services import retention_decide

AUDIT_PAGE_SIZE = 50
View = Callable[..., HttpResponse]


def _require(check: Callable[[Any], bool]) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not check(request.user):
                raise Http404
            return never_cache(view)(request, *args, **kwargs)

        return wrapped

    return decorate


ig_officer_only = _require(is_ig_officer)


def _agency_id(user: User) -> int:
    if user.agency_id is None:
        raise Http404
    return user.agency_id


def _viewer(request: HttpRequest) -> User:
    """The signed-in member of an agency (the decorators have checked)."""
    user = request.user
    if not isinstance(user, User) or user.agency_id is None:
        raise Http404
    return user


@ig_officer_only
def home(request: HttpRequest) -> HttpResponse:
    """The IG officer's task list: subject access requests by due date, and the links."""
    requests = subject_access.sar_open_list(agency_id=_agency_id(_viewer(request)))
    return render(
        request, "governance/home.html", {"requests": requests, "today": timezone.localdate()}
    )


@ig_officer_only
def retention_queue_page(request: HttpRequest) -> HttpResponse:
    """Records due for review in the agency, per rule; decide on one or many at once."""
    user = _viewer(request)
    posted = request.POST.get("model", "") if request.method == "POST" else ""
    bound = RetentionDecisionForm(request.POST, prefix=_prefix(posted)) if posted else None
    if bound is not None and bound.is_valid():
        ids = [int(pk) for pk in request.POST.getlist("record") if pk.isdigit()]
        try:
            decisions = retention_decide(
                actor=user, model_label=posted, object_ids=ids, **bound.cleaned_data
            )
        except ObjectDoesNotExist as error:
            raise Http404 from error
        except ValidationError as error:
            bound.add_service_errors(error)
        else:
            return redirect(f"{request.path}?decided={len(decisions)}")
    access_event_record(
        actor=user,
        action=AccessEvent.Action.VIEW,
        object_type="audit.retentiondecision",
        request=request,
    )
    # One form per rule, each with its own prefix, so no two fields share an id.
    sections = [
        (
            section,
            bound
            if bound is not None and section.label == posted
            else RetentionDecisionForm(prefix=_prefix(section.label)),
        )
        for section in selectors.retention_queue(agency_id=_agency_id(user))
    ]
    return render(
        request,
        "governance/retention_queue.html",
        {"sections": sections, "form": bound, "decided": request.GET.get("decided")},
    )


def _prefix(model_label: str) -> str:
    return model_label.replace(".", "-")


def _audit_filters(request: HttpRequest) -> tuple[AccessAuditForm, selectors.AuditFilter | None]:
    data = request.GET if "date_from_day" in request.GET else None
    form = AccessAuditForm(data, initial=AccessAuditForm.default_initial())
    if data is None:
        initial = AccessAuditForm.default_initial()
        return form, selectors.AuditFilter(initial["date_from"], initial["date_to"])
    if not form.is_valid():
        return form, None
    return form, selectors.AuditFilter(**form.cleaned_data)


@_require(can_read_access_flags)
def access_audit_page(request: HttpRequest) -> HttpResponse:
    """The access audit (IG officer) and the unusual-access flags (IG officer, managers)."""
    user = _viewer(request)
    form, filters = _audit_filters(request)
    access_event_record(
        actor=user,
        action=AccessEvent.Action.VIEW,
        object_type="audit.accessevent",
        request=request,
        detail={"page": "access audit"},
    )
    ig = is_ig_officer(user)
    page = flags = None
    if filters is not None:
        flags = selectors.access_flags(
            agency_id=_agency_id(user),
            date_from=filters.date_from,
            date_to=filters.date_to,
        )
        if ig:
            events = selectors.access_audit(agency_id=_agency_id(user), filters=filters)
            page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "governance/access_audit.html",
        {"form": form, "page": page, "flags": flags, "ig": ig, "query": request.GET.urlencode()},
    )


@ig_officer_only
def access_audit_csv(request: HttpRequest) -> HttpResponse:
    """The filtered audit as formula-safe CSV; the export is itself logged."""
    user = _viewer(request)
    _form, filters = _audit_filters(request)
    if filters is None:
        raise Http404
    events = selectors.access_audit(agency_id=_agency_id(user), filters=filters)
    rows: list[list[object]] = [
        ["when", "user", "action", "record type", "record", "page", "detail"]
    ]
    rows += [
        [
            e.at.isoformat(),
            e.user.username if e.user else "",
            e.action,
            e.object_type,
            e.object_id,
            e.page,
            e.detail,
        ]
        for e in events
    ]
    access_event_record(
        actor=user,
        action=AccessEvent.Action.EXPORT,
        object_type="audit.accessevent",
        request=request,
        detail={"rows": len(rows) - 1, "format": "csv"},
    )
    response = HttpResponse(csv_text(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="access-audit.csv"'
    return response


@ig_officer_only
def privacy_notice(request: HttpRequest) -> HttpResponse:
    """Record of processing, generated from the apps' declarations and the retention registry."""
    return render(
        request,
        "governance/privacy.html",
        {"declarations": processing_declarations(), "rules": retention_rules().values()},
    )


@ig_officer_only
def sar_start(request: HttpRequest) -> HttpResponse:
    """Find the subject by name within the agency, then record the request about them."""
    user = _viewer(request)
    choices = [(label, subject.name) for label, subject in sar_subjects().items()]
    words = request.GET.get("name", "").strip()[:100]
    matches = (
        subject_access.sar_subject_search(actor=user, words=words, http_request=request)
        if words
        else None
    )
    chosen = {
        "subject_type": request.GET.get("subject_type", ""),
        "subject_id": request.GET.get("subject_id", ""),
    }
    form = SubjectAccessForm(
        request.POST or None,
        subject_choices=choices,
        initial={"received_on": timezone.localdate(), **{k: v for k, v in chosen.items() if v}},
    )
    if request.method == "POST" and form.is_valid():
        try:
            sar = subject_access.sar_open(actor=user, **form.cleaned_data)
        except ObjectDoesNotExist:
            form.add_error("subject_id", subject_access.ERROR_NO_SUBJECT)
        else:
            return redirect("governance:sar_detail", sar.pk)
    return render(
        request,
        "governance/sar_start.html",
        {"form": form, "name": words, "matches": matches},
    )


def _sar(request: HttpRequest, pk: int) -> subject_access.SubjectAccessRequest:
    try:
        return subject_access.sar_for_user_or_404(user=request.user, pk=pk)
    except ObjectDoesNotExist as error:
        raise Http404 from error


@ig_officer_only
def sar_detail(request: HttpRequest, pk: int) -> HttpResponse:
    sar = _sar(request, pk)
    access_event_record(
        actor=_viewer(request), action=AccessEvent.Action.VIEW, instance=sar, request=request
    )
    return render(
        request, "governance/sar_detail.html", {"sar": sar, "today": timezone.localdate()}
    )


def _download(request: HttpRequest, pk: int, fmt: str, content_type: str) -> HttpResponse:
    sar = _sar(request, pk)
    try:
        body = subject_access.sar_download(
            actor=_viewer(request), request=sar, fmt=fmt, http_request=request
        )
    except ObjectDoesNotExist as error:
        raise Http404 from error
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="subject-access-{sar.pk}.{fmt}"'
    return response


@ig_officer_only
def sar_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _download(request, pk, "pdf", "application/pdf")


@ig_officer_only
def sar_json(request: HttpRequest, pk: int) -> HttpResponse:
    return _download(request, pk, "json", "application/json")
