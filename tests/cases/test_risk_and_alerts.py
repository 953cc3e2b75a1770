import datetime as dt

import pytest
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
