"""Indicators computed once: a closed period is stored and reused, the current one cached
briefly, a definition change recomputes, late records change stored figures only through the
audited re-materialisation, and a dashboard on a cache hit runs no indicator query."""

import dataclasses
import datetime as dt
from collections.abc import Callable

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from audit.models import AccessEvent
from partnership.periods import current_period, period_from_code
from performance.indicators import IndicatorResult, compute_indicators, indicators_by_id, referrals
from performance.models import StoredIndicators
from performance.services import indicators_rematerialise
from performance.stored import definitions_digest, indicators_for_period, indicators_for_periods
from tests import factories as f
from tests.performance.test_pages import _n1_referrals, _sections

pytestmark = pytest.mark.django_db
CLOSED = period_from_code("2025-26-H1")
# Tables an indicator computation reads; a cache hit must touch none of them.
RECORD_TABLES = ("cases_", "maog_", "actions_", "performance_storedindicators")


def _referrals(count: int, day: dt.date = dt.date(2025, 6, 1)) -> None:
    for _ in range(count):
        f.ReferralFactory(received_on=day)


def _n1(results: list[IndicatorResult]) -> int | float | None:
    return indicators_by_id(results)["N1"].figure("referrals").value


def test_a_stored_result_reads_back_as_it_was_computed() -> None:
    _referrals(3)
    f.MissingEpisodeFactory(
        missing_from=timezone.make_aware(dt.datetime(2025, 7, 1, 12)),
    )
    computed = compute_indicators(CLOSED)
    assert [IndicatorResult.from_dict(r.as_dict()) for r in computed] == computed


def test_a_closed_period_is_computed_once_then_read(
    django_assert_num_queries: Callable[..., object],
) -> None:
    _referrals(3)
    assert _n1(indicators_for_period(CLOSED)) == 3
    assert StoredIndicators.objects.filter(period=CLOSED.code, agency=None).count() == 1
    cache.clear()
    with django_assert_num_queries(1):  # the stored row, no indicator query
        assert _n1(indicators_for_period(CLOSED)) == 3
    with django_assert_num_queries(0):  # now cached
        assert _n1(indicators_for_period(CLOSED)) == 3


def test_four_closed_periods_read_in_one_query(
    django_assert_num_queries: Callable[..., object],
) -> None:
    periods = [CLOSED.previous(3), CLOSED.previous(2), CLOSED.previous(), CLOSED]
    indicators_for_periods(periods)
    cache.clear()
    with django_assert_num_queries(1):
        by_period = indicators_for_periods(periods)
    assert list(by_period) == [p.code for p in periods]


def test_the_current_period_is_cached_briefly_and_never_stored(
    django_assert_num_queries: Callable[..., object],
) -> None:
    period = current_period()
    _referrals(2, day=period.start)
    assert _n1(indicators_for_period(period)) == 2
    assert not StoredIndicators.objects.filter(period=period.code).exists()
    _referrals(1, day=period.start)
    with django_assert_num_queries(0):
        assert _n1(indicators_for_period(period)) == 2  # cached for a few minutes
    cache.clear()  # the few minutes are up
    assert _n1(indicators_for_period(period)) == 3


def test_a_definition_change_recomputes(monkeypatch: pytest.MonkeyPatch) -> None:
    _referrals(2)
    indicators_for_period(CLOSED)
    _referrals(1)  # late: the stored figures stay as they were
    cache.clear()
    assert _n1(indicators_for_period(CLOSED)) == 2
    before = definitions_digest()
    changed = (
        dataclasses.replace(referrals.DEFINITIONS[0], version="1.1"),
        *referrals.DEFINITIONS[1:],
    )
    monkeypatch.setattr(referrals, "DEFINITIONS", changed)
    assert definitions_digest() != before
    results = indicators_for_period(CLOSED)
    assert _n1(results) == 3  # recomputed under the new definitions
    assert indicators_by_id(results)["N1"].version == "1.1"
    assert StoredIndicators.objects.filter(period=CLOSED.code).count() == 2


def test_agency_figures_are_stored_apart_from_the_partnership(
    cfs_practitioner: User, police_practitioner: User
) -> None:
    for user, count in ((cfs_practitioner, 1), (police_practitioner, 2)):
        for _ in range(count):
            person = f.YoungPersonFactory(owner_agency=user.agency)
            f.ReferralFactory(young_person=person, received_on=dt.date(2025, 6, 1))
    assert _n1(indicators_for_period(CLOSED, agency=cfs_practitioner.agency)) == 1
    assert _n1(indicators_for_period(CLOSED)) == 3
    cache.clear()
    assert _n1(indicators_for_period(CLOSED, agency=cfs_practitioner.agency)) == 1
    assert _n1(indicators_for_period(CLOSED)) == 3


def test_late_records_change_stored_figures_only_by_the_audited_rematerialisation(
    vap_chair: User, clerk: User, cfs_manager: User
) -> None:
    _referrals(2)
    assert _n1(indicators_for_period(CLOSED)) == 2
    _referrals(1)  # entered late for the closed period
    assert _n1(indicators_for_period(CLOSED)) == 2
    for user in (clerk, cfs_manager):
        with pytest.raises(PermissionDenied):
            indicators_rematerialise(actor=user, period=CLOSED, reason="late referral")
    with pytest.raises(ValidationError):
        indicators_rematerialise(actor=vap_chair, period=CLOSED, reason=" ")
    with pytest.raises(ValidationError):
        indicators_rematerialise(actor=vap_chair, period=current_period(), reason="late")
    changed = indicators_rematerialise(actor=vap_chair, period=CLOSED, reason="late referral")
    assert changed >= 1
    assert _n1(indicators_for_period(CLOSED)) == 3
    event = AccessEvent.objects.get(object_type="performance.storedindicators")
    assert event.user == vap_chair
    assert event.detail["reason"] == "late referral"
    assert event.detail["values"]["N1.referrals"] == [2, 3]


def test_dashboard_of_a_closed_period_runs_no_indicator_query_on_a_cache_hit(
    vap_chair: User, cfs_manager: User, client: Client
) -> None:
    _referrals(7)
    url = reverse("performance:dashboard") + "?period=2025-26-H1"
    for user in (vap_chair, cfs_manager):
        client.force_login(user)
        assert client.get(url).status_code == 200  # computes and stores
        with CaptureQueriesContext(connection) as hit:
            response = client.get(url)
        assert response.status_code == 200
        touched = [q["sql"] for q in hit if any(t in q["sql"] for t in RECORD_TABLES)]
        assert touched == []
    # Exact for the chair, through disclosure control for the manager: as before.
    client.force_login(vap_chair)
    assert "Exact figures for every partner agency" in client.get(url).content.decode()


def test_cached_dashboard_follows_rematerialisation_and_new_reports(
    vap_chair: User, cfs_manager: User, client: Client
) -> None:
    from partnership.models import Committee
    from performance.models import Report
    from performance.selectors import ERROR_AUDIT_REFUSED

    _referrals(7)
    url = reverse("performance:dashboard") + "?period=2025-26-H1"
    client.force_login(vap_chair)
    assert ">7</td>" in client.get(url).content.decode()
    _referrals(2)  # late
    assert ">7</td>" in client.get(url).content.decode()  # stored figures, as at close
    indicators_rematerialise(actor=vap_chair, period=CLOSED, reason="late referrals")
    assert ">9</td>" in client.get(url).content.decode()
    client.force_login(cfs_manager)
    partnership = _sections(client.get(url).content.decode())["Partnership"]
    assert _n1_referrals(partnership) == "9"
    # A report published since, whose figures the control must now take into account.
    Report.objects.create(
        committee=Committee.objects.get(code="ccpc"),
        period=CLOSED.code,
        version=1,
        status=Report.Status.READY,
        figures={"disclosure": {"cells": {"2025-26-H1:referrals": None}}},
    )
    partnership = _sections(client.get(url).content.decode())["Partnership"]
    assert ERROR_AUDIT_REFUSED in partnership or _n1_referrals(partnership) == "*"
