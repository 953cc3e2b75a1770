"""Date bounds a caseworker expects, shown next to the field when they are broken.

Before these, year 0001 and 9999 were accepted for dates of birth, referrals, episodes and
activities (issue 13). A form declares `field_validators = date_bounds.fields(...)` (see
govuk_forms.GovukFormMixin); the check runs as a field validator, so its message sits next to
the field like any other.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

EARLIEST_EVENT = dt.date(1990, 1, 1)
MAX_AGE_YEARS = 25
EVENT_FUTURE_DAYS = 1
PLANNED_FUTURE_YEARS = 10

ERROR_BIRTH_FUTURE = "Date of birth must be today or in the past"
ERROR_BIRTH_TOO_OLD = f"Date of birth must make the young person {MAX_AGE_YEARS} or younger"
ERROR_EVENT_TOO_EARLY = f"Date must be on or after {EARLIEST_EVENT:%-d %B %Y}"
ERROR_EVENT_FUTURE = "Date must be today or in the past"
EARLIEST_ADULT_BIRTH = dt.date(1900, 1, 1)
ERROR_PERSON_BIRTH_TOO_EARLY = f"Date of birth must be on or after {EARLIEST_ADULT_BIRTH:%-d %B %Y}"
ERROR_PLANNED_TOO_LATE = f"Date must be within {PLANNED_FUTURE_YEARS} years from today"


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


def validate_date_of_birth(value: dt.date | dt.datetime | None) -> None:
    """An age from 0 to 25 today: not in the future, not 26 or more years ago."""
    if value is None:
        return
    day, today = _as_date(value), timezone.localdate()
    if day > today:
        raise ValidationError(ERROR_BIRTH_FUTURE, code="birth_future")
    # Born on or before this date = 26 or older today.
    if day <= _years_before(today, MAX_AGE_YEARS + 1):
        raise ValidationError(ERROR_BIRTH_TOO_OLD, code="birth_too_old")


def validate_person_date_of_birth(value: dt.date | dt.datetime | None) -> None:
    """A person of concern (often an adult): born in the past, and not before 1900."""
    if value is None:
        return
    day = _as_date(value)
    if day > timezone.localdate():
        raise ValidationError(ERROR_BIRTH_FUTURE, code="birth_future")
    if day < EARLIEST_ADULT_BIRTH:
        raise ValidationError(ERROR_PERSON_BIRTH_TOO_EARLY, code="birth_too_early")


def validate_event_date(value: dt.date | dt.datetime | None) -> None:
    """Something that happened: not before 1990 and not more than a day in the future (a day
    allows for time zones and for a session logged just after midnight)."""
    if value is None:
        return
    day = _as_date(value)
    if day < EARLIEST_EVENT:
        raise ValidationError(ERROR_EVENT_TOO_EARLY, code="event_too_early")
    if day > timezone.localdate() + dt.timedelta(days=EVENT_FUTURE_DAYS):
        raise ValidationError(ERROR_EVENT_FUTURE, code="event_future")


def validate_planned_date(value: dt.date | dt.datetime | None) -> None:
    """A date something is due (a reassessment, a target): not before 1990, within 10 years."""
    if value is None:
        return
    day = _as_date(value)
    if day < EARLIEST_EVENT:
        raise ValidationError(ERROR_EVENT_TOO_EARLY, code="event_too_early")
    if day > timezone.localdate() + dt.timedelta(days=365 * PLANNED_FUTURE_YEARS + 3):
        raise ValidationError(ERROR_PLANNED_TOO_LATE, code="planned_too_late")


def fields(
    *,
    birth: Iterable[str] = (),
    adult_birth: Iterable[str] = (),
    events: Iterable[str] = (),
    planned: Iterable[str] = (),
) -> dict[str, Callable[[Any], None]]:
    """`field_validators` for a GovukFormMixin form: field name -> its bound."""
    spec = (
        (birth, validate_date_of_birth),
        (adult_birth, validate_person_date_of_birth),
        (events, validate_event_date),
        (planned, validate_planned_date),
    )
    return {name: validator for names, validator in spec for name in names}
