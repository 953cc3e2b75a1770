"""Reads of casework records. Every selector starts from a permission policy
(casework.permissions, cases.permissions, maog.permissions), so a list, a count, a task list
or a chronology never holds what the user's agency was not given."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from cases import permissions as case_permissions
from cases.chronology import (
    ChronologyEvent,
    RecordKind,
    RecordSource,
    Row,
    Urls,
    label,
    register_records,
    young_person_chronology,
)
from cases.models import MissingEpisode, YoungPerson
from cases.selectors import attention_lists
from cases.selectors.compiled import compiled_count
from casework import permissions
from casework.chronology_export import ChronologyFilters
from casework.models import CaseNote, Ird, IrdAction, IrdParticipant, Meeting, SafetyPlan
from maog import permissions as maog_permissions
from partnership.policy import EDIT

if TYPE_CHECKING:
    from accounts.models import User

# A task list longer than this is cut (and says so): it is a to-do list, not a report.
TASK_LIMIT = 200
# Only what a task shows (up to TASK_LIMIT rows of each kind: whole records were a good part
# of the page's CPU). The young person's name through the record, and an action's fields.
NAME = ("young_person__first_name", "young_person__last_name")
ASSIGNEE = ("assigned_to__first_name", "assigned_to__last_name")
ACTION = ("description", "due_on", "ird__owner_agency__short_name", "agency__name", *ASSIGNEE)


# --- IRDs ----------------------------------------------------------------------------------


def ird_list(*, user: User, young_person: YoungPerson) -> QuerySet[Ird]:
    """The IRDs about one young person that the user may see, newest first."""
    return (
        permissions.ird_policy.visible_to(user)
        .filter(young_person=young_person)
        .select_related("owner_agency")
        .order_by("-held_at", "-id")
    )


@dataclass
class IrdPage:
    ird: Ird
    participants: list[IrdParticipant]
    actions: list[IrdAction]
    other_young_people: list[YoungPerson]
    persons_of_concern: list[Any]
    # How many linked children and adults the user may not see (named as a count only).
    hidden_people: int
    can_edit: bool
    reconvenings: list[Ird] = field(default_factory=list)


def ird_page(*, user: User, pk: int) -> IrdPage:
    """One IRD with its parts; the children and adults considered are limited to those the
    user may see (the others are only counted). 404 when the IRD is out of reach."""
    ird = permissions.ird_policy.get_for_user_or_404(user, pk)
    children = list(
        case_permissions.young_person_policy.visible_to(user).filter(
            pk__in=ird.other_young_people.values("pk")
        )
    )
    persons = list(
        maog_permissions.person_policy.visible_to(user).filter(
            pk__in=ird.persons_of_concern.values("pk")
        )
    )
    linked = ird.other_young_people.count() + ird.persons_of_concern.count()
    return IrdPage(
        ird=ird,
        participants=list(ird.participants.select_related("agency")),
        actions=list(
            ird.actions.select_related("agency", "assigned_to", "completed_by").order_by(
                "due_on", "id"
            )
        ),
        other_young_people=children,
        persons_of_concern=persons,
        hidden_people=linked - len(children) - len(persons),
        can_edit=permissions.ird_policy.can_edit(user, ird),
        reconvenings=list(permissions.ird_policy.visible_to(user).filter(reconvened_from=ird)),
    )


def ird_referral_choices(*, user: User, young_person: YoungPerson) -> QuerySet[Any]:
    """The child's referrals with outcome IRD that the user may see (to link the IRD to)."""
    return (
        case_permissions.referral_policy.visible_to(user)
        .filter(young_person=young_person, outcome="ird")
        .order_by("-received_on", "-id")
    )


def ird_reconvene_choices(*, user: User, young_person: YoungPerson) -> QuerySet[Ird]:
    return ird_list(user=user, young_person=young_person)


def assignable_people() -> QuerySet[User]:
    """Who an action can be assigned to: active caseworkers of any active agency."""
    from accounts.models import User

    roles = [role.value for role in case_permissions.CASEWORK_ROLES]
    return (
        User.objects.filter(
            is_active=True, agency__isnull=False, agency__is_active=True, groups__name__in=roles
        )
        .select_related("agency")
        .distinct()
        .order_by("agency__name", "last_name", "first_name", "id")
    )


def action_page(*, user: User, pk: int) -> tuple[IrdAction, bool]:
    """One action and whether the user may also see its IRD (see permissions.py)."""
    action = permissions.ird_action_policy.get_for_user_or_404(user, pk)
    return action, permissions.ird_action_policy.can_see_ird(user, action)


# --- Case notes and the conference chronology --------------------------------------------


def case_note_list(*, user: User, young_person: YoungPerson) -> QuerySet[CaseNote]:
    """The notes about one young person that the user may see, newest first."""
    return (
        permissions.case_note_policy.visible_to(user)
        .filter(young_person=young_person)
        .select_related("owner_agency", "created_by")
        .order_by("-contact_at", "-id")
    )


def meeting_list(*, user: User, young_person: YoungPerson) -> QuerySet[Meeting]:
    """The meetings about one young person that the user may see, newest first."""
    return (
        permissions.meeting_policy.visible_to(user)
        .filter(young_person=young_person)
        .select_related("owner_agency")
        .order_by("-held_at", "-id")
    )


def safety_plan_list(*, user: User, young_person: YoungPerson) -> QuerySet[SafetyPlan]:
    """The safety plans about one young person that the user may see."""
    return (
        permissions.safety_plan_policy.visible_to(user)
        .filter(young_person=young_person)
        .select_related("owner_agency")
    )


def meeting_page(*, user: User, pk: int) -> tuple[Meeting, list[MissingEpisode]]:
    """One meeting and the episodes it considered that the user may see (404 out of reach)."""
    meeting = permissions.meeting_policy.get_for_user_or_404(user, pk)
    episodes = case_permissions.missing_episode_policy.visible_to(user).filter(
        pk__in=meeting.missing_episodes.values("pk")
    )
    return meeting, list(episodes.order_by("missing_from"))


def alert_episodes(*, user: User, young_person: YoungPerson) -> QuerySet[MissingEpisode]:
    """The child's episodes in the repeat-missing window that the user may see (the ones a
    meeting answering the alert considers)."""
    start = timezone.now() - dt.timedelta(days=settings.CSE_REPEAT_MISSING_DAYS)
    return (
        case_permissions.missing_episode_policy.visible_to(user)
        .filter(young_person=young_person, missing_from__gte=start)
        .order_by("missing_from", "id")
    )


def conference_chronology(
    *, user: User, young_person: YoungPerson, filters: ChronologyFilters
) -> list[ChronologyEvent]:
    """The child's chronology as the user may see it (every registered source: referrals,
    episodes, IRDs, significant notes, ...), cut to the conference's dates and, if asked,
    to significant events. The chronology's own constant queries; the filter is in Python
    because a child's chronology is hundreds of events, not thousands."""
    events = young_person_chronology(user=user, young_person=young_person)
    return [event for event in events if filters.keeps(event)]


# --- My tasks ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Task:
    kind: str
    title: str
    due: dt.date
    url: str
    agency: str = ""
    assignee: str = ""
    action_id: int | None = None

    @property
    def overdue(self) -> bool:
        return self.due < timezone.localdate()


@dataclass
class TaskList:
    actions: list[Task]
    agency_work: list[Task]
    team: bool
    cut: bool

    @property
    def count(self) -> int:
        return len(self.actions) + len(self.agency_work)


def _open_actions(user: User, *, team: bool) -> QuerySet[IrdAction]:
    policy = permissions.ird_action_policy
    rows = policy.assigned_to_team(user) if team else policy.assigned_to_user(user)
    return rows.filter(completed_at__isnull=True)


def my_tasks(*, user: User, team: bool = False) -> TaskList:
    """What is the user's to do, with due dates: IRD actions assigned to them (or to their
    agency with nobody named; an agency manager asking for ``team`` sees every action given to
    the agency or its people), and the agency's return discussions and reassessments due.
    Three queries whatever the number of rows."""
    team = team and permissions.is_agency_manager(user)
    action_url = reverse("casework:action_detail", args=[0]).removesuffix("0/")
    actions = [
        Task(
            kind="IRD action",
            title=action.description,
            due=action.due_on,
            url=f"{action_url}{action.pk}/",
            agency=action.ird.owner_agency.short_name,
            assignee=(
                action.assigned_to.get_full_name() if action.assigned_to else action.agency.name
            ),
            action_id=action.pk,
        )
        for action in _open_actions(user, team=team)
        .select_related("ird__owner_agency", "agency", "assigned_to")
        .only(*ACTION)
        .order_by("due_on", "id")[: TASK_LIMIT + 1]
    ]
    agency_work = (
        _return_discussions(user)
        + _reassessments(user)
        + _alerts_to_meet(user)
        + _safety_plan_reviews(user)
    )
    agency_work.sort(key=lambda task: task.due)
    return TaskList(
        actions=actions[:TASK_LIMIT],
        agency_work=agency_work[:TASK_LIMIT],
        team=team,
        cut=len(actions) > TASK_LIMIT or len(agency_work) > TASK_LIMIT,
    )


def _young_person_url() -> Callable[[int], str]:
    base = reverse("cases:young_person_detail", args=[0]).removesuffix("0/")
    return lambda pk: f"{base}{pk}/"


def _return_discussions(user: User) -> list[Task]:
    """Return discussions the agency owes: its episodes located and awaiting one, due the
    target number of hours after the child was located (one query)."""
    target = dt.timedelta(hours=settings.CSE_RETURN_DISCUSSION_TARGET_HOURS)
    episodes = (
        case_permissions.missing_episode_policy.instances_user_has_permission_for(user, EDIT)
        .filter(
            located_at__isnull=False,
            return_discussion__in=[
                MissingEpisode.ReturnDiscussion.NOT_OFFERED,
                MissingEpisode.ReturnDiscussion.OFFERED,
            ],
        )
        .order_by("located_at", "id")
        .values_list("pk", "located_at", *NAME)[: TASK_LIMIT + 1]
    )
    url = reverse("cases:missing_detail", args=[0]).removesuffix("0/")
    return [
        Task(
            kind="Return discussion",
            title=f"Return discussion with {first_name} {last_name}",
            due=timezone.localdate(located_at + target),
            url=f"{url}{pk}/",
        )
        for pk, located_at, first_name, last_name in episodes
    ]


def _reassessments(user: User) -> list[Task]:
    """Reassessments due (the cases app's "needs attention" list for the agency, one query)."""
    person_url = _young_person_url()
    due = attention_lists(user=user)["reassessment_due"]
    return [
        Task(
            kind="Reassessment",
            title=f"Reassess {first_name} {last_name}",
            due=due_on,
            url=person_url(pk),
        )
        for pk, first_name, last_name, due_on in due.values_list(
            "pk", "first_name", "last_name", "due"
        )[: TASK_LIMIT + 1]
    ]


def _alerts_to_meet(user: User) -> list[Task]:
    """Repeat-missing alerts (the cases app's list for the agency) that no meeting answered
    in the alert's window yet: each asks for a multi-agency meeting (one query)."""
    start = timezone.now() - dt.timedelta(days=settings.CSE_REPEAT_MISSING_DAYS)
    answered = Meeting.objects.filter(
        young_person_id=OuterRef("pk"),
        meeting_type=Meeting.MeetingType.REPEAT_MISSING,
        held_at__gte=start,
    )
    alerts = attention_lists(user=user)["repeat_missing"].filter(~Exists(answered))
    base = reverse("casework:meeting_create", args=[0]).removesuffix("0/meetings/new/")
    today = timezone.localdate()
    return [
        Task(
            kind="Repeat-missing alert",
            title=f"Hold a multi-agency meeting about {first_name} {last_name}",
            due=today,
            url=f"{base}{pk}/meetings/new/?type=repeat_missing",
        )
        for pk, first_name, last_name in alerts.values_list("pk", "first_name", "last_name")[
            : TASK_LIMIT + 1
        ]
    ]


def _safety_plan_reviews(user: User) -> list[Task]:
    """Safety plans the agency wrote, by review date (one query)."""
    person_url = _young_person_url()
    plans = (
        permissions.safety_plan_policy.instances_user_has_permission_for(user, EDIT)
        .order_by("review_on", "id")
        .values_list("young_person_id", "review_on", *NAME)[: TASK_LIMIT + 1]
    )
    return [
        Task(
            kind="Safety plan review",
            title=f"Review the safety plan of {first_name} {last_name}",
            due=review_on,
            url=person_url(young_person_id),
        )
        for young_person_id, review_on, first_name, last_name in plans
    ]


def my_task_count(*, user: User) -> int:
    """The header's count: open IRD actions that are the user's (one indexed count, by a
    statement compiled once per user: it runs on every page)."""
    return compiled_count(
        name="my_tasks", user=user, model=IrdAction, rows=lambda: _open_actions(user, team=False)
    )


def my_task_count_for_request(request: HttpRequest) -> int:
    """``my_task_count`` once per request, however many templates ask for it."""
    cached = getattr(request, "_casework_task_count", None)
    if cached is None:
        cached = my_task_count(user=request.user)  # type: ignore[arg-type]
        request._casework_task_count = cached  # type: ignore[attr-defined]
    return cached


# --- The chronology source -----------------------------------------------------------------


def _significant_event(
    kind: str,
    title: Callable[[Row], str],
    page: str,
    detail: Callable[[Row], str] = lambda row: row.text_2,
) -> Callable[[Row, Urls], list[ChronologyEvent | None]]:
    """Each casework record is one event, and every one is significant for a conference: an
    IRD is a child-protection decision, a meeting a decision point for the child, a completed
    action the agreed plan being done, and only significant notes are read in."""

    def events(row: Row, urls: Urls) -> list[ChronologyEvent | None]:
        return [
            row.event(
                row.time_1,
                kind,
                title(row),
                detail(row),
                significant=True,
                url=urls(page)(row.pk),
            )
        ]

    return events


_ird_events = _significant_event(
    "IRD",
    lambda row: f"Inter-agency Referral Discussion: {label(Ird, 'decision', row.text_1)}",
    "casework:ird_detail",
)
_note_events = _significant_event(
    "Case note", lambda row: label(CaseNote, "contact_type", row.text_1), "casework:note_detail"
)
_meeting_events = _significant_event(
    "Meeting", lambda row: label(Meeting, "meeting_type", row.text_1), "casework:meeting_detail"
)
_action_events = _significant_event(
    "IRD action",
    lambda row: f"IRD action completed: {row.text_1}",
    "casework:action_detail",
    detail=lambda row: f"Done: {row.text_2}" if row.text_2 else "",
)


def young_person_casework_records(
    *, user: User, young_person: YoungPerson
) -> dict[str, QuerySet[Any]]:
    """The IRDs (and their completed actions), meetings and significant notes about one young
    person the user may see."""
    irds = permissions.ird_policy.visible_to(user).filter(young_person=young_person)
    return {
        "irds": irds,
        "actions": IrdAction.objects.filter(ird__in=irds.values("pk"), completed_at__isnull=False),
        "meetings": permissions.meeting_policy.visible_to(user).filter(young_person=young_person),
        "notes": permissions.case_note_policy.visible_to(user).filter(
            young_person=young_person, significant=True
        ),
    }


register_records(
    "casework",
    RecordSource(
        kinds={
            "irds": RecordKind(
                {
                    "time_1": "held_at",
                    "text_1": "decision",
                    "text_2": "reasons",
                    "agency": "owner_agency__short_name",
                },
                _ird_events,
            ),
            "actions": RecordKind(
                {
                    "time_1": "completed_at",
                    "text_1": "description",
                    "text_2": "completion_note",
                    "agency": "agency__short_name",
                },
                _action_events,
            ),
            "meetings": RecordKind(
                {
                    "time_1": "held_at",
                    "text_1": "meeting_type",
                    "text_2": "decisions",
                    "agency": "owner_agency__short_name",
                },
                _meeting_events,
            ),
            "notes": RecordKind(
                {
                    "time_1": "contact_at",
                    "text_1": "contact_type",
                    "text_2": "narrative",
                    "agency": "owner_agency__short_name",
                },
                _note_events,
            ),
        },
        visible=young_person_casework_records,
    ),
)
