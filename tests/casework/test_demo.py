"""The casework demo seeder: IRDs, actions and notes through the services; safe twice."""

import datetime as dt
import random

import pytest
from django.utils import timezone

from accounts.models import User
from cases import services as case_services
from casework import selectors
from casework.demo import seed_casework
from casework.models import AgencyCase, CaseNote, Ird, IrdAction

pytestmark = pytest.mark.django_db


def test_seed_casework_gives_the_pages_something_to_show(
    cfs_practitioner: User, police_practitioner: User, nhs_practitioner: User
) -> None:
    assert seed_casework(size="small", rng=random.Random(1)).startswith("no young people")
    for number in range(3):
        case_services.young_person_create(
            actor=cfs_practitioner,
            first_name="Demo",
            last_name=f"Child{number}",
            date_of_birth=timezone.localdate() - dt.timedelta(days=14 * 365),
            sex="female",
        )
    assert seed_casework(size="small", rng=random.Random(1)) == (
        "3 IRDs with actions and notes, agency cases and safety plans"
    )
    assert Ird.objects.count() == 3 and CaseNote.objects.exists()
    assert IrdAction.objects.filter(assigned_to__isnull=False).exists()
    cases = AgencyCase.objects.filter(agency__code="cfs")
    assert cases.count() == 3 and all(case.team for case in cases)
    assert seed_casework(size="small", rng=random.Random(1)) == "already seeded"
    everyone = [cfs_practitioner, police_practitioner, nhs_practitioner]
    assert sum(len(selectors.my_tasks(user=user).actions) for user in everyone) > 0
