"""The referral list's query plan at a modest size: an index walk in list order, never a
sequential scan of all referrals followed by a sort (which grows with the table)."""

import datetime as dt
import re

import pytest
from django.db import connection

from cases import selectors
from cases.models import YoungPerson
from partnership.models import Agency
from tests.conftest import service_missing

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_referrals(cfs_practitioner) -> None:
    """5,000 referrals over 500 young people across four agencies, then ANALYZE."""
    if connection.vendor != "postgresql":
        service_missing("EXPLAIN checks need PostgreSQL (set DATABASE_URL)")
    agencies = list(
        Agency.objects.filter(code__in=["cfs", "police", "nhs", "barnardos"]).values_list(
            "pk", flat=True
        )
    )
    YoungPerson.objects.bulk_create(
        YoungPerson(
            owner_agency_id=agencies[i % 4],
            created_by=cfs_practitioner,
            first_name=f"First{i}",
            last_name=f"Last{i}",
            search_name=f"last{i} first{i}",
            date_of_birth=dt.date(2010, 1, 1) + dt.timedelta(days=i),
            sex="female",
        )
        for i in range(500)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO cases_referral (owner_agency_id, created_by_id, created_at, updated_at,
                version, young_person_id, case_agency_id, received_on, referring_agency_id,
                referrer_name, referrer_role, concerns, initial_risk_level, outcome)
            SELECT y.owner_agency_id, %s, now(), now(), 1, y.id, y.owner_agency_id,
                CURRENT_DATE - (g %% 3000), NULL, '', '', 'concern', 'mild', 'still_open'
            FROM generate_series(1, 5000) g
            JOIN (SELECT id, owner_agency_id, row_number() OVER (ORDER BY id) - 1 AS n
                  FROM cases_youngperson) y ON y.n = g %% 500
            """,
            [cfs_practitioner.pk],
        )
        cursor.execute("ANALYZE cases_referral")
        cursor.execute("ANALYZE cases_youngperson")
        cursor.execute("ANALYZE cases_youngpersongroupobjectpermission")


def test_referral_list_first_page_walks_an_index_in_list_order(
    many_referrals: None, cfs_practitioner
) -> None:
    plan = selectors.referral_list(user=cfs_practitioner)[:25].explain()
    assert "Index Scan" in plan and "cases_referral" in plan, plan
    assert "Seq Scan on cases_referral" not in plan, plan
    # A top-N sort over every visible referral is what the index must avoid; an incremental
    # sort of ties within one date is fine.
    assert not re.search(r"^\s*(->\s+)?Sort\s+\(cost", plan, re.MULTILINE), plan


def test_own_agency_referrals_use_the_owner_received_index(
    many_referrals: None, cfs_practitioner
) -> None:
    """The agency filter of the list (own records, newest first) is one index range."""
    plan = selectors.referral_list(
        user=cfs_practitioner, filters={"agency": cfs_practitioner.agency_id}
    )[:25].explain()
    assert "cases_refer_owner_a" in plan, plan
    assert "Seq Scan on cases_referral" not in plan, plan
