"""Lists of the MAOG records and search before create, each starting from the
record's policy in maog.permissions."""

import datetime as dt
import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Case,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)

from accounts.models import User
from cases.models import MissingEpisode
from cases.permissions import case_record_policy
from cases.selectors import filtered_by
from maog import permissions
from maog.models import (
    Allegation,
    Intelligence,
    OnlineHandle,
    PersonOfConcern,
    Place,
    Vehicle,
)
from maog.selectors.links import LINK_RELATED, visible_links

# --- Lists ---------------------------------------------------------------------------------


def person_list(
    *, user: User, filters: Mapping[str, Any] | None = None
) -> QuerySet[PersonOfConcern]:
    """Persons of concern the user may see, searchable by name or alias."""
    filters = filters or {}
    queryset = permissions.person_queryset_for_user(user).select_related("owner_agency")
    text = (filters.get("q") or "").strip().lower()
    if text:
        queryset = queryset.filter(search_name__contains=text)
    return filtered_by(queryset, filters, agency="owner_agency_id").order_by(
        "name", "aliases", "id"
    )


def place_list(*, user: User, filters: Mapping[str, Any] | None = None) -> QuerySet[Place]:
    filters = filters or {}
    queryset = permissions.place_queryset_for_user(user).select_related("owner_agency")
    text = (filters.get("q") or "").strip()
    if text:
        queryset = queryset.filter(Q(name__icontains=text) | Q(address__icontains=text))
    return filtered_by(queryset, filters, place_type="place_type").order_by("name", "id")


def _linked_to_person_named(user: User, filters: Mapping[str, Any], target: str) -> Exists:
    """EXISTS(a link the user may see from the row to a person whose name or alias holds
    the text): a person out of the user's reach never narrows (or reveals) anything."""
    text = (filters.get("person") or "").strip().lower()
    return Exists(
        visible_links(user).filter(**{target: OuterRef("pk")}, person__search_name__contains=text)
    )


def vehicle_list(*, user: User, filters: Mapping[str, Any] | None = None) -> QuerySet[Vehicle]:
    """Vehicles the user may see, by registration (spaces ignored), recording agency or the
    name of a linked person of concern."""
    filters = filters or {}
    queryset = permissions.vehicle_queryset_for_user(user).select_related("owner_agency")
    registration = (filters.get("q") or "").replace(" ", "").upper()
    if registration:
        queryset = queryset.filter(registration__contains=registration)
    queryset = filtered_by(queryset, filters, agency="owner_agency_id")
    if (filters.get("person") or "").strip():
        queryset = queryset.filter(_linked_to_person_named(user, filters, "vehicle_id"))
    return queryset.order_by("registration", "id")


def handle_list(*, user: User, filters: Mapping[str, Any] | None = None) -> QuerySet[OnlineHandle]:
    """Online handles the user may see, by handle text, platform, recording agency or the
    name of a linked person of concern."""
    filters = filters or {}
    queryset = permissions.handle_queryset_for_user(user).select_related("owner_agency")
    text = (filters.get("q") or "").strip()
    if text:
        queryset = queryset.filter(handle__icontains=text)
    queryset = filtered_by(queryset, filters, platform="platform__iexact", agency="owner_agency_id")
    if (filters.get("person") or "").strip():
        queryset = queryset.filter(_linked_to_person_named(user, filters, "handle_id"))
    return queryset.order_by("platform", "handle", "id")


def handle_platforms(*, user: User) -> list[str]:
    """The platforms among the handles the user may see, for the filter's choices."""
    return list(
        permissions.handle_queryset_for_user(user)
        .order_by("platform")
        .values_list("platform", flat=True)
        .distinct()
    )


PATHWAY_STAGES = (
    ("alleged", "Alleged"),
    ("police", "Reported to police"),
    ("investigated", "Investigated"),
    ("copfs", "Reported to COPFS"),
    ("outcome", "Prosecution outcome"),
)


def _pathway_stage() -> Case:
    return Case(
        When(~Q(prosecution_outcome=Allegation.ProsecutionOutcome.PENDING), then=Value("outcome")),
        When(reported_to_copfs_on__isnull=False, then=Value("copfs")),
        When(investigated=True, then=Value("investigated")),
        When(reported_to_police_on__isnull=False, then=Value("police")),
        default=Value("alleged"),
    )


def allegation_list(
    *, user: User, filters: Mapping[str, Any] | None = None
) -> QuerySet[Allegation]:
    """Allegations the user may see, with their stage on the justice pathway."""
    filters = filters or {}
    queryset = (
        permissions.allegation_queryset_for_user(user)
        .select_related("owner_agency")
        .annotate(stage=_pathway_stage())
    )
    if filters.get("mappa") == "yes":
        queryset = queryset.filter(mappa_managed=True)
    queryset = filtered_by(
        queryset,
        filters,
        stage="stage",
        date_from="alleged_on__gte",
        date_to="alleged_on__lte",
    )
    return queryset.order_by("-alleged_on", "-id")


def intelligence_list(
    *, user: User, filters: Mapping[str, Any] | None = None
) -> QuerySet[Intelligence]:
    """Intelligence entries: MAOG members only (an empty list for anyone else)."""
    filters = filters or {}
    queryset = permissions.intelligence_queryset_for_user(user).select_related(
        "owner_agency", "source_agency"
    )
    queryset = filtered_by(
        queryset,
        filters,
        category="category",
        q="narrative__icontains",
        date_from="received_on__gte",
        date_to="received_on__lte",
    )
    return queryset.order_by("-received_on", "-id")


# --- Records shown on a person's or place's page ---------------------------------------


def person_allegations(*, user: User, person: PersonOfConcern) -> QuerySet[Allegation]:
    return allegation_list(user=user).filter(persons=person)


def place_records(*, user: User, place: Place) -> dict[str, Any]:
    """A place's page: linked young people and persons, episodes found there, and (MAOG
    only) intelligence, each restricted to what the user may see."""
    links = list(
        visible_links(user).filter(place=place).select_related(*LINK_RELATED).order_by("-id")
    )
    return {
        "person_links": [link for link in links if link.person_id],
        "young_person_links": [link for link in links if not link.person_id],
        "episodes": case_record_policy(MissingEpisode)
        .visible_to(user)
        .filter(found_at__place=place)
        .select_related("young_person", "owner_agency")
        .order_by("-missing_from"),
        "intelligence": intelligence_list(user=user).filter(places=place),
    }


# --- Search before create ------------------------------------------------------------------


@dataclass(frozen=True)
class PersonCandidate:
    """A possible duplicate held by an agency the user cannot see into: agency only."""

    agency_name: str
    similarity: float


def person_search(*, user: User, text: str) -> QuerySet[PersonOfConcern]:
    return person_list(user=user, filters={"q": text})


def person_duplicates(
    *, user: User, text: str, date_of_birth: dt.date | None
) -> list[PersonCandidate]:
    """Likely duplicates held elsewhere: the same date of birth and a similar name or alias.

    Only a name and a date of birth together get an answer: a date alone, or a name alone
    followed by a sweep of dates, would narrow a date of birth down (issue 13). Only the
    holding agency is named; candidates share the date (bounded to 200 rows), so the Python
    spelling comparison stays cheap.
    """
    wanted = text.strip().lower()
    if not (wanted and date_of_birth):
        return []
    visible = permissions.person_queryset_for_user(user).values("pk")
    candidates = []
    rows = (
        PersonOfConcern.objects.filter(date_of_birth=date_of_birth)
        .exclude(pk__in=visible)
        .select_related("owner_agency")[:200]
    )
    for person in rows:
        score = difflib.SequenceMatcher(None, wanted, person.search_name).ratio()
        if score >= 0.6 or wanted in person.search_name:
            candidates.append(PersonCandidate(person.owner_agency.name, max(score, 0.6)))
    return sorted(candidates, key=lambda c: -c.similarity)
