"""Risk assessment: the scored screening, created through the generic create service."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from cases.models import (
    RiskAnswer,
    RiskAssessment,
    RiskItem,
    RiskLevel,
    RiskTool,
    YoungPerson,
)
from cases.services.case_records import RISK_ASSESSMENT
from cases.services.common import (
    ERROR_OVERRIDE_REASON,
    ERROR_RISK_ANSWERS,
    not_future,
    raise_errors,
)

# --- Risk assessment -----------------------------------------------------------------------


def risk_score(
    *, tool: RiskTool, answers: Mapping[int, str], items: list[RiskItem]
) -> tuple[Decimal, str, dict[int, Decimal]]:
    """Total the screening: weight x recency multiplier per item, then map to a level."""
    multipliers: dict[str, Decimal] = {
        RiskAnswer.Recency.NONE: Decimal(0),
        RiskAnswer.Recency.OLDER: Decimal(tool.older_multiplier),
        RiskAnswer.Recency.RECENT: Decimal(tool.recent_multiplier),
    }
    points = {item.pk: Decimal(item.weight) * multipliers[answers[item.pk]] for item in items}
    total = sum(points.values(), Decimal(0))
    if total >= tool.significant_from:
        level = RiskLevel.SIGNIFICANT
    elif total >= tool.moderate_from:
        level = RiskLevel.MODERATE
    elif total >= tool.mild_from:
        level = RiskLevel.MILD
    else:
        level = RiskLevel.NOT_AT_RISK
    return total, level, points


def _add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate_day in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, candidate_day)
        except ValueError:
            continue
    raise ValueError(day)


@transaction.atomic
def risk_assessment_create(
    *,
    actor: User,
    young_person: YoungPerson,
    tool: RiskTool,
    assessed_on: dt.date,
    answers: Mapping[int, str],
    override_level: str = "",
    override_reason: str = "",
    reassessment_due: dt.date | None = None,
) -> RiskAssessment:
    """Score a screening; an override of the calculated level needs a reason."""
    items = list(tool.items.all())
    errors: dict[str, str] = {}
    if any(item.pk not in answers for item in items):
        errors["__all__"] = ERROR_RISK_ANSWERS
    not_future(assessed_on, "assessed_on", errors)
    raise_errors(errors)
    total, calculated, points = risk_score(tool=tool, answers=answers, items=items)
    if override_level and override_level != calculated and not override_reason.strip():
        raise ValidationError({"override_reason": ERROR_OVERRIDE_REASON})
    assessment = RISK_ASSESSMENT.create(
        actor=actor,
        young_person=young_person,
        tool=tool,
        assessed_on=assessed_on,
        score=total,
        calculated_level=calculated,
        override_level=override_level if override_level != calculated else "",
        override_reason=override_reason.strip() if override_level != calculated else "",
        level=override_level or calculated,
        reassessment_due=reassessment_due
        or _add_months(assessed_on, settings.CSE_REASSESSMENT_MONTHS),
    )
    RiskAnswer.objects.bulk_create(
        RiskAnswer(
            assessment=assessment, item_id=item.pk, recency=answers[item.pk], points=points[item.pk]
        )
        for item in items
    )
    return assessment
