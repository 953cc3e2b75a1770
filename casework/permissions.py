"""Who may see and change casework records: one permission policy per record type (see
``partnership.policy`` for the idea and guardian's role). The only place these rules live.

- An IRD is a record about a young person: seen with the child's case (owner agency, case
  agency, agencies the case was shared with, ``cases.permissions``), and also by the agencies
  that took part (a guardian grant of ``view_ird`` to the agency's group, given when the IRD
  records them as participants). Only the owning agency edits it and adds actions.
- An action of an IRD's plan is seen by whoever sees its IRD, by the person it is assigned
  to and by the agency it is given to. Decision (issue 17): a person who sees an action only
  because it was assigned to them (or their agency) sees the action itself (what, by when,
  which agency asked and who recorded it) and the IRD's date, never the child's name, the
  concerns, the other agencies' information or the people considered: the action's wording
  is written to be done on its own, and a wider view needs the case to be shared.
- The person an action is assigned to, anyone in the agency it was given to, and the owning
  agency of the IRD may complete it.
- Out of reach is 404, always.
"""

from typing import ClassVar

from django.db.models import Exists, OuterRef, Q, QuerySet

from cases import permissions as case_permissions
from casework.models import (
    AgencyCase,
    CaseDocument,
    CaseNote,
    Ird,
    IrdAction,
    IrdGroupObjectPermission,
    Meeting,
    SafetyPlan,
    TransferRequest,
)
from partnership.policy import (
    EDIT,
    VIEW,
    PermissionPolicy,
    PolicyUser,
    register,
)

is_caseworker = case_permissions.is_caseworker
is_agency_manager = case_permissions.is_agency_manager
young_person_policy = case_permissions.young_person_policy

IRD_GRANT_PERMISSION = "view_ird"
IRD_GRANT_PERM = f"casework.{IRD_GRANT_PERMISSION}"  # guardian's "app_label.codename"


class IrdPolicy(case_permissions.AgencyGrants, case_permissions.CaseRecordPolicy[Ird]):
    """Seen with the child's case and by the participating agencies (``shared_with``: the
    participation grants); edited by the owner."""

    detail_related: ClassVar[tuple[str, ...]] = (
        "young_person",
        "young_person__owner_agency",
        "owner_agency",
        "created_by",
    )

    grant_model = IrdGroupObjectPermission
    grant_permission = IRD_GRANT_PERMISSION

    def __init__(self) -> None:
        super().__init__(Ird)

    def visible_to(self, user: PolicyUser) -> QuerySet[Ird]:
        """IRDs about cases the user's agency may see, owned by it, or that it took part in."""
        if not is_caseworker(user):
            return Ird.objects.none()
        return Ird.objects.filter(
            Q(owner_agency_id=user.agency_id)
            | Q(case_agency_id=user.agency_id)
            | case_permissions.young_person_policy.shared_with(user, "young_person_id")
            | self.shared_with(user, "pk")
        )

    def visible_parts(self, user: PolicyUser) -> list[QuerySet[Ird]]:
        # Counts add the case parts and the participation part (without the case parts).
        parts = super().visible_parts(user)
        if not parts or not is_caseworker(user):
            return parts
        return [
            *parts,
            Ird.objects.filter(self.shared_with(user, "pk"))
            .exclude(owner_agency_id=user.agency_id)
            .exclude(case_agency_id=user.agency_id)
            .exclude(case_permissions.young_person_policy.shared_with(user, "young_person_id")),
        ]


class IrdActionPolicy(PermissionPolicy[IrdAction]):
    """Seen with its IRD, or by the person and agency it is assigned to (see module note)."""

    model = IrdAction
    detail_related: ClassVar[tuple[str, ...]] = (
        "ird",
        "ird__owner_agency",
        "agency",
        "assigned_to",
        "created_by",
        "completed_by",
    )

    def user_has_permission(self, user: PolicyUser, action: str) -> bool:
        return action in (VIEW, EDIT) and is_caseworker(user)

    def visible_to(self, user: PolicyUser) -> QuerySet[IrdAction]:
        if not is_caseworker(user):
            return IrdAction.objects.none()
        ird_visible = ird_policy.visible_to(user).filter(pk=OuterRef("ird_id"))
        return IrdAction.objects.filter(
            Q(assigned_to_id=getattr(user, "pk", None))
            | Q(agency_id=user.agency_id)
            | Exists(ird_visible)
        )

    def assigned_to_user(self, user: PolicyUser) -> QuerySet[IrdAction]:
        """Actions that are the user's to do: theirs, or their agency's with nobody named."""
        if not is_caseworker(user):
            return IrdAction.objects.none()
        return IrdAction.objects.filter(
            Q(assigned_to_id=getattr(user, "pk", None))
            | Q(agency_id=user.agency_id, assigned_to__isnull=True)
        )

    def assigned_to_team(self, user: PolicyUser) -> QuerySet[IrdAction]:
        """An agency manager's team: every action given to the agency or to one of its people."""
        if not is_agency_manager(user):
            return self.assigned_to_user(user)
        return IrdAction.objects.filter(
            Q(agency_id=user.agency_id) | Q(assigned_to__agency_id=user.agency_id)
        )

    def can_edit(self, user: PolicyUser, instance: IrdAction) -> bool:
        """The agency that owns the IRD changes its plan."""
        return is_caseworker(user) and instance.ird.owner_agency_id == user.agency_id

    def can_complete(self, user: PolicyUser, instance: IrdAction) -> bool:
        """The person named, the agency it was given to, or the IRD's owner completes it."""
        if not is_caseworker(user) or instance.completed_at is not None:
            return False
        return (
            instance.assigned_to_id == getattr(user, "pk", None)
            or instance.agency_id == user.agency_id
            or instance.ird.owner_agency_id == user.agency_id
        )

    def can_see_ird(self, user: PolicyUser, instance: IrdAction) -> bool:
        """Whether the action's page may show (and link) its IRD and child."""
        return ird_policy.visible_to(user).filter(pk=instance.ird_id).exists()


class AgencyCasePolicy(PermissionPolicy[AgencyCase]):
    """An agency's case (worker, team, open or closed) is seen by whoever sees the child;
    only the agency itself allocates, closes and reopens its own case."""

    model = AgencyCase
    detail_related: ClassVar[tuple[str, ...]] = ("young_person", "agency", "allocated_worker")

    def user_has_permission(self, user: PolicyUser, action: str) -> bool:
        return action in (VIEW, EDIT) and is_caseworker(user)

    def visible_to(self, user: PolicyUser) -> QuerySet[AgencyCase]:
        if not is_caseworker(user):
            return AgencyCase.objects.none()
        children = young_person_policy.visible_to(user).filter(pk=OuterRef("young_person_id"))
        return AgencyCase.objects.filter(Exists(children))

    def can_edit(self, user: PolicyUser, instance: AgencyCase) -> bool:
        return is_caseworker(user) and instance.agency_id == user.agency_id


class TransferRequestPolicy(PermissionPolicy[TransferRequest]):
    """A transfer request is seen by the two agencies it concerns (the receiving agency must
    see what it is asked to take on, before the case is its own). The receiving agency's
    managers accept or decline it; the requesting agency's managers make and withdraw it."""

    model = TransferRequest
    detail_related: ClassVar[tuple[str, ...]] = (
        "young_person",
        "from_agency",
        "to_agency",
        "requested_by",
        "decided_by",
    )

    def user_has_permission(self, user: PolicyUser, action: str) -> bool:
        return action == VIEW and is_caseworker(user)

    def visible_to(self, user: PolicyUser) -> QuerySet[TransferRequest]:
        if not is_caseworker(user):
            return TransferRequest.objects.none()
        return TransferRequest.objects.filter(
            Q(from_agency_id=user.agency_id) | Q(to_agency_id=user.agency_id)
        )

    def can_decide(self, user: PolicyUser, instance: TransferRequest) -> bool:
        return (
            is_agency_manager(user)
            and instance.to_agency_id == user.agency_id
            and instance.status == TransferRequest.Status.PENDING
        )


ird_policy = IrdPolicy()
ird_action_policy = IrdActionPolicy()
# Case notes and meetings are records about the child like any other: seen with the case,
# edited by the agency that wrote them, never shared on their own.
case_note_policy = case_permissions.CaseRecordPolicy(CaseNote)
meeting_policy = case_permissions.CaseRecordPolicy(Meeting)
# A safety plan too: seen with the case, reviewed only by the agency that wrote it.
safety_plan_policy = case_permissions.CaseRecordPolicy(SafetyPlan)


class CaseDocumentPolicy(case_permissions.CaseRecordPolicy[CaseDocument]):
    """A document is seen (and downloaded) with the case, like any record about the child.
    Its file is what was uploaded and is never changed: a new version is a new document."""

    editable = False
    detail_related: ClassVar[tuple[str, ...]] = ("young_person", "owner_agency", "created_by")

    def __init__(self) -> None:
        super().__init__(CaseDocument)


case_document_policy = CaseDocumentPolicy()

agency_case_policy = AgencyCasePolicy()
transfer_request_policy = TransferRequestPolicy()

register("casework.ird", ird_policy)
register("casework.agencycase", agency_case_policy)
register("casework.transferrequest", transfer_request_policy)
register("casework.irdaction", ird_action_policy)
register("casework.casenote", case_note_policy)
register("casework.meeting", meeting_policy)
register("casework.safetyplan", safety_plan_policy)
register("casework.casedocument", case_document_policy)
