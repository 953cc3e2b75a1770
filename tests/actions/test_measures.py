"""Measures from the activity register and milestones, as the plan and the performance app
read them."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from accounts.models import User
from actions import selectors, services
from actions.models import (
    ActionItem,
    AwarenessSession,
    MaogMeeting,
    MemberBriefing,
    PreventionSession,
    TrainingSession,
)
from partnership.models import Agency
from partnership.periods import Period, period_from_code

pytestmark = pytest.mark.django_db

H1 = period_from_code("2025-26-H1")
H2 = period_from_code("2025-26-H2")


def _common(user: User, day: dt.date) -> dict:
    return {"occurred_on": day, "agency_id": user.agency_id, "recorded_by": user}


def test_a_training_record_of_25_staff_raises_the_items_measure_by_25(
    client: Client, barnardos_manager: User, vap_chair: User, period: Period
) -> None:
    item = ActionItem.objects.get(measure_code="training")
    before = selectors.activity_measure_for_period(measure_code=item.measure_code, period=period)
    client.force_login(barnardos_manager)
    response = client.post(
        reverse("actions:activity_create", args=["training"]),
        {
            "occurred_on_day": period.start.day,
            "occurred_on_month": period.start.month,
            "occurred_on_year": period.start.year,
            "title": "CSE awareness for residential staff",
            "staff_trained": "25",
            "trainee_agency": Agency.objects.get(code="cfs").pk,
        },
    )
    assert response.status_code == 302
    after = selectors.activity_measure_for_period(measure_code=item.measure_code, period=period)
    assert after["value"] - before["value"] == 25
    # ... and only in that period.
    earlier = selectors.activity_measure_for_period(
        measure_code="training", period=period.previous()
    )
    assert earlier["value"] == 0
    client.force_login(vap_chair)
    page = client.get(reverse("actions:item_detail", args=[item.number])).content.decode()
    assert f'data-measure-period="{period.code}">25<' in page


def test_counts_per_kind_and_period(barnardos_manager: User) -> None:
    user = barnardos_manager
    day1, day2 = H1.start, H2.start + dt.timedelta(days=3)
    school = PreventionSession.Setting.SCHOOL
    PreventionSession.objects.bulk_create(
        [
            PreventionSession(**_common(user, day1), setting=school, setting_name="Grove Academy"),
            # The same school twice counts once; names differ only in case.
            PreventionSession(**_common(user, day1), setting=school, setting_name="grove academy"),
            PreventionSession(**_common(user, day1), setting=school, setting_name="Harris Academy"),
            PreventionSession(
                **_common(user, day1), setting="residential", setting_name="Elliot Road"
            ),
            PreventionSession(
                **_common(user, day1),
                setting="foster_carers",
                setting_name="Carers",
                carers_reached=9,
            ),
            PreventionSession(
                **_common(user, day1),
                setting="foster_carers",
                setting_name="Carers",
                carers_reached=4,
            ),
            PreventionSession(**_common(user, day2), setting=school, setting_name="Grove Academy"),
        ]
    )
    trainees = Agency.objects.get(code="police")
    TrainingSession.objects.bulk_create(
        [
            TrainingSession(
                **_common(user, day1), title="a", staff_trained=10, trainee_agency=trainees
            ),
            TrainingSession(
                **_common(user, day1), title="b", staff_trained=7, trainee_agency=trainees
            ),
        ]
    )
    AwarenessSession.objects.bulk_create(
        [
            AwarenessSession(**_common(user, day1), venue_name="Tay Cabs", venue_type="taxi"),
            AwarenessSession(**_common(user, day1), venue_name="Tay Cabs", venue_type="taxi"),
            AwarenessSession(
                **_common(user, day1), venue_name="Club Fever", venue_type="nightclub"
            ),
        ]
    )
    MemberBriefing.objects.create(**_common(user, day1), members_briefed=12, council_total=29)
    MaogMeeting.objects.bulk_create(
        [
            MaogMeeting(**_common(user, day1), minutes_recorded=True),
            MaogMeeting(**_common(user, day1), minutes_recorded=False),
            MaogMeeting(**_common(user, day1), held=False),
        ]
    )
    counts = selectors.activity_counts_by_period(periods=[H1, H2])
    h1, h2 = counts[H1.code], counts[H2.code]
    assert (h1["prevention_schools"], h1["prevention_residential_units"]) == (2, 1)
    assert (h1["prevention_foster_carer_sessions"], h1["prevention"]) == (2, 5)
    assert h1["prevention_carers"] == 13
    assert (h2["prevention"], h2["training"]) == (1, 0)
    assert (h1["training"], h1["training_sessions"]) == (17, 2)
    assert (h1["awareness"], h1["awareness_taxi"], h1["awareness_nightclub"]) == (2, 1, 1)
    assert (h1["maog_meeting"], h1["maog_meeting_with_minutes"], h1["maog_meeting_planned"]) == (
        2,
        1,
        3,
    )
    briefing = selectors.activity_measure_for_period(measure_code="member_briefing", period=H1)
    assert (briefing["value"], briefing["percent"]) == (12, 41)
    assert selectors.training_by_agency(period=H1) == {trainees.short_name: 17}


@pytest.mark.parametrize("rows", [2, 40])
def test_activity_counts_run_one_query_whatever_the_rows_and_periods(
    barnardos_manager: User, django_assert_num_queries, rows: int
) -> None:
    TrainingSession.objects.bulk_create(
        [
            TrainingSession(
                **_common(barnardos_manager, H1.start + dt.timedelta(days=n % 150)),
                title=f"t{n}",
                staff_trained=1,
                trainee_agency_id=barnardos_manager.agency_id,
            )
            for n in range(rows)
        ]
    )
    with django_assert_num_queries(1):
        counts = selectors.activity_counts_by_period(periods=[H1.previous(), H1, H2])
    assert counts[H1.code]["training"] == rows


def test_unknown_measure_code_is_an_error() -> None:
    with pytest.raises(ValueError):
        selectors.activity_measure_for_period(measure_code="N4", period=H1)


def test_milestone_status_takes_the_latest_update_up_to_the_period(
    vap_chair: User, django_assert_num_queries
) -> None:
    item = ActionItem.objects.get(number=2)
    with time_machine.travel("2025-09-01 12:00 +01:00", tick=False):
        services.progress_update_save(
            actor=vap_chair, item=item, period=H1, status="green", narrative="Drafting."
        )
    with time_machine.travel("2026-03-01 12:00 +00:00", tick=False):
        services.progress_update_save(
            actor=vap_chair,
            item=item,
            period=H2,
            status="complete",
            narrative="Approved by the CCPC.",
            milestone_done=True,
            milestone_date=dt.date(2026, 2, 20),
            evidence_link="https://example.org/procedure",
        )
    with django_assert_num_queries(3):
        at_h1 = selectors.milestone_status(period=H1)
    at_h2 = selectors.milestone_status(period=H2)
    assert set(at_h1) == {2, 8, 9, 14}
    assert at_h1[2]["done"] is False and at_h1[2]["status"] == "green"
    assert at_h2[2]["done"] is True and at_h2[2]["date"] == dt.date(2026, 2, 20)
    assert at_h2[2]["measure_code"] == "N16"
    assert at_h2[9]["done"] is False and at_h2[9]["update_period"] == ""
