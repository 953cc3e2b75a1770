import datetime as dt

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import RiskTool
from cases.selectors import attention_lists
from cases.tasks import attention_alerts_notify_task
from tests.cases.conftest import client_for

pytestmark = pytest.mark.django_db


def _answers(tool: RiskTool, recent: set[str] = frozenset(), older: set[str] = frozenset()) -> dict:
    return {
        item.pk: "recent" if item.code in recent else "older" if item.code in older else "none"
        for item in tool.items.all()
    }


def test_screening_scores_by_recency_and_maps_to_levels(cfs_practitioner, young_person) -> None:
    tool = RiskTool.objects.get()
    today = timezone.localdate()
    nothing = services.risk_assessment_create(
        actor=cfs_practitioner,
        young_person=young_person,
        tool=tool,
        assessed_on=today,
        answers=_answers(tool),
    )
    assert (nothing.score, nothing.level) == (0, "not_at_risk")
    # disclosure (5) recent x2 = 10, party_flats (4) recent x2 = 8 -> 18 = significant
    significant = services.risk_assessment_create(
        actor=cfs_practitioner,
        young_person=young_person,
        tool=tool,
        assessed_on=today,
        answers=_answers(tool, recent={"disclosure", "party_flats"}),
    )
    assert (significant.score, significant.level) == (18, "significant")
    # the same items seen longer ago count once: 9 = mild
    older = services.risk_assessment_create(
        actor=cfs_practitioner,
        young_person=young_person,
        tool=tool,
        assessed_on=today,
        answers=_answers(tool, older={"disclosure", "party_flats"}),
    )
    assert (older.score, older.level) == (9, "mild")
    assert older.reassessment_due == services._add_months(today, 3)


def test_override_needs_a_reason(cfs_practitioner, young_person) -> None:
    tool = RiskTool.objects.get()
    with pytest.raises(ValidationError) as error:
        services.risk_assessment_create(
            actor=cfs_practitioner,
            young_person=young_person,
            tool=tool,
            assessed_on=timezone.localdate(),
            answers=_answers(tool),
            override_level="moderate",
        )
    assert services.ERROR_OVERRIDE_REASON in str(error.value)
    overridden = services.risk_assessment_create(
        actor=cfs_practitioner,
        young_person=young_person,
        tool=tool,
        assessed_on=timezone.localdate(),
        answers=_answers(tool),
        override_level="moderate",
        override_reason="Disclosed to a teacher today.",
    )
    assert (overridden.calculated_level, overridden.level) == ("not_at_risk", "moderate")


def test_screening_through_the_form(cfs_practitioner, young_person) -> None:
    tool = RiskTool.objects.get()
    client = client_for(cfs_practitioner)
    url = reverse("cases:assessment_create", args=[young_person.pk])
    assert "Has said they were sexually assaulted or exploited" in client.get(url).content.decode()
    data = {f"item_{pk}": answer for pk, answer in _answers(tool, recent={"disclosure"}).items()}
    today = timezone.localdate()
    data.update(
        {
            "assessed_on_day": today.day,
            "assessed_on_month": today.month,
            "assessed_on_year": today.year,
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302
    detail = client.get(response["Location"]).content.decode()
    assert "Moderate risk" in detail and "Score history" in detail


def test_needs_attention_lists(cfs_practitioner, cfs_manager, young_person) -> None:
    now = timezone.now()
    for days_ago in (2, 9, 20):
        services.missing_episode_create(
            actor=cfs_practitioner,
            young_person=young_person,
            missing_from=now - dt.timedelta(days=days_ago, hours=5),
            located_at=now - dt.timedelta(days=days_ago),
            category="missing_low",
            placement_type="home",
        )
    tool = RiskTool.objects.get()
    services.risk_assessment_create(
        actor=cfs_practitioner,
        young_person=young_person,
        tool=tool,
        assessed_on=timezone.localdate() - dt.timedelta(days=100),
        answers=_answers(tool),
    )
    lists = attention_lists(user=cfs_practitioner)
    assert lists["return_overdue"].count() == 2  # the 2-day-old return is within 72 hours
    assert list(lists["repeat_missing"]) == [young_person]
    assert list(lists["reassessment_due"]) == [young_person]
    page = client_for(cfs_practitioner).get(reverse("cases:attention")).content.decode()
    assert "Kayleigh Testcase" in page

    sent = attention_alerts_notify_task.delay().get()
    assert sent == 1
    assert mail.outbox[0].to == [cfs_manager.email]
    assert "Kayleigh" not in mail.outbox[0].body  # counts only, no names by email


def test_one_episode_with_a_marker_is_repeat_missing(cfs_practitioner, young_person) -> None:
    services.marker_create(
        actor=cfs_practitioner,
        young_person=young_person,
        marker_type="suspected",
        start_date=timezone.localdate() - dt.timedelta(days=10),
        risk_level="moderate",
    )
    services.missing_episode_create(
        actor=cfs_practitioner,
        young_person=young_person,
        missing_from=timezone.now() - dt.timedelta(days=1),
        category="absent",
        placement_type="home",
    )
    assert list(attention_lists(user=cfs_practitioner)["repeat_missing"]) == [young_person]


def _assess(actor, young_person, *, days_ago: int, due_in: int):
    tool = RiskTool.objects.get()
    today = timezone.localdate()
    return services.risk_assessment_create(
        actor=actor,
        young_person=young_person,
        tool=tool,
        assessed_on=today - dt.timedelta(days=days_ago),
        answers=_answers(tool),
        reassessment_due=today + dt.timedelta(days=due_in),
    )


def _child(actor, first_name: str):
    return services.young_person_create(
        actor=actor,
        first_name=first_name,
        last_name="Second",
        date_of_birth=timezone.localdate() - dt.timedelta(days=15 * 365),
        sex="female",
    )


def _missing(actor, young_person, *, days_ago: int) -> None:
    services.missing_episode_create(
        actor=actor,
        young_person=young_person,
        missing_from=timezone.now() - dt.timedelta(days=days_ago, hours=5),
        located_at=timezone.now() - dt.timedelta(days=days_ago),
        category="missing_low",
        placement_type="home",
    )


def test_the_newest_assessment_decides_whether_a_reassessment_is_due(
    cfs_practitioner, young_person
) -> None:
    def due() -> list:
        return [
            (person, person.due)
            for person in attention_lists(user=cfs_practitioner)["reassessment_due"]
        ]

    today = timezone.localdate()
    _assess(cfs_practitioner, young_person, days_ago=200, due_in=-100)
    assert due() == [(young_person, today - dt.timedelta(days=100))]
    # A newer assessment not due yet replaces the lapsed one.
    _assess(cfs_practitioner, young_person, days_ago=10, due_in=80)
    assert due() == []
    # An older assessment recorded afterwards does not: the assessment date decides.
    _assess(cfs_practitioner, young_person, days_ago=50, due_in=-5)
    assert due() == []
    # Two on the same day: the one made last decides, either way.
    _assess(cfs_practitioner, young_person, days_ago=1, due_in=-1)
    assert due() == [(young_person, today - dt.timedelta(days=1))]
    _assess(cfs_practitioner, young_person, days_ago=1, due_in=30)
    assert due() == []
    _assess(cfs_practitioner, young_person, days_ago=1, due_in=0)
    assert due() == [(young_person, today)]
    assert attention_lists(user=cfs_practitioner)["reassessment_due"].count() == 1


def test_reassessments_due_today_come_first_one_row_per_child(
    cfs_practitioner, young_person
) -> None:
    other = _child(cfs_practitioner, "Amber")
    _assess(cfs_practitioner, young_person, days_ago=300, due_in=-200)
    _assess(cfs_practitioner, young_person, days_ago=100, due_in=-10)
    _assess(cfs_practitioner, other, days_ago=90, due_in=0)
    lists = attention_lists(user=cfs_practitioner)
    assert list(lists["reassessment_due"]) == [other, young_person]
    assert lists["reassessment_due"].count() == 2


def test_another_agencys_young_people_are_never_in_the_lists(
    cfs_practitioner, police_practitioner, young_person
) -> None:
    theirs = _child(police_practitioner, "Paige")
    for days_ago in (1, 3, 5):
        _missing(police_practitioner, theirs, days_ago=days_ago)
    _assess(police_practitioner, theirs, days_ago=100, due_in=-10)
    ours = attention_lists(user=cfs_practitioner)
    assert list(ours["repeat_missing"]) == [] and list(ours["reassessment_due"]) == []
    assert ours["repeat_missing"].count() == 0 and ours["reassessment_due"].count() == 0
    their_lists = attention_lists(user=police_practitioner)
    assert list(their_lists["repeat_missing"]) == [theirs]
    assert their_lists["repeat_missing"][0].recent_episodes == 3
    assert list(their_lists["reassessment_due"]) == [theirs]


def test_repeat_missing_counts_only_the_episodes_in_the_window(
    cfs_practitioner, young_person
) -> None:
    days = settings.CSE_REPEAT_MISSING_DAYS
    _missing(cfs_practitioner, young_person, days_ago=1)
    _missing(cfs_practitioner, young_person, days_ago=days - 2)
    _missing(cfs_practitioner, young_person, days_ago=days + 5)  # before the window
    assert list(attention_lists(user=cfs_practitioner)["repeat_missing"]) == []
    _missing(cfs_practitioner, young_person, days_ago=2)
    (listed,) = attention_lists(user=cfs_practitioner)["repeat_missing"]
    assert (listed, listed.recent_episodes, listed.has_marker) == (young_person, 3, False)
