"""Sharing, revoking and transferring a case: guardian grants behind the young person policy."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from accounts.models import User
from audit.models import AccessEvent
from audit.services import access_event_record
from cases import permissions
from cases.models import CASE_RECORDS, CaseShare, YoungPerson
from cases.services.common import (
    ERROR_ALREADY_SHARED,
    ERROR_REASON_REQUIRED,
    ERROR_SHARE_OWN_AGENCY,
    raise_errors,
    require,
    save,
)
from partnership.models import Agency

# --- Sharing -------------------------------------------------------------------------------


@transaction.atomic
def case_share(
    *, actor: User, young_person: YoungPerson, agency: Agency, lawful_basis: str, reason: str
) -> CaseShare:
    """Share a young person's case with another agency: a guardian grant to its group, plus
    the record of why (lawful basis and reason)."""
    require(permissions.young_person_policy.can_share(actor, young_person))
    share: CaseShare = grant_share(
        CASE_SHARING,
        actor=actor,
        record=young_person,
        agency=agency,
        lawful_basis=lawful_basis,
        reason=reason,
    )
    return share


@transaction.atomic
def case_share_revoke(*, actor: User, share: CaseShare, reason: str = "") -> CaseShare:
    """End a share: the grant goes, the record of it stays (with who revoked it and why)."""
    require(permissions.young_person_policy.can_share(actor, share.young_person))
    ended: CaseShare = end_share(CASE_SHARING, actor=actor, share=share, reason=reason)
    return ended


@dataclass(frozen=True)
class Sharing:
    """How one type of record is shared with another agency: the model of its shares and the
    share's field naming the record, the guardian permission granted to the agency's group,
    and the words of the errors. ``bases``, when given, are the lawful bases one may choose."""

    model: type[Model]
    record_field: str
    permission: str
    own_agency_error: str
    already_shared_error: str
    reason_error: str
    bases: frozenset[str] | None = None
    basis_error: str = ""


CASE_SHARING = Sharing(
    model=CaseShare,
    record_field="young_person",
    permission=f"cases.{permissions.SHARE_PERMISSION}",
    own_agency_error=ERROR_SHARE_OWN_AGENCY,
    already_shared_error=ERROR_ALREADY_SHARED,
    reason_error=ERROR_REASON_REQUIRED,
)


def grant_share(
    sharing: Sharing, *, actor: User, record: Any, agency: Agency, lawful_basis: str, reason: str
) -> Any:
    """Share a record (the caller has checked the actor may): the record of why, the grant,
    the act on the access log. Not with its own agency, nor twice at once."""
    errors: dict[str, str] = {}
    if agency.pk == record.owner_agency_id:
        errors["agency"] = sharing.own_agency_error
    elif sharing.model._default_manager.filter(
        **{sharing.record_field: record}, agency=agency, revoked_at__isnull=True
    ).exists():
        errors["agency"] = sharing.already_shared_error
    if sharing.bases is not None and lawful_basis not in sharing.bases:
        errors["lawful_basis"] = sharing.basis_error
    if not reason.strip():
        errors["reason"] = sharing.reason_error
    raise_errors(errors)
    share = sharing.model(
        **{sharing.record_field: record},
        agency=agency,
        lawful_basis=lawful_basis,
        reason=reason.strip(),
        shared_by=actor,
    )
    save(share, actor=actor)
    assign_perm(sharing.permission, agency.group, record)
    access_event_record(
        actor=actor,
        action=AccessEvent.Action.SHARE,
        instance=record,
        detail={"agency": agency.code, "lawful_basis": lawful_basis, "share": share.pk},
    )
    return share


def end_share(sharing: Sharing, *, actor: User, share: Any, reason: str) -> Any:
    """End a share (the caller has checked the actor may): the grant goes, the record of it
    stays, with who revoked it and why. Revoking twice changes nothing."""
    if share.revoked_at is not None:
        return share
    record = getattr(share, sharing.record_field)
    share.revoked_at = timezone.now()
    share.revoked_by = actor
    share.revoke_reason = reason.strip()
    save(share, actor=actor)
    remove_perm(sharing.permission, share.agency.group, record)
    access_event_record(
        actor=actor,
        action=AccessEvent.Action.REVOKE,
        instance=record,
        detail={"agency": share.agency.code, "share": share.pk},
    )
    return share


@transaction.atomic
def case_transfer(*, actor: User, young_person: YoungPerson, agency: Agency) -> YoungPerson:
    """Hand a case to another agency: the young person and the case agency of every record
    about them move; records keep their own owners."""
    require(permissions.young_person_policy.can_share(actor, young_person))
    young_person.owner_agency = agency
    young_person.version += 1
    save(young_person, actor=actor)
    for model in CASE_RECORDS:
        for record in model._default_manager.filter(young_person=young_person).exclude(
            case_agency=agency
        ):
            record.case_agency = agency
            save(record, actor=actor)
    access_event_record(
        actor=actor,
        action=AccessEvent.Action.OTHER,
        instance=young_person,
        detail={"transfer_to": agency.code},
    )
    return young_person
