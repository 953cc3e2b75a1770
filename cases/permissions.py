"""Who may see and change case records. The only place these rules live.

- Case work (young people and records about them) is for practitioners, agency managers and
  MAOG members. The VAP chair, committee clerks and administrators see no case record.
- A user sees a young person when their agency owns the case or the case was shared with
  their agency (a guardian grant of ``view_youngperson`` to the agency's group).
- A user sees a record about a young person when their agency owns the record, owns the
  case, or the case was shared with their agency.
- Lists use a row predicate (own agency OR EXISTS grant), never ``get_objects_for_user``:
  it does not scale (see bench/).
- Out of reach is 404, always: the ``*_for_user_or_404`` helpers answer the same for
  "does not exist" and "not yours".
"""

from typing import TypeVar

from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.http import Http404

from cases.models import YoungPerson, YoungPersonGroupObjectPermission
from partnership.roles import Role

CASEWORK_ROLES = (Role.PRACTITIONER, Role.AGENCY_MANAGER, Role.MAOG_MEMBER)
SHARE_PERMISSION = "view_youngperson"

M = TypeVar("M", bound=Model)


def is_caseworker(user: object) -> bool:
    """Only agency staff doing case work see case records, and only with an agency."""
    return (
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.agency_id is not None
        and any(user.has_role(role) for role in CASEWORK_ROLES)
    )


def is_maog_member(user: object) -> bool:
    return is_caseworker(user) and user.has_role(Role.MAOG_MEMBER)


def is_agency_manager(user: object) -> bool:
    return is_caseworker(user) and user.has_role(Role.AGENCY_MANAGER)


def _share_grant_exists(user: object, young_person_ref: str) -> Exists:
    """EXISTS(a grant of the case to the user's agency group), correlated to the outer row."""
    return Exists(
        YoungPersonGroupObjectPermission.objects.filter(
            content_object_id=OuterRef(young_person_ref),
            group_id=user.agency.group_id,
            permission__codename=SHARE_PERMISSION,
        )
    )


def young_person_queryset_for_user(user: object) -> QuerySet[YoungPerson]:
    """Young people whose case the user's agency owns or was given."""
    if not is_caseworker(user):
        return YoungPerson.objects.none()
    return YoungPerson.objects.filter(
        Q(owner_agency_id=user.agency_id) | _share_grant_exists(user, "pk")
    )


def case_record_queryset_for_user(user: object, model: type[M]) -> QuerySet[M]:
    """Records about young people (referrals, episodes, ...) the user's agency may see."""
    if not is_caseworker(user):
        return model.objects.none()
    return model.objects.filter(
        Q(owner_agency_id=user.agency_id)
        | Q(case_agency_id=user.agency_id)
        | _share_grant_exists(user, "young_person_id")
    )


def young_person_for_user_or_404(user: object, pk: int) -> YoungPerson:
    try:
        return young_person_queryset_for_user(user).get(pk=pk)
    except YoungPerson.DoesNotExist:
        raise Http404 from None


def case_record_for_user_or_404(user: object, model: type[M], pk: int) -> M:
    try:
        return case_record_queryset_for_user(user, model).select_related("young_person").get(pk=pk)
    except model.DoesNotExist:
        raise Http404 from None


def can_edit_record(user: object, record: Model) -> bool:
    """Only the owning agency changes a record."""
    return is_caseworker(user) and record.owner_agency_id == user.agency_id


def can_add_to_case(user: object, young_person: YoungPerson) -> bool:
    """An agency that can see a case may add its own records to it (owned by that agency)."""
    return young_person_queryset_for_user(user).filter(pk=young_person.pk).exists()


def can_share_case(user: object, young_person: YoungPerson) -> bool:
    """Sharing and revoking are for managers of the agency that owns the case."""
    return is_agency_manager(user) and young_person.owner_agency_id == user.agency_id


def can_see_access_log(user: object, young_person: YoungPerson) -> bool:
    """The owning agency's managers see who looked at a record."""
    return can_share_case(user, young_person)
