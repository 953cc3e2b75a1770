import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from cases import services
from cases.models import Referral, YoungPerson
from partnership.models import User


@pytest.fixture
def young_person(cfs_practitioner: User) -> YoungPerson:
    return services.young_person_create(
        actor=cfs_practitioner,
        first_name="Kayleigh",
        last_name="Testcase",
        date_of_birth=timezone.localdate() - dt.timedelta(days=14 * 365),
        sex="female",
    )


@pytest.fixture
def referral(cfs_practitioner: User, young_person: YoungPerson) -> Referral:
    return services.referral_create(
        actor=cfs_practitioner,
        young_person=young_person,
        received_on=timezone.localdate() - dt.timedelta(days=3),
        concerns="Older men waiting outside school.",
        initial_risk_level="moderate",
    )


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client
