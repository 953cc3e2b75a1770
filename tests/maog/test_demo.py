"""The MAOG demo seeder: separate networks on existing young people, idempotent."""

import datetime as dt
import random

import pytest

from cases.models import YoungPerson
from maog import selectors as intel_selectors
from maog.demo import seed_intel
from maog.models import Allegation, Intelligence, PersonOfConcern

pytestmark = pytest.mark.django_db


def test_seed_intel_needs_young_people_and_builds_separate_networks(
    maog_member, cfs_practitioner
) -> None:
    assert seed_intel(size="small", rng=random.Random(1), progress=False).startswith("no young")
    YoungPerson.objects.bulk_create(
        YoungPerson(
            owner_agency=cfs_practitioner.agency,
            created_by=cfs_practitioner,
            first_name=f"Demo{i}",
            last_name="Child",
            search_name=f"child demo{i}",
            date_of_birth=dt.date(2011, 1, 1) + dt.timedelta(days=i),
            sex="female",
        )
        for i in range(40)
    )
    summary = seed_intel(size="small", rng=random.Random(1), progress=False)
    assert summary.startswith("6 networks")
    assert PersonOfConcern.objects.count() >= 18
    outcomes = set(Allegation.objects.values_list("prosecution_outcome", flat=True))
    assert {"pending", "convicted", "no_proceedings"} <= outcomes
    assert Allegation.objects.filter(mappa_managed=True, victim_safety_plan=True).exists()
    assert Allegation.objects.filter(reported_to_copfs_on__isnull=False).exists()
    assert Intelligence.objects.count() >= 12
    groups = intel_selectors.network_groups(user=maog_member)
    assert len(groups) == 6
    assert all(len(group.persons) >= 3 and len(group.young_people) >= 3 for group in groups)
    assert seed_intel(size="small", rng=random.Random(1), progress=False) == "already seeded"
