"""Issue 19, item 9: "the records behind N1" opens the referral list on exactly the period's
referrals (the link used to pass parameters the list ignores, so it showed every referral)."""

import datetime as dt
import re

import pytest
from django.test import Client

from accounts.models import User
from cases import services
from partnership.periods import current_period
from performance.selectors import _records_url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("indicator_id", ["N1", "N2"])
def test_the_records_behind_a_referral_figure_are_the_periods_referrals(
    cfs_practitioner: User, indicator_id: str
) -> None:
    period = current_period().previous()
    young_person = services.young_person_create(
        actor=cfs_practitioner,
        first_name="Drill",
        last_name="Down",
        sex="female",
        date_of_birth=dt.date(2011, 1, 1),
    )
    inside = [period.start, period.end]
    outside = [period.start - dt.timedelta(days=1), period.end + dt.timedelta(days=1)]
    for received_on in inside + outside:  # the day after the period is in the current one
        services.referral_create(
            actor=cfs_practitioner,
            young_person=young_person,
            received_on=received_on,
            concerns="Concern",
            initial_risk_level="mild",
            outcome="still_open",
        )
    url = _records_url(indicator_id, period)
    assert url is not None
    client = Client()
    client.force_login(cfs_practitioner)
    page = client.get(url).content.decode()
    shown = re.findall(r'href="/cases/referrals/(\d+)/"', page)
    assert len(set(shown)) == len(inside)
