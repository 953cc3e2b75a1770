"""Writes for the case's life (issue 17): each agency's case of a young person (allocated
worker and team; opened, closed with a reason, reopened) and the transfer of ownership between
agencies, requested by the owning agency and accepted or declined by the receiving one. Same
rules as services.py: access re-checked, validated, history author set, audited, one
transaction."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audit.models import AccessEvent
from audit.services import access_event_record
from cases.models import YoungPerson
from cases.services import case_transfer
from cases.services.common import require, save
from casework import permissions
from casework.models import AgencyCase, TransferRequest
from partnership.models import Agency

ERROR_WORKER_AGENCY = "The allocated worker must work for this agency."
ERROR_CLOSED = "The case is closed: reopen it first."
ERROR_NOT_CLOSED = "The case is open."
ERROR_REASON = "Give the reason for closing."
ERROR_SAME_AGENCY = "Choose another agency."
ERROR_PENDING = "A transfer of this case is already waiting for a decision."
ERROR_DECIDED = "This request has already been decided."


def _audit(actor: User, case: AgencyCase | TransferRequest, action: str, **detail: object) -> None:
    access_event_record(
        actor=actor,
        action=AccessEvent.Action.CHANGE,
        instance=case,
        detail={"young_person": case.young_person_id, "event": action, **detail},
    )


@transaction.atomic
def agency_case_open(*, actor: User, young_person: YoungPerson) -> AgencyCase:
    """The actor's agency opens its case of a child it can see (or returns the one it has)."""
    require(permissions.young_person_policy.can_add_record(actor, young_person))
    case, created = AgencyCase.objects.get_or_create(
        young_person=young_person,
        agency=actor.agency,
        defaults={"allocated_worker": actor},
    )
    if created:
        save(case, actor=actor)  # gives history its author
        _audit(actor, case, "opened")
    return case


@transaction.atomic
def agency_case_allocate(
    *, actor: User, case: AgencyCase, allocated_worker: User | None, team: str
) -> AgencyCase:
    require(permissions.agency_case_policy.can_edit(actor, case))
    if case.status == AgencyCase.Status.CLOSED:
        raise ValidationError({"allocated_worker": ERROR_CLOSED})
    if allocated_worker is not None and allocated_worker.agency_id != case.agency_id:
        raise ValidationError({"allocated_worker": ERROR_WORKER_AGENCY})
    case.allocated_worker = allocated_worker
    case.team = team
    save(case, actor=actor)
    _audit(actor, case, "allocated", worker=getattr(allocated_worker, "pk", None), team=team)
    return case


@transaction.atomic
def agency_case_close(*, actor: User, case: AgencyCase, reason: str, note: str = "") -> AgencyCase:
    require(permissions.agency_case_policy.can_edit(actor, case))
    if case.status == AgencyCase.Status.CLOSED:
        raise ValidationError({"closure_reason": ERROR_CLOSED})
    if not reason:
        raise ValidationError({"closure_reason": ERROR_REASON})
    case.status = AgencyCase.Status.CLOSED
    case.closed_at = timezone.now()
    case.closure_reason = reason
    case.closure_note = note
    save(case, actor=actor)
    _audit(actor, case, "closed", reason=reason)
    return case


@transaction.atomic
def agency_case_reopen(*, actor: User, case: AgencyCase) -> AgencyCase:
    """Reopening keeps the earlier closure in the history, not on the row."""
    require(permissions.agency_case_policy.can_edit(actor, case))
    if case.status != AgencyCase.Status.CLOSED:
        raise ValidationError({"status": ERROR_NOT_CLOSED})
    case.status = AgencyCase.Status.OPEN
    case.opened_at = timezone.now()
    case.closed_at = None
    case.closure_reason = ""
    case.closure_note = ""
    save(case, actor=actor)
    _audit(actor, case, "reopened")
    return case


# --- Transfer of ownership ---------------------------------------------------------------


@transaction.atomic
def transfer_request(
    *, actor: User, young_person: YoungPerson, to_agency: Agency, reason: str
) -> TransferRequest:
    """The owning agency's manager asks another agency to take the case on."""
    require(permissions.young_person_policy.can_share(actor, young_person))
    if to_agency.pk == young_person.owner_agency_id:
        raise ValidationError({"to_agency": ERROR_SAME_AGENCY})
    if TransferRequest.objects.filter(
        young_person=young_person, status=TransferRequest.Status.PENDING
    ).exists():
        raise ValidationError({"to_agency": ERROR_PENDING})
    request = TransferRequest(
        young_person=young_person,
        from_agency_id=young_person.owner_agency_id,
        to_agency=to_agency,
        reason=reason,
        requested_by=actor,
    )
    save(request, actor=actor)
    _audit(actor, request, "transfer_requested", to=to_agency.code)
    return request


@transaction.atomic
def transfer_decide(
    *, actor: User, request: TransferRequest, accept: bool, note: str = ""
) -> TransferRequest:
    """The receiving agency's manager accepts (the case moves) or declines (nothing moves)."""
    require(permissions.transfer_request_policy.can_decide(actor, request))
    request = TransferRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != TransferRequest.Status.PENDING:
        raise ValidationError({"decision_note": ERROR_DECIDED})
    young_person = YoungPerson.objects.select_for_update().get(pk=request.young_person_id)
    if accept and young_person.owner_agency_id != request.from_agency_id:
        # The case moved another way since the request: it cannot be accepted any more.
        raise ValidationError({"decision_note": ERROR_DECIDED})
    request.status = TransferRequest.Status.ACCEPTED if accept else TransferRequest.Status.DECLINED
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.decision_note = note
    save(request, actor=actor)
    _audit(actor, request, request.status)
    if accept:
        # The existing service is the requesting manager's act (it checks they may still
        # hand the case on); the acceptance above is the receiving manager's, audited apart.
        case_transfer(
            actor=request.requested_by, young_person=young_person, agency=request.to_agency
        )
        agency_case_open(actor=actor, young_person=young_person)
    return request
