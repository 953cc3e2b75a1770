"""What each app declares for information governance, found like admin.py (each app's sar.py).

- Subjects: the kinds of record a subject access request can be about (a young person, a
  person of concern), with a function listing what one agency holds about one subject.
- Third parties: functions naming the people whose names a SAR must not disclose.
- Processing: the lawful bases and categories of data each app records (the privacy notice).

Governance imports no app above it; apps import this module and register.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models


@dataclass(frozen=True)
class SarItem:
    """One record (or history row, or share) about the subject: plain values, no objects."""

    section: str  # e.g. "Referrals"
    object_type: str  # model label, e.g. "cases.referral" (for the access events)
    object_id: int | None
    values: dict[str, Any]


@dataclass(frozen=True)
class SarSubject:
    label: str  # the subject's model label
    name: str  # "Young person"
    # (agency_id, pk) -> the subject if the agency holds anything about them, else None
    find: Callable[[int, int], models.Model | None]
    # (subject, agency_id) -> every item the agency holds about the subject
    collect: Callable[[Any, int], Iterable[SarItem]]
    # subject -> the names that are the subject's own (never redacted)
    own_names: Callable[[Any], Iterable[str]]
    # (agency_id, words) -> (pk, "name, born ...") of subjects the agency holds that match
    search: Callable[[int, str], Iterable[tuple[int, str]]] | None = None


@dataclass(frozen=True)
class ThirdPartySource:
    category: str  # "other child", "referrer", "person of concern", ...
    # (subject, agency_id) -> names of third parties of this category
    names: Callable[[Any, int], Iterable[str]]


@dataclass(frozen=True)
class ProcessingDeclaration:
    app: str
    purpose: str
    lawful_bases: tuple[str, ...]
    categories: tuple[str, ...]
    special_categories: tuple[str, ...] = field(default_factory=tuple)


_SUBJECTS: dict[str, SarSubject] = {}
_THIRD_PARTIES: list[ThirdPartySource] = []
_PROCESSING: dict[str, ProcessingDeclaration] = {}
_CONTRIBUTORS: dict[str, list[Callable[[Any, int], Iterable[SarItem]]]] = {}


def sar_subject_register(subject: SarSubject) -> None:
    _SUBJECTS[subject.label] = subject


def sar_contributor_register(label: str, collect: Callable[[Any, int], Iterable[SarItem]]) -> None:
    """More of what an agency holds about a kind of subject, from an app above its own
    (e.g. MAOG's links and allegations about a young person)."""
    found = _CONTRIBUTORS.setdefault(label, [])
    if collect not in found:
        found.append(collect)


def sar_collect(subject: SarSubject, instance: Any, agency_id: int) -> list[SarItem]:
    """Everything the agency holds about one subject: its own app's items, then the others'."""
    items = list(subject.collect(instance, agency_id))
    for collect in _CONTRIBUTORS.get(subject.label, []):
        items += collect(instance, agency_id)
    return items


def third_party_register(source: ThirdPartySource) -> None:
    if source not in _THIRD_PARTIES:
        _THIRD_PARTIES.append(source)


def processing_register(declaration: ProcessingDeclaration) -> None:
    _PROCESSING[declaration.app] = declaration


def sar_subjects() -> dict[str, SarSubject]:
    return dict(_SUBJECTS)


def third_party_sources() -> list[ThirdPartySource]:
    return list(_THIRD_PARTIES)


def processing_declarations() -> list[ProcessingDeclaration]:
    return [_PROCESSING[app] for app in sorted(_PROCESSING)]


# Columns that are derived or internal, never shown in a report.
SKIPPED_FIELDS = frozenset({"search_name", "version"})


def record_values(instance: models.Model) -> dict[str, Any]:
    """A record's own columns as JSON-ready values (foreign keys as ids, dates as ISO text)."""
    values: dict[str, Any] = {}
    for model_field in instance._meta.concrete_fields:
        if model_field.name in SKIPPED_FIELDS:
            continue
        value = getattr(instance, model_field.attname)
        values[model_field.name] = value.isoformat() if hasattr(value, "isoformat") else value
    return values


def items_with_history(
    *, section: str, records: Iterable[models.Model], history: bool = True
) -> list[SarItem]:
    """Each record as an item, then (if it keeps history) each of its history rows."""
    found = []
    for record in records:
        label = record._meta.label_lower
        found.append(SarItem(section, label, record.pk, record_values(record)))
        if history and hasattr(record, "history"):
            for row in record.history.all().order_by("history_date", "history_id"):
                values = record_values(row)
                values.pop("history_user", None)  # staff: the access events carry who
                found.append(SarItem(f"{section}: history", label, record.pk, values))
    return found
