"""The activity register: who records, for which agency, and the lists."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from actions.forms import ACTIVITY_FORMS
from actions.models import MaogMeeting, PreventionSession
from audit.models import AccessEvent
from partnership.models import Agency
from partnership.periods import Period

pytestmark = pytest.mark.django_db


def test_practitioner_records_for_own_agency_whatever_is_posted(
    client: Client, cfs_practitioner: User, period: Period
) -> None:
    client.force_login(cfs_practitioner)
    response = client.post(
        reverse("actions:activity_create", args=["prevention"]),
        {
            "occurred_on_day": period.start.day,
            "occurred_on_month": period.start.month,
            "occurred_on_year": period.start.year,
            "setting": "school",
            "setting_name": "Grove Academy",
            "young_people_reached": "54",
            "carers_reached": "0",
            "agency": Agency.objects.get(code="police").pk,  # ignored: not a form field
        },
    )
    assert response.status_code == 302
    entry = PreventionSession.objects.get()
    assert (entry.agency.code, entry.recorded_by) == ("cfs", cfs_practitioner)
    assert entry.history.get().history_user == cfs_practitioner
    assert AccessEvent.objects.filter(action="create", object_id=entry.pk).exists()


def test_invalid_entry_keeps_what_was_typed(client: Client, cfs_manager: User) -> None:
    client.force_login(cfs_manager)
    response = client.post(
        reverse("actions:activity_create", args=["prevention"]),
        {"setting": "school", "setting_name": "Harris Academy", "young_people_reached": "-3"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page and 'value="Harris Academy"' in page
    assert not PreventionSession.objects.exists()


@pytest.mark.parametrize("kind", sorted(ACTIVITY_FORMS))
def test_each_kind_has_a_list_and_a_form(client: Client, vap_chair: User, kind: str) -> None:
    client.force_login(vap_chair)
    assert client.get(reverse("actions:activity_list"), {"kind": kind}).status_code == 200
    assert client.get(reverse("actions:activity_create", args=[kind])).status_code == 200


def test_unknown_kind_is_404(client: Client, vap_chair: User) -> None:
    client.force_login(vap_chair)
    assert client.get(reverse("actions:activity_list"), {"kind": "x"}).status_code == 404
    assert client.get(reverse("actions:activity_create", args=["x"])).status_code == 404


def test_managers_see_every_agencys_entries(
    client: Client, police_manager: User, cfs_manager: User, period: Period
) -> None:
    MaogMeeting.objects.create(
        occurred_on=period.start,
        agency=police_manager.agency,
        recorded_by=police_manager,
        minutes_recorded=True,
    )
    client.force_login(cfs_manager)
    page = client.get(reverse("actions:activity_list"), {"kind": "maog_meeting"}).content.decode()
    assert "1 entry" in page and "Police" in page


def _prevention(user: User, period: Period, count: int, start: int) -> None:
    PreventionSession.objects.bulk_create(
        [
            PreventionSession(
                occurred_on=period.start,
                agency_id=user.agency_id,
                recorded_by=user,
                setting="school",
                setting_name=f"School {n}",
            )
            for n in range(start, start + count)
        ]
    )


def _list_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("actions:activity_list")).status_code == 200
    return len(queries)


def test_activity_list_runs_a_constant_number_of_queries(
    client: Client, vap_chair: User, period: Period
) -> None:
    client.force_login(vap_chair)
    _prevention(vap_chair, period, 3, 0)
    few = _list_queries(client)
    _prevention(vap_chair, period, 197, 3)
    many = _list_queries(client)
    assert few == many  # 200 rows: pagination caps the page, joins fetch the names
