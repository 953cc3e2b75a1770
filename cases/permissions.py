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

from django.db.models import Exists, F, Model, OuterRef, Q, QuerySet
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


def young_person_parts_for_user(user: object) -> list[QuerySet[YoungPerson]]:
    """young_person_queryset_for_user as disjoint parts (own cases; cases shared with the
    agency), each one index range, so a count can add them up instead of scanning with OR."""
    if not is_caseworker(user):
        return []
    return [
        YoungPerson.objects.filter(owner_agency_id=user.agency_id),
        YoungPerson.objects.filter(_share_grant_exists(user, "pk")).exclude(
            owner_agency_id=user.agency_id
        ),
    ]


def case_record_parts_for_user(user: object, model: type[M]) -> list[QuerySet[M]]:
    """case_record_queryset_for_user as disjoint parts: own records, other agencies' records
    about the agency's cases, and records about cases shared with it."""
    if not is_caseworker(user):
        return []
    agency = user.agency_id
    return [
        model.objects.filter(owner_agency_id=agency),
        model.objects.filter(case_agency_id=agency).exclude(owner_agency_id=F("case_agency_id")),
        model.objects.filter(_share_grant_exists(user, "young_person_id"))
        .exclude(owner_agency_id=agency)
        .exclude(case_agency_id=agency),
    ]


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


# --- MAOG sub-domain: persons of concern, places, vehicles, handles, allegations, intelligence --
#
# - Persons of concern follow agency ownership and sharing like young people: the owner
#   agency, or an agency given a guardian grant of ``view_personofconcern`` to its group.
# - MAOG members see every person of concern, place, vehicle and online handle: the MAOG
#   exists to pool them across agencies.
# - Places (premises: hotels, cafes, schools, party flats) are seen by every caseworker, so
#   an agency records "where found" against the same place instead of a duplicate; who is
#   linked to a place is still filtered person by person.
# - Vehicles and online handles are personal data: the owner agency, the MAOG, or an agency
#   that can see a person of concern linked to them.
# - Allegations: the owner agency, the MAOG, or an agency that can see one of the young
#   people the allegation is about (the child's case agency must know).
# - Intelligence: MAOG members only. Every other user gets an empty queryset, so no list,
#   search, count, chronology or network built on these functions can reveal an entry.

PERSON_SHARE_PERMISSION = "view_personofconcern"


def _person_grant_exists(user: object, person_ref: str) -> Exists:
    from cases.models import PersonOfConcernGroupObjectPermission

    return Exists(
        PersonOfConcernGroupObjectPermission.objects.filter(
            content_object_id=OuterRef(person_ref),
            group_id=user.agency.group_id,
            permission__codename=PERSON_SHARE_PERMISSION,
        )
    )


def person_queryset_for_user(user: object) -> QuerySet:
    """Persons of concern the user's agency owns or was given; every one for the MAOG."""
    from cases.models import PersonOfConcern

    if not is_caseworker(user):
        return PersonOfConcern.objects.none()
    if is_maog_member(user):
        return PersonOfConcern.objects.all()
    return PersonOfConcern.objects.filter(
        Q(owner_agency_id=user.agency_id) | _person_grant_exists(user, "pk")
    )


def place_queryset_for_user(user: object) -> QuerySet:
    """Places are partnership-wide premises for every caseworker (see the module note)."""
    from cases.models import Place

    if not is_caseworker(user):
        return Place.objects.none()
    return Place.objects.all()


def _linked_to_visible_person(user: object, target_field: str) -> Exists:
    from cases.models import Link

    return Exists(
        Link.objects.filter(
            **{target_field: OuterRef("pk")},
            person__in=person_queryset_for_user(user).values("pk"),
        )
    )


def vehicle_queryset_for_user(user: object) -> QuerySet:
    """Vehicles the agency recorded, linked to a person it can see, or all for the MAOG."""
    from cases.models import Vehicle

    if not is_caseworker(user):
        return Vehicle.objects.none()
    if is_maog_member(user):
        return Vehicle.objects.all()
    return Vehicle.objects.filter(
        Q(owner_agency_id=user.agency_id) | _linked_to_visible_person(user, "vehicle_id")
    )


def handle_queryset_for_user(user: object) -> QuerySet:
    """Online handles: same rule as vehicles."""
    from cases.models import OnlineHandle

    if not is_caseworker(user):
        return OnlineHandle.objects.none()
    if is_maog_member(user):
        return OnlineHandle.objects.all()
    return OnlineHandle.objects.filter(
        Q(owner_agency_id=user.agency_id) | _linked_to_visible_person(user, "handle_id")
    )


def allegation_queryset_for_user(user: object) -> QuerySet:
    """Allegations the agency owns, about a young person it can see, or all for the MAOG."""
    from cases.models import Allegation

    if not is_caseworker(user):
        return Allegation.objects.none()
    if is_maog_member(user):
        return Allegation.objects.all()
    about_visible_child = Exists(
        Allegation.young_people.through.objects.filter(
            allegation_id=OuterRef("pk"),
            youngperson_id__in=young_person_queryset_for_user(user).values("pk"),
        )
    )
    return Allegation.objects.filter(Q(owner_agency_id=user.agency_id) | about_visible_child)


def intelligence_queryset_for_user(user: object) -> QuerySet:
    """Intelligence is for MAOG members only; everyone else gets nothing, not even a count."""
    from cases.models import Intelligence

    if not is_maog_member(user):
        return Intelligence.objects.none()
    return Intelligence.objects.all()


def _get_or_404(queryset: QuerySet, pk: int) -> Model:
    try:
        return queryset.get(pk=pk)
    except queryset.model.DoesNotExist:
        raise Http404 from None


def person_for_user_or_404(user: object, pk: int) -> Model:
    return _get_or_404(person_queryset_for_user(user).select_related("owner_agency"), pk)


def place_for_user_or_404(user: object, pk: int) -> Model:
    return _get_or_404(place_queryset_for_user(user).select_related("owner_agency"), pk)


def vehicle_for_user_or_404(user: object, pk: int) -> Model:
    return _get_or_404(vehicle_queryset_for_user(user).select_related("owner_agency"), pk)


def handle_for_user_or_404(user: object, pk: int) -> Model:
    return _get_or_404(handle_queryset_for_user(user).select_related("owner_agency"), pk)


def allegation_for_user_or_404(user: object, pk: int) -> Model:
    return _get_or_404(allegation_queryset_for_user(user).select_related("owner_agency"), pk)


def intelligence_for_user_or_404(user: object, pk: int) -> Model:
    return _get_or_404(
        intelligence_queryset_for_user(user).select_related("owner_agency", "source_agency"), pk
    )


def can_share_person(user: object, person: Model) -> bool:
    """Sharing a person of concern is for managers of the agency that owns the record."""
    return is_agency_manager(user) and person.owner_agency_id == user.agency_id


def can_see_networks(user: object) -> bool:
    """The networks list and the hotspot table pool every agency's data: MAOG only."""
    return is_maog_member(user)
