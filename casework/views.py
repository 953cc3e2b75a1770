"""Pages of casework: IRDs, their action plan and "My tasks". Thin: access from
permissions.py, reads from selectors.py, writes through services.py."""

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from audit.models import AccessEvent
from audit.services import access_event_record
from cases.models import YoungPerson
from casework import permissions, selectors, services
from casework.forms import (
    CaseNoteForm,
    CompleteActionForm,
    ConferenceChronologyForm,
    IrdActionForm,
    IrdForm,
    MeetingForm,
    ParticipantFormSet,
)
from maog import permissions as maog_permissions
from partnership.policy import EDIT, VIEW, PermissionPolicy
from records.http import AuthenticatedRequest
from records.views import form_view, posted

M = TypeVar("M", bound=Model)


def _log_view(request: AuthenticatedRequest, record: Any, young_person_id: int | None) -> None:
    """A record about a child is part of the child's record: every view is logged."""
    access_event_record(
        actor=request.user,
        action=AccessEvent.Action.VIEW,
        instance=record,
        request=request,
        detail={"young_person": young_person_id} if young_person_id else {},
    )


def _opened(request: AuthenticatedRequest, policy: PermissionPolicy[M], pk: int) -> M:
    """A record of a child's case opened for reading: 404 out of reach, and the view logged
    as part of the child's record."""
    record = policy.get_for_user_or_404(request.user, pk)
    _log_view(request, record, getattr(record, "young_person_id", None))
    return record


def _to_change(request: AuthenticatedRequest, policy: PermissionPolicy[M], pk: int) -> M:
    """A record the user is to change: 404 out of reach; 403 if they see it but may not edit
    it (a 403 then reveals nothing more)."""
    record = policy.get_for_user_or_404(request.user, pk)
    policy.require(request.user, EDIT, record)
    return record


def _adding_to(request: AuthenticatedRequest, pk: int) -> YoungPerson:
    """The young person a record is being added to: 404 unless the user may add one."""
    young_person = permissions.young_person_policy.get_for_user_or_404(request.user, pk)
    if not permissions.young_person_policy.can_add_record(request.user, young_person):
        raise Http404
    return young_person


def _case_list(
    request: AuthenticatedRequest,
    pk: int,
    template: str,
    name: str,
    selector: Callable[..., Any],
    **context: Any,
) -> HttpResponse:
    """A list page of one kind of record in a young person's case: ``name`` in the template."""
    young_person = permissions.young_person_policy.get_for_user_or_404(request.user, pk)
    rows = selector(user=request.user, young_person=young_person)
    return render(request, template, {"young_person": young_person, name: rows, **context})


@require_http_methods(["GET"])
def ird_list(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _case_list(
        request,
        pk,
        "casework/ird_list.html",
        "irds",
        selectors.ird_list,
        can_add=permissions.ird_policy.user_has_permission(request.user, EDIT),
    )


@require_http_methods(["GET", "POST"])
def ird_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    young_person = _adding_to(request, pk)
    initial: dict[str, Any] = {}
    earlier_id = request.GET.get("reconvene", "")
    if earlier_id.isdigit():
        earlier = permissions.ird_policy.get_for_user_or_404(user, int(earlier_id))
        try:
            initial = services.ird_reconvene_initial(actor=user, ird=earlier)
        except PermissionDenied:
            raise Http404 from None
    form = IrdForm(
        posted(request),
        initial=initial,
        referrals=selectors.ird_referral_choices(user=user, young_person=young_person),
        earlier=selectors.ird_reconvene_choices(user=user, young_person=young_person),
        young_people=permissions.young_person_policy.visible_to(user),
        persons=maog_permissions.person_policy.visible_to(user),
    )
    participants = ParticipantFormSet(posted(request), prefix="participants")

    def save() -> Any:
        chosen = [p for p in (f.participant() for f in participants.forms) if p is not None]
        return services.ird_create(
            actor=user,
            young_person=young_person,
            participants=chosen,
            other_young_people=form.cleaned_data["other_young_people"],
            persons_of_concern=form.cleaned_data["persons_of_concern"],
            **form.changes(),
        )

    return form_view(
        request,
        form,
        save,
        success="IRD recorded.",
        done=lambda ird: reverse("casework:ird_detail", args=[ird.pk]),
        valid=participants.is_valid(),
        template="casework/ird_form.html",
        participants=participants,
        young_person=young_person,
    )


@require_http_methods(["GET"])
def ird_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    page = selectors.ird_page(user=request.user, pk=pk)
    _log_view(request, page.ird, page.ird.young_person_id)
    return render(
        request,
        "casework/ird_detail.html",
        {"page": page, "ird": page.ird, "young_person": page.ird.young_person},
    )


@require_http_methods(["GET", "POST"])
def action_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    ird = _to_change(request, permissions.ird_policy, pk)
    form = IrdActionForm(posted(request), people=selectors.assignable_people())
    return form_view(
        request,
        form,
        lambda: services.ird_action_create(actor=request.user, ird=ird, **form.cleaned_data),
        success="Action added.",
        done=lambda _action: reverse("casework:ird_detail", args=[ird.pk]),
        refusal_is_404=False,
        template="casework/action_form.html",
        ird=ird,
        young_person=ird.young_person,
    )


@require_http_methods(["GET"])
def action_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    action, sees_ird = selectors.action_page(user=request.user, pk=pk)
    _log_view(request, action, action.ird.young_person_id if sees_ird else None)
    return render(
        request,
        "casework/action_detail.html",
        {
            "action": action,
            "sees_ird": sees_ird,
            "can_complete": permissions.ird_action_policy.can_complete(request.user, action),
        },
    )


@require_http_methods(["GET", "POST"])
def action_complete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    action, _sees_ird = selectors.action_page(user=request.user, pk=pk)
    if not permissions.ird_action_policy.can_complete(request.user, action):
        raise PermissionDenied  # the user sees the action: a 403 reveals nothing more
    form = CompleteActionForm(posted(request))
    return form_view(
        request,
        form,
        lambda: services.ird_action_complete(
            actor=request.user, action=action, note=form.cleaned_data["note"]
        ),
        success="Action completed.",
        done=lambda _action: reverse("casework:my_tasks"),
        refusal_is_404=False,
        template="casework/action_complete.html",
        action=action,
    )


@require_http_methods(["GET"])
def my_tasks(request: AuthenticatedRequest) -> HttpResponse:
    if not permissions.ird_action_policy.user_has_permission(request.user, VIEW):
        raise Http404
    team = request.GET.get("view") == "team"
    tasks = selectors.my_tasks(user=request.user, team=team)
    return render(
        request,
        "casework/my_tasks.html",
        {"tasks": tasks, "is_manager": permissions.is_agency_manager(request.user)},
    )


def _record_form(
    request: AuthenticatedRequest,
    form: Any,
    young_person: Any,
    *,
    create: Callable[..., Any],
    title: str,
    success: str,
    detail: str,
) -> HttpResponse:
    """A record added to a young person's case: saved by ``create``, then its own page."""
    return form_view(
        request,
        form,
        lambda: create(actor=request.user, young_person=young_person, **form.cleaned_data),
        success=success,
        done=lambda record: reverse(detail, args=[record.pk]),
        title=title,
        young_person=young_person,
    )


# --- Case notes ----------------------------------------------------------------------------


@require_http_methods(["GET"])
def note_list(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _case_list(request, pk, "casework/note_list.html", "notes", selectors.case_note_list)


@require_http_methods(["GET", "POST"])
def note_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    young_person = _adding_to(request, pk)
    form = CaseNoteForm(posted(request))
    return _record_form(
        request,
        form,
        young_person,
        create=services.case_note_create,
        title="Add a case note",
        success="Case note added.",
        detail="casework:note_detail",
    )


@require_http_methods(["GET"])
def note_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    note = _opened(request, permissions.case_note_policy, pk)
    return render(
        request, "casework/note_detail.html", {"note": note, "young_person": note.young_person}
    )


# --- Multi-agency meetings -----------------------------------------------------------------


@require_http_methods(["GET"])
def meeting_list(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _case_list(request, pk, "casework/meeting_list.html", "meetings", selectors.meeting_list)


@require_http_methods(["GET", "POST"])
def meeting_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    young_person = _adding_to(request, pk)
    episodes = selectors.alert_episodes(user=request.user, young_person=young_person)
    initial: dict[str, Any] = {}
    if request.GET.get("type") == "repeat_missing":
        # Opened from the repeat-missing alert: the meeting answers it.
        initial = {"meeting_type": "repeat_missing", "missing_episodes": list(episodes)}
    form = MeetingForm(posted(request), initial=initial, episodes=episodes)
    return _record_form(
        request,
        form,
        young_person,
        create=services.meeting_create,
        title="Record a multi-agency meeting",
        success="Meeting recorded.",
        detail="casework:meeting_detail",
    )


@require_http_methods(["GET"])
def meeting_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting, episodes = selectors.meeting_page(user=request.user, pk=pk)
    _log_view(request, meeting, meeting.young_person_id)
    return render(
        request,
        "casework/meeting_detail.html",
        {"meeting": meeting, "episodes": episodes, "young_person": meeting.young_person},
    )


# --- The chronology for a case conference --------------------------------------------------


@require_http_methods(["GET"])
def conference_chronology(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    young_person = permissions.young_person_policy.get_for_user_or_404(request.user, pk)
    form = ConferenceChronologyForm(request.GET or None)
    filters = form.filters()
    access_event_record(
        actor=request.user,
        action=AccessEvent.Action.CHRONOLOGY,
        instance=young_person,
        request=request,
        detail=filters.as_detail(),
    )
    events = selectors.conference_chronology(
        user=request.user, young_person=young_person, filters=filters
    )
    return render(
        request,
        "casework/conference_chronology.html",
        {
            "young_person": young_person,
            "form": form,
            "events": events,
            "query": request.GET.urlencode(),
        },
    )


@require_http_methods(["GET"])
def conference_chronology_export(
    request: AuthenticatedRequest, pk: int, file_format: str
) -> HttpResponse:
    young_person = permissions.young_person_policy.get_for_user_or_404(request.user, pk)
    form = ConferenceChronologyForm(request.GET or None)
    if request.GET and not form.is_valid():
        # Back to the page, which shows what is wrong with the dates.
        url = reverse("casework:conference_chronology", args=[young_person.pk])
        return redirect(f"{url}?{request.GET.urlencode()}")
    exported = services.conference_chronology_export(
        actor=request.user,
        young_person=young_person,
        filters=form.filters(),
        file_format=file_format,
        request=request,
    )
    response = HttpResponse(exported.content, content_type=exported.content_type)
    response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
    return response
