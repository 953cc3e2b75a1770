"""Reads for single pages: search before create, the young person's record, needs attention,
the home page's counts and readable history. Every read starts from a permission policy."""

import datetime as dt
import difflib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import (
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import User
from cases import permissions
from cases.models import (
    CaseShare,
    MissingEpisode,
    Referral,
    RiskAssessment,
    YoungPerson,
)
from cases.selectors.lists import active_marker_exists, referral_list_count, young_person_list
from partnership.policy import EDIT, policy_for

# --- Search before create ------------------------------------------------------------------


@dataclass(frozen=True)
class DuplicateCandidate:
    """A likely duplicate. `young_person` is set only when the user may see the record;
    otherwise only the holding agency is named, never the child's details."""

    agency_name: str
    similarity: float
    young_person: YoungPerson | None


# "Jon"/"John" (0.86) and "Mackenzie"/"McKenzie" (0.94) match; "A"/"Ava" (0.5) does not.
FIRST_NAME_SIMILARITY = 0.75
LAST_NAME_SIMILARITY = 0.8


FIRST, LAST = FIRST_NAME_SIMILARITY, LAST_NAME_SIMILARITY


def _similar_enough(a: str, b: str, threshold: float) -> float | None:
    """How alike two names are (difflib's ratio) when it reaches ``threshold``, else None.
    The quick ratios are upper bounds of the ratio, so most names are ruled out without
    computing it (an import compares every row with everyone born the same day)."""
    matcher = difflib.SequenceMatcher(None, a, b)
    if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
        return None
    score = matcher.ratio()
    return score if score >= threshold else None


def young_person_duplicates(
    *, user: User, first_name: str, last_name: str, date_of_birth: dt.date | None
) -> list[DuplicateCandidate]:
    """Likely duplicates across all agencies: same date of birth and a similar full name.

    Only first name, last name and date of birth together get an answer: a surname alone
    against a sweep of dates would find a child's date of birth (issue 13). Candidates are
    the (few) records sharing the date of birth, so comparing spellings in Python stays
    bounded. Records outside the user's reach are reported by agency only.
    """
    key = (first_name, last_name, date_of_birth)
    return young_people_duplicates(user=user, people=[key])[key]


PersonKey = tuple[str, str, dt.date | None]
MAX_CANDIDATES_PER_DATE = 200


def young_people_duplicates(
    *, user: User, people: Iterable[PersonKey], names_only: bool = False
) -> dict[PersonKey, list[DuplicateCandidate]]:
    """``young_person_duplicates`` for many (first name, last name, date of birth) at once,
    in two queries whatever their number (an import checks a chunk of rows together).

    ``names_only``: each candidate's young person holds only its id, names and date of birth
    (an import needs no more, and reading whole rows for everyone born on those days is
    most of an import's time)."""
    people = list(people)
    found: dict[PersonKey, list[DuplicateCandidate]] = {key: [] for key in people}
    asked = [key for key in people if key[0].strip() and key[1].strip() and key[2]]
    if not asked or not permissions.is_caseworker(user):
        return found
    dates = {date_of_birth for _first, _last, date_of_birth in asked}
    visible_ids = set(
        permissions.young_person_policy.visible_to(user)
        .filter(date_of_birth__in=dates)
        .values_list("pk", flat=True)
    )
    held = YoungPerson.objects.filter(date_of_birth__in=dates).order_by(
        "date_of_birth",
        "last_name",
        "first_name",
        "id",  # the model's ordering
    )
    # (id, first name, last name, date of birth, agency name, the row when read whole)
    Held = tuple[int, str, str, dt.date, str, YoungPerson | None]
    rows: Iterable[Held]
    if names_only:
        rows = (
            (*values, None)
            for values in held.values_list(
                "pk", "first_name", "last_name", "date_of_birth", "owner_agency__name"
            )
        )
    else:
        rows = (
            (y.pk, y.first_name, y.last_name, y.date_of_birth, y.owner_agency.name, y)
            for y in held.select_related("owner_agency")
        )
    by_date: dict[dt.date, list[Held]] = defaultdict(list)
    for row in rows:
        same_day = by_date[row[3]]
        if len(same_day) < MAX_CANDIDATES_PER_DATE:
            same_day.append(row)
    for key in asked:
        first_name, last_name = key[0].strip().lower(), key[1].strip().lower()
        candidates = []
        for pk, first, last, born, agency_name, whole in by_date.get(key[2], []):  # type: ignore[arg-type]
            # First and last name each, never the surname alone or with an initial: those
            # were partial answers that let a sweep of dates find the child.
            first_score = _similar_enough(first_name, first.lower(), FIRST)
            last_score = _similar_enough(last_name, last.lower(), LAST)
            if first_score is None or last_score is None:
                continue
            young_person = None
            if pk in visible_ids:
                young_person = whole or YoungPerson(
                    pk=pk, first_name=first, last_name=last, date_of_birth=born
                )
            candidates.append(
                DuplicateCandidate(
                    agency_name=agency_name,
                    similarity=min(first_score, last_score),
                    young_person=young_person,
                )
            )
        found[key] = sorted(candidates, key=lambda c: -c.similarity)
    return found


def young_person_search(*, user: User, text: str, date_of_birth: dt.date | None) -> QuerySet[Any]:
    queryset = young_person_list(user=user, filters={"q": text} if text else {})
    if date_of_birth:
        queryset = queryset.filter(date_of_birth=date_of_birth)
    return queryset


# --- Young person's record -----------------------------------------------------------------


# Each kind of record about a young person, by the name their page and their chronology give
# it (in the chronology's order), with the policy that says who sees it.
CASE_RECORD_KINDS: dict[str, permissions.CaseRecordPolicy[Any]] = {
    "markers": permissions.marker_policy,
    "referrals": permissions.referral_policy,
    "assessments": permissions.risk_assessment_policy,
    "episodes": permissions.missing_episode_policy,
    "support": permissions.support_policy,
    "feedback": permissions.feedback_policy,
}


def case_records_about(*, user: User, young_person: YoungPerson) -> dict[str, QuerySet[Any]]:
    """Each kind of record about the young person that the user may see, by the kind's name:
    what their page and their chronology read."""
    return {
        kind: policy.visible_to(user).filter(young_person=young_person)
        for kind, policy in CASE_RECORD_KINDS.items()
    }


# The agencies a kind's rows name on the page besides their owner.
_OTHER_AGENCIES = {
    "referrals": ("referring_agency",),
    "episodes": ("rd_agency",),
    "support": ("provider_agency",),
}


def young_person_records(*, user: User, young_person: YoungPerson) -> dict[str, Any]:
    """Everything on a young person's page, each list restricted to what the user may see."""
    records: dict[str, Any] = {
        kind: rows.select_related("owner_agency", *_OTHER_AGENCIES.get(kind, ()))
        for kind, rows in case_records_about(user=user, young_person=young_person).items()
    }
    records["shares"] = CaseShare.objects.filter(young_person=young_person).select_related(
        "agency", "shared_by", "revoked_by"
    )
    return records


def return_discussion_clock(episode: MissingEpisode) -> dict[str, Any] | None:
    """Hours since return against the target; None when there is nothing to time."""
    if not episode.located_at:
        return None
    target = dt.timedelta(hours=settings.CSE_RETURN_DISCUSSION_TARGET_HOURS)
    done = episode.return_discussion in {
        MissingEpisode.ReturnDiscussion.COMPLETED,
        MissingEpisode.ReturnDiscussion.DECLINED,
    }
    # The clock runs from the child's return to the discussion (or to now while none has
    # happened). It never reads when the record was saved: an edit must not move it, and a
    # declined discussion has no end time, so it shows no duration and is never overdue.
    if episode.rd_completed_at:
        end: dt.datetime | None = episode.rd_completed_at
    else:
        end = None if done else timezone.now()
    elapsed = end - episode.located_at if end else None
    return {
        "hours": int(elapsed.total_seconds() // 3600) if elapsed is not None else None,
        "target_hours": settings.CSE_RETURN_DISCUSSION_TARGET_HOURS,
        "overdue": not done and elapsed is not None and elapsed > target,
        "done": done,
    }


# --- Needs attention -----------------------------------------------------------------------


def attention_lists(*, user: User) -> dict[str, QuerySet[Any]]:
    """What an agency must act on: overdue return discussions, repeat missing, reassessments.

    Each list is limited to the agency's own records (an alert goes to the agency that
    owns the work), in a constant number of queries.
    """
    if not permissions.is_caseworker(user) or user.agency_id is None:
        none = YoungPerson.objects.none()
        return {"return_overdue": none, "repeat_missing": none, "reassessment_due": none}
    return attention_lists_for_agency(agency_id=user.agency_id)


def attention_lists_for_agency(*, agency_id: int) -> dict[str, QuerySet[Any]]:
    now = timezone.now()
    target = dt.timedelta(hours=settings.CSE_RETURN_DISCUSSION_TARGET_HOURS)
    return_overdue = (
        MissingEpisode.objects.filter(
            owner_agency_id=agency_id,
            located_at__isnull=False,
            located_at__lt=now - target,
            return_discussion__in=[
                MissingEpisode.ReturnDiscussion.NOT_OFFERED,
                MissingEpisode.ReturnDiscussion.OFFERED,
            ],
        )
        .select_related("young_person")
        # The child who returned most recently first: theirs is the discussion that can
        # still do most good; a long-lapsed one is there too, further down.
        .order_by("-located_at", "-id")
    )
    window_start = now - dt.timedelta(days=settings.CSE_REPEAT_MISSING_DAYS)
    # Start from the window's episodes (index on case agency and missing_from), not from
    # every young person the agency holds: the home page runs this on each visit.
    recently_missing = MissingEpisode.objects.filter(
        missing_from__gte=window_start, case_agency_id=agency_id
    ).values("young_person_id")
    # Each candidate's episodes in the window, counted from the (young person, missing_from)
    # index: a grouped join of every episode each child ever had cost most of the list.
    recent_episodes = _count(
        MissingEpisode.objects.filter(
            young_person_id=OuterRef("pk"), missing_from__gte=window_start
        )
    )
    repeat_missing = (
        YoungPerson.objects.filter(owner_agency_id=agency_id, pk__in=recently_missing)
        .annotate(recent_episodes=recent_episodes, has_marker=active_marker_exists())
        .filter(
            Q(recent_episodes__gte=settings.CSE_REPEAT_MISSING_EPISODES)
            | Q(has_marker=True, recent_episodes__gte=1)
        )
        .order_by("-recent_episodes", "last_name", "id")
    )
    return {
        "return_overdue": return_overdue,
        "repeat_missing": repeat_missing,
        "reassessment_due": _reassessment_due(agency_id),
    }


def _count(rows: QuerySet[Any]) -> Coalesce:
    """COUNT(*) of ``rows`` (correlated through OuterRef) as a scalar subquery: 0, not NULL,
    when there are none (no GROUP BY, unlike ``values().annotate(Count())``)."""
    counted = rows.order_by().annotate(n=Func(Value(1), function="COUNT")).values("n")
    return Coalesce(Subquery(counted), Value(0), output_field=IntegerField())


def _reassessment_due(agency_id: int) -> QuerySet[YoungPerson]:
    """The agency's young people whose newest assessment (latest ``assessed_on``, then the
    latest made) is due, with its date as ``due``; due today first.

    One row per child: each of the agency's due assessments joined to its young person,
    kept when no newer assessment of the child (by any agency) exists. The index on (case
    agency, due date descending, young person) gives the rows in the list's order, so a
    page stops after its rows instead of finding every candidate's newest assessment first.
    A case transfer moves every record's case agency with the young person (one
    transaction), so the agency's young people's assessments are the ones it holds here.
    """
    today = timezone.localdate()
    newer = RiskAssessment.objects.filter(young_person_id=OuterRef("pk")).filter(
        Q(assessed_on__gt=OuterRef("assessed_on"))
        | Q(assessed_on=OuterRef("assessed_on"), pk__gt=OuterRef("assessment_id"))
    )
    return (
        YoungPerson.objects.filter(owner_agency_id=agency_id)
        .alias(
            assessed_on=F("riskassessment__assessed_on"),
            assessment_id=F("riskassessment__id"),
            assessment_agency_id=F("riskassessment__case_agency_id"),
        )
        .annotate(due=F("riskassessment__reassessment_due"))
        .filter(assessment_agency_id=agency_id, due__lte=today)
        .filter(~Exists(newer))
        .order_by("-due", "id")  # due today first, then the most recently lapsed
    )


def my_work_summary(*, user: User) -> dict[str, int]:
    """Counts for the practitioner's home page, each an index range and capped like lists."""
    cap = settings.CSE_LIST_COUNT_CAP
    return {
        # The referrals the user's agency owns (the policy's EDIT rows): one index range.
        "open_referrals": permissions.referral_policy.instances_user_has_permission_for(user, EDIT)
        .filter(outcome=Referral.Outcome.STILL_OPEN)[: cap + 1]
        .count(),
        "referrals_this_month": referral_list_count(
            user=user, filters={"date_from": timezone.localdate().replace(day=1)}, cap=cap
        ),
        "cap": cap,
    }


# --- History -------------------------------------------------------------------------------


@dataclass
class HistoryEntry:
    at: dt.datetime
    user: str
    kind: str
    changes: list[tuple[str, str, str]]


HIDDEN_RECORD = "a record you cannot see"


def record_history(*, record: Any, user: User) -> list[HistoryEntry]:
    """A readable "what changed" timeline of a record, newest first.

    Values that point at other records (foreign keys, many-to-many rows) are shown by name
    when ``user`` may see that record (its type's registered permission policy says so),
    and as "a record you cannot see" otherwise, never as an internal id (issue 13). Types
    without a policy (agencies, users) are reference data and always named.
    """
    entries: list[HistoryEntry] = []
    names = _RelatedNames(user)
    historical = list(
        record.history.select_related("history_user").order_by("history_date", "history_id")
    )
    previous = None
    kinds = {"+": "Created", "~": "Changed", "-": "Deleted"}
    hidden = {"version", "updated_at", "search_name"}
    for item in historical:
        changes: list[tuple[str, str, str]] = []
        if previous is not None:
            delta = item.diff_against(previous)
            for change in delta.changes:
                if change.field in hidden:
                    continue
                field = record._meta.get_field(change.field)
                changes.append(
                    (
                        str(field.verbose_name).capitalize(),
                        names.show(field, change.old),
                        names.show(field, change.new),
                    )
                )
        who = item.history_user.get_full_name() if item.history_user else "System"
        entries.append(
            HistoryEntry(
                at=item.history_date, user=who, kind=kinds[item.history_type], changes=changes
            )
        )
        previous = item
    entries.reverse()
    return entries


def _show(value: Any) -> str:
    if value is None or value == "":
        return "(blank)"
    return str(value)


class _RelatedNames:
    """Names of related records for one reader of a history page, each looked up once."""

    def __init__(self, user: User) -> None:
        self.user = user
        self.cache: dict[tuple[str, Any], str] = {}

    def show(self, field: Any, value: Any) -> str:
        if not getattr(field, "is_relation", False):
            return _show(value)
        if field.many_to_many:
            # simple-history gives m2m values as the through rows: {"<end>": pk, ...}.
            end = field.m2m_reverse_field_name()
            ids = [row.get(end) for row in value or []]
            return ", ".join(self.name(field.related_model, pk) for pk in ids) or "(none)"
        return "(blank)" if value in (None, "") else self.name(field.related_model, value)

    def name(self, model: Any, pk: Any) -> str:
        key = (model._meta.label_lower, pk)
        if key not in self.cache:
            policy = policy_for(model._meta.label_lower)
            rows = model._default_manager.all() if policy is None else policy.visible_to(self.user)
            found = rows.filter(pk=pk).first()
            self.cache[key] = str(found) if found is not None else HIDDEN_RECORD
        return self.cache[key]


def referral_count_for_user(*, user: User) -> int:
    return permissions.case_record_policy(Referral).visible_to(user).count()


def episodes_needing_discussion_count(*, agency_id: int) -> int:
    return attention_lists_for_agency(agency_id=agency_id)["return_overdue"].count()
