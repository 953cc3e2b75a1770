"""Indicators N1-N16: numbers, breakdowns and a fixed number of queries."""

import datetime as dt

import pytest
from django.utils import timezone

from cases import models as cm
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


def _bulk_referrals(count: int) -> None:
    """`count` referrals in the period across 50 young people, quickly (bulk_create)."""
    people = [f.YoungPersonFactory() for _ in range(min(count, 50))]
    template = f.ReferralFactory.build(young_person=people[0])
    rows = []
    for i in range(count):
        person = people[i % len(people)]
        rows.append(
            cm.Referral(
                young_person=person,
                owner_agency=person.owner_agency,
                case_agency=person.owner_agency,
                created_by=person.created_by,
                received_on=dt.date(2025, 4, 1) + dt.timedelta(days=i % 180),
                referring_agency=template.referring_agency,
                concerns="Synthetic.",
                initial_risk_level="moderate",
                outcome=cm.Referral.Outcome.values[i % len(cm.Referral.Outcome.values)],
            )
        )
    cm.Referral.objects.bulk_create(rows, batch_size=1000)


def _queries(func: object) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        func()
    return len(ctx.captured_queries)


def test_indicator_queries_do_not_grow_with_the_data() -> None:
    _bulk_referrals(10)
    few = _queries(lambda: compute_indicators(PERIOD))
    _bulk_referrals(9990)
    many = _queries(lambda: compute_indicators(PERIOD))
    assert few == many
    # young people (grouped), referrals (grouped), every single-row aggregate in one statement,
    # training by agency, milestones
    assert many <= 5
    n1 = indicators_by_id(compute_indicators(PERIOD))["N1"]
    assert n1.figure("referrals").value == 10_000


def test_indicators_command_matches_raw_sql() -> None:
    """Three indicators recomputed independently with raw SQL give the command's numbers."""
    import json
    from io import StringIO

    from django.core.management import call_command
    from django.db import connection

    _bulk_referrals(30)
    f.ReferralFactory(received_on=dt.date(2025, 10, 1))  # next period: not counted
    for day in (3, 4, 5, 6, 7, 8):
        f.AllegationFactory(
            alleged_on=dt.date(2025, 6, day),
            reported_to_copfs_on=dt.date(2025, 7, 1) if day % 2 else None,
        )
    f.AllegationFactory(alleged_on=dt.date(2025, 3, 1))
    located = _at(dt.date(2025, 5, 2))
    for hours in (10, 50, 100, 200):
        f.MissingEpisodeFactory(
            missing_from=located - dt.timedelta(hours=5),
            located_at=located,
            return_discussion="completed",
            rd_completed_at=located + dt.timedelta(hours=hours),
        )
    out = StringIO()
    call_command("indicators", "--period", "2025-26-H1", "--format", "json", stdout=out)
    data = {i["id"]: i for i in json.loads(out.getvalue())["indicators"]}
    figures = {k: {f["key"]: f["value"] for f in v["figures"]} for k, v in data.items()}
    assert sorted(data, key=lambda k: int(k[1:])) == [f"N{i}" for i in range(1, 17)]

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*), COUNT(DISTINCT young_person_id) FROM cases_referral "
            "WHERE received_on >= %s AND received_on <= %s",
            [PERIOD.start, PERIOD.end],
        )
        referrals, people = cursor.fetchone()
        cursor.execute(
            "SELECT COUNT(*), SUM(CASE WHEN reported_to_copfs_on IS NOT NULL THEN 1 ELSE 0 END) "
            "FROM cases_allegation WHERE alleged_on >= %s AND alleged_on <= %s",
            [PERIOD.start, PERIOD.end],
        )
        allegations, to_copfs = cursor.fetchone()
        cursor.execute(
            "SELECT located_at, rd_completed_at FROM cases_missingepisode "
            "WHERE return_discussion = 'completed' AND located_at >= %s AND located_at < %s",
            [PERIOD.start_datetime(), PERIOD.end_datetime_exclusive()],
        )
        rows = cursor.fetchall()
    within = sum(1 for loc, done in rows if _aware(done) - _aware(loc) <= dt.timedelta(hours=72))
    assert figures["N1"]["referrals"] == referrals == 30
    assert figures["N1"]["young_people"] == people
    assert figures["N4"]["allegations"] == allegations == 6
    assert figures["N4"]["reported_copfs"] == to_copfs == 3
    assert figures["N7"]["completed"] == len(rows) == 4
    assert figures["N7"]["within_target"] == within == 2


def _aware(value: object) -> dt.datetime:
    # SQLite returns strings from a raw cursor; PostgreSQL returns aware datetimes.
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if timezone.is_aware(value) else timezone.make_aware(value, dt.UTC)


def test_indicators_on_seed_demo_data_match_raw_sql(settings) -> None:
    """On the demo data, three indicators recomputed with raw SQL give the command's numbers."""
    settings.CSE_DEMO = True  # seed_demo refuses otherwise
    import json
    from io import StringIO

    from django.core.management import call_command
    from django.db import connection

    from partnership.periods import current_period

    call_command("seed_demo", stdout=StringIO())
    period = current_period().previous()  # the period that closed last: fully seeded
    out = StringIO()
    call_command("indicators", "--period", period.code, "--format", "json", stdout=out)
    figures = {
        item["id"]: {figure["key"]: figure["value"] for figure in item["figures"]}
        for item in json.loads(out.getvalue())["indicators"]
    }
    assert sorted(figures, key=lambda key: int(key[1:])) == [f"N{i}" for i in range(1, 17)]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*), COUNT(DISTINCT young_person_id) FROM cases_referral "
            "WHERE received_on BETWEEN %s AND %s",
            [period.start, period.end],
        )
        referrals, people = cursor.fetchone()
        cursor.execute(
            "SELECT COUNT(*), COUNT(reported_to_copfs_on) FROM cases_allegation "
            "WHERE alleged_on BETWEEN %s AND %s",
            [period.start, period.end],
        )
        allegations, to_copfs = cursor.fetchone()
        cursor.execute(
            "SELECT COUNT(*) FROM cases_missingepisode WHERE return_discussion = 'completed' "
            "AND located_at >= %s AND located_at < %s",
            [period.start_datetime(), period.end_datetime_exclusive()],
        )
        (completed,) = cursor.fetchone()
    assert referrals > 20  # the demo really covers the period
    assert figures["N1"]["referrals"] == referrals
    assert figures["N1"]["young_people"] == people
    assert figures["N4"]["allegations"] == allegations
    assert figures["N4"]["reported_copfs"] == to_copfs
    assert figures["N7"]["completed"] == completed
