"""Who may see and change case records: one permission policy per record type (see
``partnership.policy`` for the idea; guardian's role is in docs/ARCHITECTURE.md). The only
place these rules live.

- Case work (young people and records about them) is for practitioners, agency managers and
  MAOG members. The VAP chair, committee clerks and administrators see no case record.
- A user sees a young person when their agency owns the case or the case was shared with
  their agency (a guardian grant of ``view_youngperson`` to the agency's group).
- A user sees a record about a young person when their agency owns the record, owns the
  case, or the case was shared with their agency. Only the owning agency edits a record.
- Sharing and revoking a case are for managers of the agency that owns it; records about the
  child travel with the case and are never shared one by one.
- Lists use a row predicate (own agency OR EXISTS grant), never ``get_objects_for_user``:
  it does not scale (see bench/).
- Out of reach is 404, always: ``get_for_user_or_404`` answers the same for "does not exist"
  and "not yours".
"""

from typing import Any, ClassVar, TypeVar

from django.db.models import Exists, F, Model, Q, QuerySet
from typing_extensions import TypeIs

from cases.models import (
    CseMarker,
    Feedback,
    MissingEpisode,
    Referral,
    RiskAssessment,
    Support,
    YoungPerson,
    YoungPersonGroupObjectPermission,
)
from partnership.policy import (
    EDIT,
    VIEW,
    Member,
    PermissionPolicy,
    PolicyUser,
    grant_exists,
    has_any_role,
    policy_for,
    register,
)
from partnership.roles import Role

CASEWORK_ROLES = (Role.PRACTITIONER, Role.AGENCY_MANAGER, Role.MAOG_MEMBER)
SHARE_PERMISSION = "view_youngperson"

M = TypeVar("M", bound=Model)


def is_caseworker(user: PolicyUser) -> TypeIs[Member]:
    """Only agency staff doing case work see case records, and only with an agency."""
    return has_any_role(user, CASEWORK_ROLES) and user.agency_id is not None


def is_maog_member(user: PolicyUser) -> TypeIs[Member]:
    return is_caseworker(user) and user.has_role(Role.MAOG_MEMBER)


def is_agency_manager(user: PolicyUser) -> TypeIs[Member]:
    return is_caseworker(user) and user.has_role(Role.AGENCY_MANAGER)


class AgencyGrants:
    """Mixin of a policy whose records are opened to other agencies by a guardian grant to
    the agency's group (a young person's case, a person of concern, an IRD's participants):
    ``grant_model`` is the direct foreign-key grant table, ``grant_permission`` the codename."""

    grant_model: ClassVar[type[Model]]
    grant_permission: ClassVar[str]

    def shared_with(self, user: PolicyUser, ref: str) -> Exists:
        """EXISTS(a grant of the record at ``ref`` to the user's agency group), correlated
        to the outer row."""
        # The agency's group holds the grants; read through the agency so one join serves all.
        agency = getattr(user, "agency", None)
        return grant_exists(
            self.grant_model,
            ref=ref,
            group_id=agency.group_id if agency is not None else None,
            codename=self.grant_permission,
        )


class YoungPersonPolicy(AgencyGrants, PermissionPolicy[YoungPerson]):
    """A young person's case: seen by the owning agency and agencies it was shared with;
    edited by the owner; shared, revoked and transferred by the owner's managers."""

    model = YoungPerson
    share_permissions = ("cases.add_caseshare", "cases.delete_caseshare")
    grant_model = YoungPersonGroupObjectPermission
    grant_permission = SHARE_PERMISSION

    def user_has_permission(self, user: PolicyUser, action: str) -> bool:
        if action in (VIEW, EDIT):
            return is_caseworker(user)
        return is_agency_manager(user)

    def visible_to(self, user: PolicyUser) -> QuerySet[YoungPerson]:
        """Young people whose case the user's agency owns or was given."""
        if not is_caseworker(user):
            return YoungPerson.objects.none()
        return YoungPerson.objects.filter(
            Q(owner_agency_id=user.agency_id) | self.shared_with(user, "pk")
        )

    def visible_parts(self, user: PolicyUser) -> list[QuerySet[YoungPerson]]:
        """``visible_to`` as disjoint parts (own cases; cases shared with the agency), each one
        index range, so a count can add them up instead of scanning with OR."""
        if not is_caseworker(user):
            return []
        return [
            YoungPerson.objects.filter(owner_agency_id=user.agency_id),
            YoungPerson.objects.filter(self.shared_with(user, "pk")).exclude(
                owner_agency_id=user.agency_id
            ),
        ]

    def can_edit(self, user: PolicyUser, instance: YoungPerson) -> bool:
        """Only the owning agency changes the case."""
        return is_caseworker(user) and instance.owner_agency_id == user.agency_id

    def can_share(self, user: PolicyUser, instance: YoungPerson) -> bool:
        """Sharing, revoking and transfer are for managers of the agency that owns the case."""
        return is_agency_manager(user) and instance.owner_agency_id == user.agency_id

    def can_add_record(self, user: PolicyUser, instance: YoungPerson) -> bool:
        """An agency that can see a case may add its own records to it (owned by that agency)."""
        return self.visible_to(user).filter(pk=instance.pk).exists()

    def can_see_access_log(self, user: PolicyUser, instance: YoungPerson) -> bool:
        """The owning agency's managers see who looked at a record."""
        return self.can_share(user, instance)


class CaseRecordPolicy(PermissionPolicy[M]):
    """A record about one young person (referral, marker, episode, ...): seen with the case,
    edited by the agency that owns the record, never shared on its own."""

    detail_related: ClassVar[tuple[str, ...]] = ("young_person",)
    editable: ClassVar[bool] = True

    def __init__(self, model: type[M]) -> None:
        self.model = model

    def user_has_permission(self, user: PolicyUser, action: str) -> bool:
        if action == VIEW:
            return is_caseworker(user)
        if action == EDIT:
            return self.editable and is_caseworker(user)
        return False

    def model_permissions(self, user: PolicyUser) -> set[str]:
        """Adding goes with reading (an agency adds its own records to any case it can see,
        ``YoungPersonPolicy.can_add_record``); changing goes with EDIT."""
        found = super().model_permissions(user)
        if self.user_has_permission(user, VIEW):
            opts = self.model._meta
            found.add(f"{opts.app_label}.add_{opts.model_name}")
        return found

    def visible_to(self, user: PolicyUser) -> QuerySet[M]:
        """Records the user's agency owns, about its cases, or about cases shared with it."""
        if not is_caseworker(user):
            return self.model._default_manager.none()
        return self.model._default_manager.filter(
            Q(owner_agency_id=user.agency_id)
            | Q(case_agency_id=user.agency_id)
            | young_person_policy.shared_with(user, "young_person_id")
        )

    def visible_parts(self, user: PolicyUser) -> list[QuerySet[M]]:
        """``visible_to`` as disjoint parts: own records, other agencies' records about the
        agency's cases, and records about cases shared with it."""
        if not is_caseworker(user):
            return []
        agency = user.agency_id
        rows = self.model._default_manager
        return [
            rows.filter(owner_agency_id=agency),
            rows.filter(case_agency_id=agency).exclude(owner_agency_id=F("case_agency_id")),
            rows.filter(young_person_policy.shared_with(user, "young_person_id"))
            .exclude(owner_agency_id=agency)
            .exclude(case_agency_id=agency),
        ]

    def instances_user_has_permission_for(self, user: PolicyUser, action: str) -> QuerySet[M]:
        if action == EDIT and self.editable and is_caseworker(user):
            return self.model._default_manager.filter(owner_agency_id=user.agency_id)
        return super().instances_user_has_permission_for(user, action)

    def can_edit(self, user: PolicyUser, instance: M) -> bool:
        """Only the owning agency changes a record."""
        return (
            self.editable
            and is_caseworker(user)
            and getattr(instance, "owner_agency_id", None) == user.agency_id
        )


class RiskAssessmentPolicy(CaseRecordPolicy[RiskAssessment]):
    """An assessment is a dated score: it is never edited, a new one is made instead."""

    editable = False


young_person_policy = YoungPersonPolicy()
referral_policy = CaseRecordPolicy(Referral)
marker_policy = CaseRecordPolicy(CseMarker)
risk_assessment_policy = RiskAssessmentPolicy(RiskAssessment)
missing_episode_policy = CaseRecordPolicy(MissingEpisode)  # with its return discussion
support_policy = CaseRecordPolicy(Support)
feedback_policy = CaseRecordPolicy(Feedback)

CASE_RECORD_POLICIES: dict[type[Model], CaseRecordPolicy[Any]] = {
    policy.model: policy
    for policy in (
        referral_policy,
        marker_policy,
        risk_assessment_policy,
        missing_episode_policy,
        support_policy,
        feedback_policy,
    )
}

register("cases.youngperson", young_person_policy)
for _policy in CASE_RECORD_POLICIES.values():
    register(_policy.model._meta.label_lower, _policy)


def case_record_policy(model: type[M]) -> CaseRecordPolicy[M]:
    """The policy of one record type about a young person."""
    return CASE_RECORD_POLICIES[model]


def policy_of(record: Model) -> PermissionPolicy[Model]:
    """The registered policy of a record's type, for code handed "a record"."""
    policy = policy_for(record._meta.label_lower)
    if policy is None:
        raise LookupError(f"No permission policy is registered for {record._meta.label}")
    return policy
