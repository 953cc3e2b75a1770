"""Sharing, revoking and transferring a case: guardian grants behind the young person policy."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

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
from partnership.policy import PermissionPolicy

# --- Sharing -------------------------------------------------------------------------------

S = TypeVar("S", bound=Model)


@dataclass(frozen=True)
class Sharing(Generic[S]):
    """How one type of record is shared with another agency, and the one service that shares
    it and takes a share back: the model of its shares and the share's field naming the
    record, the policy that says who may share it, the guardian permission granted to the
    agency's group, and the words of the errors. ``bases``, when given, are the lawful bases
    one may choose."""

    model: type[S]
    record_field: str
    policy: PermissionPolicy[Any]
    permission: str
    own_agency_error: str
    already_shared_error: str
    reason_error: str
    bases: frozenset[str] | None = None
    basis_error: str = ""

    @transaction.atomic
    def grant(
        self, *, actor: User, record: Any, agency: Agency, lawful_basis: str, reason: str
    ) -> S:
        """Share a record: a guardian grant to the agency's group, the record of why (lawful
        basis and reason), the act on the access log. Not with its own agency, nor twice at
        once."""
        require(self.policy.can_share(actor, record))
        errors: dict[str, str] = {}
        if agency.pk == record.owner_agency_id:
            errors["agency"] = self.own_agency_error
        elif self.model._default_manager.filter(
            **{self.record_field: record}, agency=agency, revoked_at__isnull=True
        ).exists():
            errors["agency"] = self.already_shared_error
        if self.bases is not None and lawful_basis not in self.bases:
            errors["lawful_basis"] = self.basis_error
        if not reason.strip():
            errors["reason"] = self.reason_error
        raise_errors(errors)
        share = self.model(
            **{self.record_field: record},
            agency=agency,
            lawful_basis=lawful_basis,
            reason=reason.strip(),
            shared_by=actor,
        )
        save(share, actor=actor)
        assign_perm(self.permission, agency.group, record)
        access_event_record(
            actor=actor,
            action=AccessEvent.Action.SHARE,
            instance=record,
            detail={"agency": agency.code, "lawful_basis": lawful_basis, "share": share.pk},
        )
        return share

    @transaction.atomic
    def revoke(self, *, actor: User, share: S, reason: str = "") -> S:
        """End a share: the grant goes, the record of it stays, with who revoked it and why.
        Revoking twice changes nothing."""
        record = getattr(share, self.record_field)
        require(self.policy.can_share(actor, record))
        ended: Any = share  # each share model has the same fields for its end
        if ended.revoked_at is not None:
            return share
        ended.revoked_at = timezone.now()
        ended.revoked_by = actor
        ended.revoke_reason = reason.strip()
        save(ended, actor=actor)
        remove_perm(self.permission, ended.agency.group, record)
        access_event_record(
            actor=actor,
            action=AccessEvent.Action.REVOKE,
            instance=record,
            detail={"agency": ended.agency.code, "share": ended.pk},
        )
        return share


CASE_SHARING: Sharing[CaseShare] = Sharing(
    model=CaseShare,
    record_field="young_person",
    policy=permissions.young_person_policy,
    permission=f"cases.{permissions.SHARE_PERMISSION}",
    own_agency_error=ERROR_SHARE_OWN_AGENCY,
    already_shared_error=ERROR_ALREADY_SHARED,
    reason_error=ERROR_REASON_REQUIRED,
)


def case_share(
    *, actor: User, young_person: YoungPerson, agency: Agency, lawful_basis: str, reason: str
) -> CaseShare:
    """Share a young person's case with another agency (its managers only): a guardian grant
    to its group, plus the record of why (lawful basis and reason)."""
    return CASE_SHARING.grant(
        actor=actor, record=young_person, agency=agency, lawful_basis=lawful_basis, reason=reason
    )


# End a share of a case: the grant goes, the record of it stays (with who revoked it and why).
case_share_revoke = CASE_SHARING.revoke


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
