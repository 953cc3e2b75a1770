"""Indicators N1-N16: numbers, breakdowns and a fixed number of queries."""

import datetime as dt

import pytest
from django.utils import timezone

from partnership.periods import period_from_code
from performance.indicators import compute_indicators, indicators_by_id
from tests import factories as f

pytestmark = pytest.mark.django_db
PERIOD = period_from_code("2025-26-H1")


def _at(day: dt.date, hour: int = 12) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def test_every_indicator_is_computed_for_an_empty_period() -> None:
    results = compute_indicators(PERIOD)
    assert [r.id for r in results] == [f"N{i}" for i in range(1, 17)]
    assert all(r.period == "2025-26-H1" for r in results)


def test_a_young_person_counts_once_per_indicator() -> None:
    yp = f.YoungPersonFactory(date_of_birth=dt.date(2011, 1, 1), looked_after=True)
    f.ReferralFactory(young_person=yp, received_on=dt.date(2025, 5, 1))
    f.ReferralFactory(young_person=yp, received_on=dt.date(2025, 6, 1), outcome="ird")
    f.ReferralFactory(received_on=dt.date(2025, 3, 31))  # before the period
    for day in (1, 5, 9):
        f.MissingEpisodeFactory(young_person=yp, missing_from=_at(dt.date(2025, 7, day)))
    f.CseMarkerFactory(young_person=yp, start_date=dt.date(2025, 1, 1), risk_level="mild")
    f.CseMarkerFactory(young_person=yp, start_date=dt.date(2025, 5, 1), risk_level="significant")
    results = indicators_by_id(compute_indicators(PERIOD))
    n1 = results["N1"]
    assert n1.figure("referrals").value == 2
    assert n1.figure("young_people").value == 1
    age = next(t for t in n1.tables if t.key == "referred_age_band")
    assert dict(age.rows)["13-15"] == 1
    lac = next(t for t in n1.tables if t.key == "referred_looked_after")
    assert dict(lac.rows)["Looked after"] == 1
    assert dict(results["N2"].tables[0].rows)["Inter-agency Referral Discussion (IRD)"] == 1
    assert results["N3"].figure("significant").value == 1
    assert dict(results["N3"].tables[0].rows) == {
        "Significant": 1,
        "Moderate": 0,
        "Mild": 0,
        "Not at risk": 0,
    }
    assert results["N6"].figure("young_people").value == 1
    assert results["N6"].figure("repeat").value == 1
    assert results["N6"].figure("rate").value == 100.0
    assert results["N6"].figure("episodes").value == 3
