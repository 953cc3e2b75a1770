"""Writes to casework records. Each service checks access (the views do too: tasks and shells
call services), validates (``ValidationError`` with field keys, so forms show the message next
to the field), saves with the actor as the history author, and records the act in the access
log, all in one transaction.

The IRD itself goes through the generic record services (``records.services``), declared once
below (``IRD``); its participants, the links to the people considered, the grants to the
participating agencies and the action plan are written here around it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import assign_perm

from accounts.models import User
from audit.models import AccessEvent
from audit.services import access_event_record
from cases import permissions as case_permissions
from cases.models import Referral, YoungPerson
from cases.services import case_record_type
from cases.services.common import not_future_time, raise_errors, require, save
from casework import permissions
from casework.chronology_export import ChronologyFile, ChronologyFilters, chronology_file
from casework.models import CaseNote, Ird, IrdAction, IrdParticipant, Meeting
from casework.selectors import conference_chronology
from maog import permissions as maog_permissions
from maog.models import PersonOfConcern
from partnership.models import Agency
from records.services import RecordType

ERROR_REFERRAL_OTHER_CHILD = "The referral must be about the same young person."
ERROR_REFERRAL_NOT_IRD = "Only a referral with the outcome IRD links to an IRD."
ERROR_RECONVENE_OTHER_CHILD = "A reconvened IRD is about the same young person."
ERROR_NOT_VISIBLE = "Choose from the records you can see."
ERROR_PARTICIPANTS = "Record at least one other agency taking part."
ERROR_ASSIGNEE_AGENCY = "The person must work for the agency the action is given to."
ERROR_ALREADY_COMPLETED = "The action is already completed."


@dataclass(frozen=True)
class Participant:
    """One agency's part in the discussion, as the form hands it over."""

    agency: Agency
    name: str
    role: str = ""
    information_summary: str = ""


# --- Case notes and the IRD record -------------------------------------------------------


def _validate_note(note: CaseNote) -> None:
    errors: dict[str, str] = {}
    not_future_time(note.contact_at, "contact_at", errors)
    raise_errors(errors)


def _validate_ird(ird: Ird) -> None:
    errors: dict[str, str] = {}
    not_future_time(ird.held_at, "held_at", errors)
    referral = ird.referral
    if referral is not None:
        if referral.young_person_id != ird.young_person_id:
            errors["referral"] = ERROR_REFERRAL_OTHER_CHILD
        elif referral.outcome != Referral.Outcome.IRD:
            errors["referral"] = ERROR_REFERRAL_NOT_IRD
    earlier = ird.reconvened_from
    if earlier is not None and earlier.young_person_id != ird.young_person_id:
        errors["reconvened_from"] = ERROR_RECONVENE_OTHER_CHILD
    raise_errors(errors)


IRD: RecordType[Ird] = case_record_type(
    Ird,
    policy=permissions.ird_policy,
    fields=(
        "held_at",
        "referral",
        "reconvened_from",
        "concerns",
        "decision",
        "reasons",
        "childs_views_obtained",
        "carers_views_obtained",
        "chronology_considered",
    ),
    validate=_validate_ird,
)


CASE_NOTE: RecordType[CaseNote] = case_record_type(
    CaseNote,
    policy=permissions.case_note_policy,
    fields=("contact_type", "contact_at", "narrative", "significant"),
    validate=_validate_note,
)
case_note_create = CASE_NOTE.create
case_note_update = CASE_NOTE.update


def _validate_meeting(meeting: Meeting) -> None:
    errors: dict[str, str] = {}
    not_future_time(meeting.held_at, "held_at", errors)
    raise_errors(errors)


MEETING: RecordType[Meeting] = case_record_type(
    Meeting,
    policy=permissions.meeting_policy,
    fields=("meeting_type", "held_at", "participants", "childs_views", "decisions"),
    validate=_validate_meeting,
)


@transaction.atomic
def meeting_create(
    *,
    actor: User,
    young_person: YoungPerson,
    missing_episodes: Iterable[Any] = (),
    **fields: Any,
) -> Meeting:
    """Record a multi-agency meeting about the child. A repeat-missing meeting names the
    child's episodes it considered (those the actor may see): it answers the alert."""
    episodes = list(missing_episodes)
    visible = case_permissions.missing_episode_policy.visible_to(actor).filter(
        young_person=young_person
    )
    errors: dict[str, str] = {}
    _only_visible(episodes, visible, "missing_episodes", errors)
    raise_errors(errors)
    meeting = MEETING.create(actor=actor, young_person=young_person, **fields)
    meeting.missing_episodes.set(episodes)
    return meeting


def _only_visible(
    chosen: Iterable[Any], visible: Any, field: str, errors: dict[str, str]
) -> list[Any]:
    """The chosen records, all of which the actor must be able to see (one query)."""
    chosen = list(chosen)
    ids = {record.pk for record in chosen}
    if ids and visible.filter(pk__in=ids).count() != len(ids):
        errors[field] = ERROR_NOT_VISIBLE
    return chosen


@transaction.atomic
def ird_create(
    *,
    actor: User,
    young_person: YoungPerson,
    participants: Sequence[Participant],
    other_young_people: Iterable[YoungPerson] = (),
    persons_of_concern: Iterable[PersonOfConcern] = (),
    **fields: Any,
) -> Ird:
    """Record an IRD about ``young_person`` held by the actor's agency: the discussion, the
    agencies that took part (each given a grant to see it), and the other children and adults
    considered (only records the actor may see)."""
    errors: dict[str, str] = {}
    children = _only_visible(
        other_young_people,
        permissions.young_person_policy.visible_to(actor),
        "other_young_people",
        errors,
    )
    persons = _only_visible(
        persons_of_concern,
        maog_permissions.person_policy.visible_to(actor),
        "persons_of_concern",
        errors,
    )
    if not any(p.agency.pk != actor.agency_id for p in participants):
        errors["participants"] = ERROR_PARTICIPANTS
    raise_errors(errors)
    ird = IRD.create(actor=actor, young_person=young_person, **fields)
    ird.other_young_people.set([child for child in children if child.pk != young_person.pk])
    ird.persons_of_concern.set(persons)
    for participant in participants:
        save(
            IrdParticipant(
                ird=ird,
                agency=participant.agency,
                name=participant.name.strip(),
                role=participant.role.strip(),
                information_summary=participant.information_summary.strip(),
            ),
            actor=actor,
            exclude=["ird"],
        )
    granted = sorted(
        {p.agency for p in participants if p.agency.pk != ird.owner_agency_id},
        key=lambda agency: agency.pk,
    )
    for agency in granted:
        assign_perm(permissions.IRD_GRANT_PERM, agency.group, ird)
    if granted:
        access_event_record(
            actor=actor,
            action=AccessEvent.Action.SHARE,
            instance=ird,
            detail={"participants": [agency.code for agency in granted]},
        )
    return ird


def ird_reconvene_initial(*, actor: User, ird: Ird) -> dict[str, Any]:
    """What a reconvened IRD starts from: the same child and referral, linked to this one."""
    require(permissions.ird_policy.can_edit(actor, ird))
    return {
        "referral": ird.referral_id,
        "reconvened_from": ird.pk,
        "concerns": ird.concerns,
    }


# --- The action plan -----------------------------------------------------------------------


@transaction.atomic
def ird_action_create(
    *,
    actor: User,
    ird: Ird,
    description: str,
    agency: Agency,
    due_on: Any,
    assigned_to: User | None = None,
) -> IrdAction:
    """Add an action to an IRD's plan (the owning agency only). A named person must work for
    the agency the action is given to; they then see it in "My tasks"."""
    require(permissions.ird_policy.can_edit(actor, ird))
    if assigned_to is not None and assigned_to.agency_id != agency.pk:
        raise ValidationError({"assigned_to": ERROR_ASSIGNEE_AGENCY})
    action = IrdAction(
        ird=ird,
        description=description.strip(),
        agency=agency,
        assigned_to=assigned_to,
        due_on=due_on,
        created_by=actor,
    )
    save(action, actor=actor, exclude=["ird", "created_by"])
    access_event_record(
        actor=actor,
        action=AccessEvent.Action.CREATE,
        instance=action,
        detail={"ird": ird.pk, "agency": agency.code},
    )
    if assigned_to is not None and assigned_to.pk != actor.pk:
        from casework.tasks import ird_action_notify_task

        ird_action_notify_task.delay_on_commit(action.pk)
    return action


@transaction.atomic
def ird_action_complete(*, actor: User, action: IrdAction, note: str = "") -> IrdAction:
    """Mark an action done (by the person named, their agency, or the IRD's owner)."""
    locked = (
        IrdAction.objects.select_for_update(of=("self",)).select_related("ird").get(pk=action.pk)
    )
    if locked.completed_at is not None:
        raise ValidationError(ERROR_ALREADY_COMPLETED)
    require(permissions.ird_action_policy.can_complete(actor, locked))
    locked.completed_at = timezone.now()
    locked.completed_by = actor
    locked.completion_note = note.strip()
    locked.version += 1
    save(locked, actor=actor, exclude=["ird", "created_by", "assigned_to", "agency"])
    access_event_record(
        actor=actor, action=AccessEvent.Action.CHANGE, instance=locked, detail={"completed": True}
    )
    return locked


# --- The chronology for a case conference --------------------------------------------------


def conference_chronology_export(
    *,
    actor: User,
    young_person: YoungPerson,
    filters: ChronologyFilters,
    file_format: str,
    request: HttpRequest | None = None,
) -> ChronologyFile:
    """The child's chronology as the user may see it, filtered for a case conference, as a
    PDF or a CSV file; the export is put on record (who, which child, which filter, how many
    events) in the same transaction."""
    require(permissions.young_person_policy.can_view(actor, young_person))
    events = conference_chronology(user=actor, young_person=young_person, filters=filters)
    exported = chronology_file(
        young_person=young_person, events=events, filters=filters, file_format=file_format
    )
    with transaction.atomic():
        access_event_record(
            actor=actor,
            action=AccessEvent.Action.EXPORT,
            instance=young_person,
            request=request,
            detail={
                "export": "conference_chronology",
                "format": file_format,
                "events": len(events),
                **filters.as_detail(),
            },
        )
    return exported


# --- E-mail --------------------------------------------------------------------------------

NOTIFY_SUBJECT = "CSE Portal: an action from an IRD is assigned to you"


def absolute_url(path: str) -> str:
    """A link for an e-mail: the site's address (settings.CSE_SITE_URL) and the path."""
    return f"{settings.CSE_SITE_URL}{path}"


def ird_action_notify(*, action_id: int) -> int:
    """Tell the assignee of an open action that it is theirs: the due date and a link, never
    the action's words or the child (e-mail leaves the portal). Sent once; access re-checked
    (the assignee must still see it). Returns the number of e-mails sent."""
    action = (
        IrdAction.objects.select_related("assigned_to", "ird__owner_agency")
        .filter(pk=action_id, completed_at__isnull=True, assigned_to__isnull=False)
        .first()
    )
    if action is None or action.assigned_to is None or not action.assigned_to.email:
        return 0
    assignee = action.assigned_to
    if not permissions.ird_action_policy.visible_to(assignee).filter(pk=action.pk).exists():
        return 0
    with transaction.atomic():
        already = AccessEvent.objects.filter(
            action=AccessEvent.Action.NOTIFY, object_type="casework.irdaction", object_id=action.pk
        ).select_for_update()
        if already.exists():
            return 0
        link = absolute_url(reverse("casework:action_detail", args=[action.pk]))
        send_mail(
            NOTIFY_SUBJECT,
            f"{action.ird.owner_agency.name} assigned you an action from an Inter-agency "
            f"Referral Discussion, due {action.due_on:%d %B %Y}.\n\nOpen it (sign-in needed): "
            f"{link}\n",
            None,
            [assignee.email],
        )
        access_event_record(
            actor=None,
            action=AccessEvent.Action.NOTIFY,
            instance=action,
            detail={"to": assignee.pk},
        )
    return 1
