"""Links visible to a user: both ends in reach, a young person out of the agency's
reach kept anonymised; and the links of a person, vehicle or handle page."""

from typing import Any

from django.db.models import (
    Exists,
    OuterRef,
    Q,
    QuerySet,
)

from accounts.models import User
from maog import permissions
from maog.models import (
    Link,
    PersonOfConcern,
)

# --- Links visible to a user ---------------------------------------------------------------


def visible_links(user: User) -> QuerySet[Link]:
    """Links both of whose ends the user may see, in one query (ends filtered by subquery).

    MAOG members see every person, place, vehicle and handle; a young person whose case
    their agency cannot see stays in their links but anonymised (``young_person_visible``).
    """
    if not permissions.is_caseworker(user):
        return Link.objects.none()
    # Correlated on the link's young person (a primary-key probe per link), not "IN (every
    # young person the agency may see)": that hashes the agency's whole caseload and made a
    # 200-node network take a second at 600,000 young people (bench/results/scale3.md).
    young_person_visible = Exists(
        permissions.young_person_queryset_for_user(user).filter(pk=OuterRef("young_person_id"))
    )
    queryset = Link.objects.annotate(young_person_visible=young_person_visible)
    if permissions.is_maog_member(user):
        return queryset
    persons = permissions.person_queryset_for_user(user).values("pk")
    vehicles = permissions.vehicle_queryset_for_user(user).values("pk")
    handles = permissions.handle_queryset_for_user(user).values("pk")
    return queryset.filter(
        Q(person__isnull=True) | Q(person__in=persons),
        Q(other_person__isnull=True) | Q(other_person__in=persons),
        Q(young_person__isnull=True) | Q(young_person_visible=True),
        Q(vehicle__isnull=True) | Q(vehicle__in=vehicles),
        Q(handle__isnull=True) | Q(handle__in=handles),
    )


LINK_RELATED = (
    "owner_agency",
    "person",
    "other_person",
    "young_person__owner_agency",
    "place",
    "vehicle",
    "handle",
)


def person_links(*, user: User, person: PersonOfConcern) -> list[Link]:
    """Every visible link from or to a person of concern (one query)."""
    return list(
        visible_links(user)
        .filter(Q(person=person) | Q(other_person=person))
        .select_related(*LINK_RELATED)
        .order_by("-start_date", "-id")
    )


def target_links(*, user: User, field_name: str, target: Any) -> list[Link]:
    """Visible links to a vehicle or handle."""
    return list(
        visible_links(user)
        .filter(**{field_name: target})
        .select_related(*LINK_RELATED)
        .order_by("-id")
    )
