"""Sharing, revoking and transferring a case: guardian grants behind the young person policy."""

from __future__ import annotations

from django.db import transaction
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
    errors: dict[str, str] = {}
    if agency.pk == young_person.owner_agency_id:
        errors["agency"] = ERROR_SHARE_OWN_AGENCY
    elif CaseShare.objects.filter(
        young_person=young_person, agency=agency, revoked_at__isnull=True
    ).exists():
        errors["agency"] = ERROR_ALREADY_SHARED
    if not reason.strip():
        errors["reason"] = ERROR_REASON_REQUIRED
    raise_errors(errors)
    share = CaseShare(
        young_person=young_person,
        agency=agency,
        lawful_basis=lawful_basis,
        reason=reason.strip(),
        shared_by=actor,
    )
    save(share, actor=actor)
    assign_perm(f"cases.{permissions.SHARE_PERMISSION}", agency.group, young_person)
    access_event_record(
        actor=actor,
        action=AccessEvent.Action.SHARE,
        instance=young_person,
        detail={"agency": agency.code, "lawful_basis": lawful_basis, "share": share.pk},
    )
    return share


@transaction.atomic
def case_share_revoke(*, actor: User, share: CaseShare, reason: str = "") -> CaseShare:
    """End a share: the grant goes, the record of it stays (with who revoked it and why)."""
    young_person = share.young_person
    require(permissions.young_person_policy.can_share(actor, young_person))
    if share.revoked_at is not None:
        return share
    share.revoked_at = timezone.now()
    share.revoked_by = actor
    share.revoke_reason = reason.strip()
    save(share, actor=actor)
    remove_perm(f"cases.{permissions.SHARE_PERMISSION}", share.agency.group, young_person)
    access_event_record(
        actor=actor,
        action=AccessEvent.Action.REVOKE,
        instance=young_person,
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
