"""Case lists and their index-friendly counts, each built on a permission policy's list
predicate (cases.permissions)."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import connection
from django.db.models import (
    Exists,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.utils import timezone

from accounts.models import User
from cases import permissions
from cases.models import (
    CseMarker,
    MissingEpisode,
    Referral,
    RiskAssessment,
    YoungPerson,
)
from cases.selectors.compiled import (
    CompiledRows,
    ListRow,
    choice_label,
    compiled_list,
    count,
    count_statement,
)
from partnership.models import Agency

M = TypeVar("M", bound=Model)

# --- Lists ---------------------------------------------------------------------------------

REFERRAL_SORTS = {
    "received": ("received_on", "id"),
    "-received": ("-received_on", "-id"),
    "name": ("young_person__last_name", "young_person__first_name", "id"),
    "-name": ("-young_person__last_name", "-young_person__first_name", "-id"),
    "risk": ("initial_risk_level", "-received_on", "-id"),
}
YOUNG_PERSON_SORTS = {
    "name": ("last_name", "first_name", "id"),
    "-name": ("-last_name", "-first_name", "-id"),
    "dob": ("date_of_birth", "id"),
    "-dob": ("-date_of_birth", "-id"),
}
MISSING_SORTS = {
    "-missing": ("-missing_from", "-id"),
    "missing": ("missing_from", "id"),
    "name": ("young_person__last_name", "young_person__first_name", "id"),
}


def filtered_by(queryset: QuerySet[M], filters: Mapping[str, Any], **lookups: str) -> QuerySet[M]:
    """The rows that match each filter given a value, e.g. ``agency="owner_agency_id"``
    keeps ``owner_agency_id=filters["agency"]`` when the agency filter is set."""
    for name, lookup in lookups.items():
        if filters.get(name):
            queryset = queryset.filter(**{lookup: filters[name]})
    return queryset


def _date_range(
    queryset: QuerySet[Any], field_name: str, filters: Mapping[str, Any]
) -> QuerySet[Any]:
    return filtered_by(
        queryset, filters, date_from=f"{field_name}__gte", date_to=f"{field_name}__lte"
    )


def _name_search(queryset: QuerySet[Any], prefix: str, filters: Mapping[str, Any]) -> QuerySet[Any]:
    text = (filters.get("q") or "").strip().lower()
    if text:
        queryset = queryset.filter(**{f"{prefix}search_name__contains": text})
    return queryset


def active_marker_exists() -> Exists:
    today = timezone.localdate()
    return Exists(
        CseMarker.objects.filter(young_person_id=OuterRef("pk"), start_date__lte=today).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=today)
        )
    )


def young_person_list(
    *, user: User, filters: Mapping[str, Any] | None = None
) -> QuerySet[YoungPerson]:
    """Young people the user's agency may see, filtered, with marker and latest risk level."""
    filters = filters or {}
    queryset = _young_person_filtered(
        permissions.young_person_policy.visible_to(user).select_related("owner_agency"), filters
    )
    return queryset.order_by(
        *YOUNG_PERSON_SORTS.get(filters.get("sort") or "", YOUNG_PERSON_SORTS["name"])
    )


def _young_person_filtered(
    queryset: QuerySet[YoungPerson], filters: Mapping[str, Any]
) -> QuerySet[YoungPerson]:
    latest_assessment = RiskAssessment.objects.filter(young_person_id=OuterRef("pk")).order_by(
        "-assessed_on", "-id"
    )
    queryset = queryset.annotate(
        has_marker=active_marker_exists(),
        latest_risk=Subquery(latest_assessment.values("level")[:1]),
    )
    queryset = _name_search(queryset, "", filters)
    if filters.get("agency"):
        queryset = queryset.filter(owner_agency_id=filters["agency"])
    if filters.get("marker") == "yes":
        queryset = queryset.filter(has_marker=True)  # type: ignore[misc]  # annotated above
    elif filters.get("marker") == "no":
        queryset = queryset.filter(has_marker=False)  # type: ignore[misc]  # annotated above
    if filters.get("risk"):
        queryset = queryset.filter(latest_risk=filters["risk"])  # type: ignore[misc]
    return queryset


def referral_list(*, user: User, filters: Mapping[str, Any] | None = None) -> QuerySet[Referral]:
    filters = filters or {}
    queryset = _referral_filtered(
        permissions.case_record_policy(Referral)
        .visible_to(user)
        .select_related("young_person", "owner_agency", "referring_agency"),
        filters,
    )
    return queryset.order_by(
        *REFERRAL_SORTS.get(filters.get("sort") or "", REFERRAL_SORTS["-received"])
    )


def _referral_filtered(queryset: QuerySet[Referral], filters: Mapping[str, Any]) -> QuerySet[Any]:
    queryset = _name_search(queryset, "young_person__", filters)
    queryset = _date_range(queryset, "received_on", filters)
    queryset = filtered_by(
        queryset, filters, risk="initial_risk_level", outcome="outcome", agency="owner_agency_id"
    )
    if filters.get("marker") == "yes":
        queryset = queryset.filter(
            Exists(CseMarker.objects.filter(young_person_id=OuterRef("young_person_id")))
        )
    return queryset


def missing_episode_list(
    *, user: User, filters: Mapping[str, Any] | None = None
) -> QuerySet[MissingEpisode]:
    filters = filters or {}
    queryset = _missing_filtered(
        permissions.case_record_policy(MissingEpisode)
        .visible_to(user)
        .select_related("young_person", "owner_agency"),
        filters,
    )
    return queryset.order_by(
        *MISSING_SORTS.get(filters.get("sort") or "", MISSING_SORTS["-missing"])
    )


def _missing_filtered(
    queryset: QuerySet[MissingEpisode], filters: Mapping[str, Any]
) -> QuerySet[MissingEpisode]:
    queryset = _name_search(queryset, "young_person__", filters)
    queryset = _date_range(queryset, "missing_from__date", filters)
    return filtered_by(
        queryset,
        filters,
        category="category",
        return_discussion="return_discussion",
        agency="owner_agency_id",
    )


# --- List counts ---------------------------------------------------------------------------
# The predicate "own OR case OR shared" cannot use one index, so counting it reads every row
# of the table (100 ms at 300,000 referrals, see bench/). The same rows split into disjoint
# parts, each one index range, are counted in one statement: 4-5x faster at scale.
# tests/bench/test_split_count.py proves each count equals the permission queryset's.


def _count_parts(parts: list[QuerySet[Any]], cap: int | None = None) -> int:
    """Sum of the counts of disjoint querysets, in one statement. With `cap`, each part stops
    counting after cap + 1 rows: a result above `cap` means "more than cap"."""
    sql, params = count_statement(parts, cap, connection.alias)
    if not sql:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.fetchone()[0])


def _case_record_count(user: User, model: type[Model], narrow: Any, cap: int | None = None) -> int:
    """What the record policy's list predicate counts, part by part."""
    parts = permissions.case_record_policy(model).visible_parts(user)
    return _count_parts([narrow(part) for part in parts], cap) if parts else 0


def referral_list_count(
    *, user: User, filters: Mapping[str, Any] | None = None, cap: int | None = None
) -> int:
    """The number of rows referral_list returns, counted index-friendly."""
    return _case_record_count(user, Referral, lambda qs: _referral_filtered(qs, filters or {}), cap)


def missing_episode_list_count(
    *, user: User, filters: Mapping[str, Any] | None = None, cap: int | None = None
) -> int:
    return _case_record_count(
        user, MissingEpisode, lambda qs: _missing_filtered(qs, filters or {}), cap
    )


def young_person_list_count(
    *, user: User, filters: Mapping[str, Any] | None = None, cap: int | None = None
) -> int:
    """What the young person policy's list predicate counts: own cases and shared ones."""
    parts = permissions.young_person_policy.visible_parts(user)
    filters = filters or {}
    return (
        _count_parts([_young_person_filtered(part, filters) for part in parts], cap) if parts else 0
    )


def agency_choices() -> QuerySet[Agency]:
    return Agency.objects.filter(is_active=True).order_by("name")


# --- List pages ----------------------------------------------------------------------------
# What a list page shows: its rows' shown values (not model instances) and the capped count,
# read through statements compiled once per user and filters (cases/selectors/compiled.py).
# Each starts from the same policy querysets as the selectors above.


def _with_names(row: ListRow) -> ListRow:
    row["young_person_name"] = f"{row['young_person__first_name']} {row['young_person__last_name']}"
    return row


def _referral_row(row: ListRow) -> ListRow:
    risk = row["initial_risk_level"]
    row["initial_risk_label"] = choice_label(Referral, "initial_risk_level", risk)
    row["outcome_label"] = choice_label(Referral, "outcome", row["outcome"])
    return _with_names(row)


def _young_person_row(row: ListRow) -> ListRow:
    # The latest assessment's level is a stored code: shown by its label, or "Not assessed".
    risk = row["latest_risk"]
    row["latest_risk_label"] = (
        choice_label(RiskAssessment, "level", risk) if risk else "Not assessed"
    )
    return row


def _missing_row(row: ListRow) -> ListRow:
    row["category_label"] = choice_label(MissingEpisode, "category", row["category"])
    row["return_discussion_label"] = choice_label(
        MissingEpisode, "return_discussion", row["return_discussion"]
    )
    return _with_names(row)


@dataclass(frozen=True)
class _ListPage:
    """A list page's shape: its selector and filters (the same as the list's), its count
    parts' policy, the columns it shows and how a row gets its labels."""

    name: str
    model: type[Model]
    policy: Callable[[], Any]
    listing: Callable[..., QuerySet[Any]]
    narrow: Callable[[QuerySet[Any], Mapping[str, Any]], QuerySet[Any]]
    shown: tuple[str, ...]
    shape: Callable[[ListRow], ListRow] = lambda row: row

    def __call__(
        self, *, user: User, filters: Mapping[str, Any], cap: int | None
    ) -> tuple[CompiledRows, int]:
        """The rows (as shown) and the count capped at `cap`: what the list's selector and
        its count return, read through statements compiled once (compiled_list)."""
        statement = compiled_list(
            name=self.name,
            user=user,
            model=self.model,
            filters=dict(filters),
            cap=cap,
            rows=lambda: self.listing(user=user, filters=filters).values(*self.shown),
            parts=lambda: [
                self.narrow(part, filters) for part in self.policy().visible_parts(user)
            ],
        )
        return CompiledRows(statement, self.shape), count(statement)


referral_list_page = _ListPage(
    "referrals",
    Referral,
    lambda: permissions.case_record_policy(Referral),
    referral_list,
    _referral_filtered,
    (
        "pk",
        "received_on",
        "initial_risk_level",
        "outcome",
        "young_person__first_name",
        "young_person__last_name",
        "referring_agency__short_name",
        "owner_agency__short_name",
    ),
    _referral_row,
)
young_person_list_page = _ListPage(
    "young_people",
    YoungPerson,
    lambda: permissions.young_person_policy,
    young_person_list,
    _young_person_filtered,
    (
        "pk",
        "last_name",
        "first_name",
        "date_of_birth",
        "has_marker",
        "latest_risk",
        "owner_agency__short_name",
    ),
    _young_person_row,
)
missing_episode_list_page = _ListPage(
    "missing",
    MissingEpisode,
    lambda: permissions.case_record_policy(MissingEpisode),
    missing_episode_list,
    _missing_filtered,
    (
        "pk",
        "missing_from",
        "located_at",
        "category",
        "return_discussion",
        "young_person__first_name",
        "young_person__last_name",
        "owner_agency__short_name",
    ),
    _missing_row,
)
