"""Who may see and change the MAOG records: one permission policy per record type (see
``partnership.policy`` for the idea; guardian's role is in docs/ARCHITECTURE.md). The only
place these rules live.

- Persons of concern follow agency ownership and sharing like young people: the owner
  agency, or an agency given a guardian grant of ``view_personofconcern`` to its group (with
  a ``PersonShare`` row saying on what lawful basis, until it is revoked).
- MAOG members see every person of concern, place, vehicle and online handle: the MAOG
  exists to pool them across agencies.
- Places (premises: hotels, cafes, schools, party flats) are seen by every caseworker, so
  an agency records "where found" against the same place instead of a duplicate; who is
  linked to a place is still filtered person by person.
- Vehicles and online handles are personal data: the owner agency, the MAOG, or an agency
  that can see a person of concern linked to them.
- Allegations: the owner agency, the MAOG, or an agency that can see one of the young
  people the allegation is about (the child's case agency must know).
- Networks (every link pooled across agencies: the networks list and the hotspot table):
  MAOG members only. The links on one record's page are those whose both ends the user may
  see (``maog.selectors.links.visible_links``).
- Intelligence: MAOG members only. Every other user gets an empty queryset, so no list,
  search, count, chronology or network built on these policies can reveal an entry.
- Only the owning agency edits a record; out of reach is 404, always.
"""

from typing import ClassVar, TypeVar

from django.db.models import Exists, Model, OuterRef, Q, QuerySet

from cases import permissions as case_permissions
from maog.models import (
    Allegation,
    Intelligence,
    Link,
    OnlineHandle,
    PersonOfConcern,
    PersonOfConcernGroupObjectPermission,
    Place,
    Vehicle,
)
from partnership.policy import (
    EDIT,
    VIEW,
    PermissionPolicy,
    PolicyUser,
    register,
)

M = TypeVar("M", bound=Model)

# Who does case work, and the young people they may see, are the cases app's rules; MAOG
# rules build on them (re-exported so MAOG code asks one module).
is_caseworker = case_permissions.is_caseworker
is_maog_member = case_permissions.is_maog_member
is_agency_manager = case_permissions.is_agency_manager
_young_person_policy = case_permissions.young_person_policy
young_person_queryset_for_user = _young_person_policy.visible_to
young_person_for_user_or_404 = _young_person_policy.get_for_user_or_404

PERSON_SHARE_PERMISSION = "view_personofconcern"
PERSON_SHARE_PERM = f"maog.{PERSON_SHARE_PERMISSION}"  # guardian's "app_label.codename"


class MaogRecordPolicy(PermissionPolicy[M]):
    """Owned MAOG records: caseworkers may read what ``visible_to`` gives them; only the
    owning agency edits. Subclasses state the list predicate."""

    detail_related: ClassVar[tuple[str, ...]] = ("owner_agency",)

    def user_has_permission(self, user: PolicyUser, action: str) -> bool:
        return action in (VIEW, EDIT) and is_caseworker(user)

    def instances_user_has_permission_for(self, user: PolicyUser, action: str) -> QuerySet[M]:
        if action == EDIT and is_caseworker(user):
            return self.visible_to(user).filter(owner_agency_id=user.agency_id)
        return super().instances_user_has_permission_for(user, action)

    def can_edit(self, user: PolicyUser, instance: M) -> bool:
        return is_caseworker(user) and getattr(instance, "owner_agency_id", None) == user.agency_id


class PersonPolicy(case_permissions.AgencyGrants, MaogRecordPolicy[PersonOfConcern]):
    """Seen by the owner agency, agencies it was shared with, and the MAOG; shared and
    revoked by the owner agency's managers."""

    model = PersonOfConcern
    share_permissions = ("maog.add_personshare", "maog.delete_personshare")
    grant_model = PersonOfConcernGroupObjectPermission
    grant_permission = PERSON_SHARE_PERMISSION

    def user_has_permission(self, user: PolicyUser, action: str) -> bool:
        if action in (VIEW, EDIT):
            return is_caseworker(user)
        return is_agency_manager(user)

    def visible_to(self, user: PolicyUser) -> QuerySet[PersonOfConcern]:
        if not is_caseworker(user):
            return PersonOfConcern.objects.none()
        if is_maog_member(user):
            return PersonOfConcern.objects.all()
        return PersonOfConcern.objects.filter(
            Q(owner_agency_id=user.agency_id) | self.shared_with(user, "pk")
        )

    def can_share(self, user: PolicyUser, instance: PersonOfConcern) -> bool:
        return is_agency_manager(user) and instance.owner_agency_id == user.agency_id


class PlacePolicy(MaogRecordPolicy[Place]):
    """Partnership-wide premises for every caseworker (see the module note)."""

    model = Place

    def visible_to(self, user: PolicyUser) -> QuerySet[Place]:
        if not is_caseworker(user):
            return Place.objects.none()
        return Place.objects.all()


class LinkedTargetPolicy(MaogRecordPolicy[M]):
    """Vehicles and online handles: the owner agency, the MAOG, or an agency that can see a
    person of concern linked to the record."""

    def __init__(self, model: type[M], link_field: str) -> None:
        self.model = model
        self.link_field = link_field

    def visible_to(self, user: PolicyUser) -> QuerySet[M]:
        rows = self.model._default_manager
        if not is_caseworker(user):
            return rows.none()
        if is_maog_member(user):
            return rows.all()
        linked = Exists(
            Link.objects.filter(
                **{self.link_field: OuterRef("pk")},
                person__in=person_policy.visible_to(user).values("pk"),
            )
        )
        return rows.filter(Q(owner_agency_id=user.agency_id) | linked)


class AllegationPolicy(MaogRecordPolicy[Allegation]):
    """The owner agency, the MAOG, or an agency that can see one of the young people the
    allegation is about."""

    model = Allegation

    def visible_to(self, user: PolicyUser) -> QuerySet[Allegation]:
        if not is_caseworker(user):
            return Allegation.objects.none()
        if is_maog_member(user):
            return Allegation.objects.all()
        about_visible_child = Exists(
            Allegation.young_people.through.objects.filter(
                allegation_id=OuterRef("pk"),
                youngperson_id__in=_young_person_policy.visible_to(user).values("pk"),
            )
        )
        return Allegation.objects.filter(Q(owner_agency_id=user.agency_id) | about_visible_child)


class IntelligencePolicy(MaogRecordPolicy[Intelligence]):
    """MAOG members only; everyone else gets nothing, not even a count."""

    model = Intelligence
    detail_related = ("owner_agency", "source_agency")

    def user_has_permission(self, user: PolicyUser, action: str) -> bool:
        return action in (VIEW, EDIT) and is_maog_member(user)

    def visible_to(self, user: PolicyUser) -> QuerySet[Intelligence]:
        if not is_maog_member(user):
            return Intelligence.objects.none()
        return Intelligence.objects.all()

    def can_edit(self, user: PolicyUser, instance: Intelligence) -> bool:
        return is_maog_member(user) and super().can_edit(user, instance)


class NetworkPolicy(PermissionPolicy[Link]):
    """Links pooled across every agency (the networks list, the hotspot table): MAOG only."""

    model = Link

    def user_has_permission(self, user: PolicyUser, action: str) -> bool:
        return action == VIEW and is_maog_member(user)

    def visible_to(self, user: PolicyUser) -> QuerySet[Link]:
        if not is_maog_member(user):
            return Link.objects.none()
        return Link.objects.all()


person_policy = PersonPolicy()
place_policy = PlacePolicy()
vehicle_policy = LinkedTargetPolicy(Vehicle, "vehicle_id")
handle_policy = LinkedTargetPolicy(OnlineHandle, "handle_id")
allegation_policy = AllegationPolicy()
intelligence_policy = IntelligencePolicy()
network_policy = NetworkPolicy()

for _label, _policy in (
    ("maog.personofconcern", person_policy),
    ("maog.place", place_policy),
    ("maog.vehicle", vehicle_policy),
    ("maog.onlinehandle", handle_policy),
    ("maog.allegation", allegation_policy),
    ("maog.intelligence", intelligence_policy),
    ("maog.link", network_policy),
):
    register(_label, _policy)


# --- The function-style names the MAOG views, selectors and services call ------------------


def person_queryset_for_user(user: PolicyUser) -> QuerySet[PersonOfConcern]:
    return person_policy.visible_to(user)


def place_queryset_for_user(user: PolicyUser) -> QuerySet[Place]:
    return place_policy.visible_to(user)


def vehicle_queryset_for_user(user: PolicyUser) -> QuerySet[Vehicle]:
    return vehicle_policy.visible_to(user)


def handle_queryset_for_user(user: PolicyUser) -> QuerySet[OnlineHandle]:
    return handle_policy.visible_to(user)


def allegation_queryset_for_user(user: PolicyUser) -> QuerySet[Allegation]:
    return allegation_policy.visible_to(user)


def intelligence_queryset_for_user(user: PolicyUser) -> QuerySet[Intelligence]:
    return intelligence_policy.visible_to(user)


def person_for_user_or_404(user: PolicyUser, pk: int) -> PersonOfConcern:
    return person_policy.get_for_user_or_404(user, pk)


def place_for_user_or_404(user: PolicyUser, pk: int) -> Place:
    return place_policy.get_for_user_or_404(user, pk)


def vehicle_for_user_or_404(user: PolicyUser, pk: int) -> Vehicle:
    return vehicle_policy.get_for_user_or_404(user, pk)


def handle_for_user_or_404(user: PolicyUser, pk: int) -> OnlineHandle:
    return handle_policy.get_for_user_or_404(user, pk)


def allegation_for_user_or_404(user: PolicyUser, pk: int) -> Allegation:
    return allegation_policy.get_for_user_or_404(user, pk)


def intelligence_for_user_or_404(user: PolicyUser, pk: int) -> Intelligence:
    return intelligence_policy.get_for_user_or_404(user, pk)


def can_edit_record(user: PolicyUser, record: Model) -> bool:
    """Whether the user may change a record, as its type's registered policy says (only the
    owning agency changes a MAOG record; a missing episode is the cases policy's)."""
    return case_permissions.policy_of(record).can_edit(user, record)


def can_share_person(user: PolicyUser, person: PersonOfConcern) -> bool:
    """Sharing a person of concern (and revoking it) is for managers of the owner agency."""
    return person_policy.can_share(user, person)


def can_see_networks(user: PolicyUser) -> bool:
    """The networks list and the hotspot table pool every agency's data: MAOG only."""
    return network_policy.user_has_permission(user, VIEW)
