"""The fields an import fills, per kind, and how a cell becomes a value (UK dates first)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils import timezone

from cases.models import MissingEpisode, PlacementType, Referral, RiskLevel, Sex
from imports.models import Kind

UK_DATE_FORMATS = ("%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")
ERROR_DATE = "Enter a date like 31/03/2025"
ERROR_DATETIME = "Enter a date and time like 31/03/2025 21:30"
ERROR_REQUIRED = "This column is empty"


class CellError(ValueError):
    pass


def parse_date(cell: Any) -> dt.date | None:
    """31/03/2025 is the 31st of March (UK order); spreadsheets' own dates pass through."""
    if cell in (None, ""):
        return None
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    text = str(cell).strip()
    for fmt in UK_DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 a date, no time
        except ValueError:
            continue
    raise CellError(ERROR_DATE)


def parse_datetime(cell: Any) -> dt.datetime | None:
    if cell in (None, ""):
        return None
    if isinstance(cell, dt.datetime):
        naive = cell
    else:
        text = str(cell).strip()
        for fmt in ("%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"):
            try:
                naive = dt.datetime.strptime(text, fmt)  # noqa: DTZ007 made aware below
                break
            except ValueError:
                continue
        else:
            raise CellError(ERROR_DATETIME)
    if timezone.is_aware(naive):
        return naive
    return timezone.make_aware(naive)  # the partnership's local time (Europe/London)


def parse_text(cell: Any) -> str:
    return "" if cell is None else str(cell).strip()


def parse_bool(cell: Any) -> bool:
    text = parse_text(cell).lower()
    if text in ("", "no", "n", "false", "0"):
        return False
    if text in ("yes", "y", "true", "1"):
        return True
    raise CellError("Enter yes or no")


def choice(choices: type[models.TextChoices]) -> Callable[[Any], str]:
    """A coded value by its code or its label, in any case."""
    lookup = {str(value).lower(): str(value) for value in choices.values}
    lookup |= {str(label).lower(): str(value) for value, label in choices.choices}

    def parse(cell: Any) -> str:
        text = parse_text(cell).lower()
        if not text:
            return ""
        if text not in lookup:
            raise CellError("Use one of: " + ", ".join(str(label) for label in choices.labels))
        return lookup[text]

    return parse


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    parse: Callable[[Any], Any]
    required: bool = False
    person: bool = False  # about the young person, not the record


PERSON_FIELDS = (
    Field("first_name", "First name", parse_text, required=True, person=True),
    Field("last_name", "Last name", parse_text, required=True, person=True),
    Field("date_of_birth", "Date of birth", parse_date, required=True, person=True),
    Field("sex", "Sex", choice(Sex), person=True),
)
REFERENCE = Field("external_ref", "Your reference", parse_text)

FIELDS: dict[str, tuple[Field, ...]] = {
    Kind.REFERRAL: (
        *PERSON_FIELDS,
        Field("received_on", "Date received", parse_date, required=True),
        Field("concerns", "Concerns", parse_text, required=True),
        Field("initial_risk_level", "Initial risk level", choice(RiskLevel), required=True),
        Field("outcome", "Outcome", choice(Referral.Outcome)),
        Field("outcome_date", "Outcome date", parse_date),
        Field("referrer_name", "Referrer name", parse_text),
        Field("referrer_role", "Referrer role", parse_text),
        REFERENCE,
    ),
    Kind.MISSING_EPISODE: (
        *PERSON_FIELDS,
        Field("missing_from", "Missing from", parse_datetime, required=True),
        Field("located_at", "Located at", parse_datetime),
        Field("category", "Category", choice(MissingEpisode.Category), required=True),
        Field("placement_type", "Placement type", choice(PlacementType), required=True),
        Field("placement_name", "Placement name", parse_text),
        Field("where_found", "Where found", parse_text),
        Field("reported_to_police", "Reported to police", parse_bool),
        REFERENCE,
    ),
}


def guess_columns(kind: str, headings: list[str]) -> dict[str, str]:
    """Headings that name a field (by its name or label, ignoring case and spaces)."""

    def norm(text: str) -> str:
        return "".join(ch for ch in text.lower() if ch.isalnum())

    by_norm = {norm(heading): heading for heading in headings}
    found = {}
    for field in FIELDS[kind]:
        for candidate in (field.name, field.label):
            if norm(candidate) in by_norm:
                found[field.name] = by_norm[norm(candidate)]
                break
    return found
