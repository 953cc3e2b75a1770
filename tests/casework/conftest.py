import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from accounts.models import User
from cases.models import YoungPerson
from casework import services
from casework.models import Ird, IrdAction
from casework.services import Participant
from partnership.models import Agency
from tests.cases.conftest import referral, young_person  # noqa: F401  (fixtures)


def agency(code: str) -> Agency:
    return Agency.objects.get(code=code)


@pytest.fixture
def make_ird(cfs_practitioner: User) -> Callable[..., Ird]:
    def _make(
        child: YoungPerson, *, participants: tuple[str, ...] = ("police",), **fields: object
    ) -> Ird:
        values: dict[str, Any] = {
            "held_at": timezone.now() - dt.timedelta(hours=2),
            "concerns": "Seen with older men near the bus station.",
            "decision": Ird.Decision.JOINT,
            "reasons": "Police and social work hold information that together meets threshold.",
            "childs_views_obtained": True,
        }
        values.update(fields)
        return services.ird_create(
            actor=cfs_practitioner,
            young_person=child,
            participants=[
                Participant(agency=agency("cfs"), name="Sam Social", role="Social worker"),
                *(
                    Participant(agency=agency(code), name=f"{code} officer")
                    for code in participants
                ),
            ],
            **values,
        )

    return _make


@pytest.fixture
def ird(make_ird: Callable[..., Ird], young_person: YoungPerson) -> Ird:  # noqa: F811
    return make_ird(young_person)


@pytest.fixture
def make_action(cfs_practitioner: User) -> Callable[..., IrdAction]:
    def _make(
        ird: Ird, *, to: User | None = None, agency_code: str = "", days: int = 7
    ) -> IrdAction:
        return services.ird_action_create(
            actor=cfs_practitioner,
            ird=ird,
            description="Check school attendance for the last term.",
            agency=to.agency if to is not None else agency(agency_code),  # type: ignore[arg-type]
            assigned_to=to,
            due_on=timezone.localdate() + dt.timedelta(days=days),
        )

    return _make
