import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import User
from cases import services
from cases.models import Referral, YoungPerson


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


def date_fields(name: str, value: "dt.date | dt.datetime") -> dict[str, str]:
    """The GOV.UK date input's boxes for a date (and time, for a datetime)."""
    fields = {
        f"{name}_day": str(value.day),
        f"{name}_month": str(value.month),
        f"{name}_year": str(value.year),
    }
    if isinstance(value, dt.datetime):
        fields[f"{name}_time"] = timezone.localtime(value).strftime("%H:%M")
    return fields
