"""Shared parts of the case services: error messages, the access re-check, audited saves
and date rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone

from accounts.models import User
from records.services import set_history_user

ERROR_FUTURE_DATE = "The date must be today or in the past."
ERROR_AGE_18 = "The young person must be under 18 on the date the referral was received."
ERROR_DOB_FUTURE = "Date of birth must be in the past."
ERROR_LOCATED_BEFORE_MISSING = "The time located must be after the time reported missing."
ERROR_OUTCOME_DATE_NEEDED = "Enter the date of the outcome."
ERROR_OUTCOME_DATE_BEFORE_RECEIVED = "The outcome date must be on or after the date received."
ERROR_OVERRIDE_REASON = "Give the reason for overriding the calculated risk level."
ERROR_END_BEFORE_START = "The end date must be on or after the start date."
ERROR_DECLINED_REASON = "Give the reason the return discussion was declined."
ERROR_COMPLETED_AT = "Enter when the return discussion was completed."
ERROR_NOT_LOCATED = "A return discussion happens after the young person is located."
ERROR_SHARE_OWN_AGENCY = "The case already belongs to this agency."
ERROR_ALREADY_SHARED = "The case is already shared with this agency."
ERROR_REASON_REQUIRED = "Give the reason for sharing."
ERROR_RISK_ANSWERS = "Answer every question in the screening."

R = TypeVar("R", bound=models.Model)


def require(allowed: bool) -> None:
    # Services re-check access even though views do: tasks and shells call them too.
    if not allowed:
        raise PermissionDenied


# Set by the services from objects they already hold, so validating them would only cost a
# query each (a foreign key's full_clean looks the row up).
TRUSTED_FIELDS = ("owner_agency", "case_agency", "created_by", "young_person")


def save(instance: R, *, actor: User, exclude: list[str] | None = None) -> R:
    set_history_user(instance, actor)
    instance.full_clean(
        exclude=[name for name in TRUSTED_FIELDS if hasattr(instance, f"{name}_id")]
        + (exclude or [])
    )
    instance.save()
    return instance


def not_future(day: dt.date | None, field: str, errors: dict[str, str]) -> None:
    if day is not None and day > timezone.localdate():
        errors[field] = ERROR_FUTURE_DATE


def not_future_time(moment: dt.datetime | None, field: str, errors: dict[str, str]) -> None:
    if moment is not None and moment > timezone.now() + dt.timedelta(minutes=5):
        errors[field] = ERROR_FUTURE_DATE


def raise_errors(errors: Mapping[str, str]) -> None:
    if errors:
        raise ValidationError(dict(errors))


def eighteenth_birthday(date_of_birth: dt.date) -> dt.date:
    """A child born on 29 February turns 18 on 1 March in a non-leap year."""
    try:
        return date_of_birth.replace(year=date_of_birth.year + 18)
    except ValueError:
        return dt.date(date_of_birth.year + 18, 3, 1)


def search_name_for(first_name: str, last_name: str) -> str:
    return f"{last_name.strip()} {first_name.strip()}".lower()


def review_date(instance: models.Model) -> dt.date | None:
    try:
        from audit.retention import review_date_for
    except ImportError:  # retention schedule not installed in this build
        return None
    return review_date_for(instance)
