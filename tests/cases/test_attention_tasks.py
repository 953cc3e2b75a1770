"""Issue 19, item 5 and the return-discussion clock: "Needs attention" is a task list by
urgency with tags and humane durations; a declined discussion is not overdue; an edit does
not move the clock."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import MissingEpisode
from cases.templatetags.case_labels import humane_hours
from tests.cases.conftest import client_for

pytestmark = pytest.mark.django_db


def _episode(actor, young_person, *, returned_hours_ago: int, **extra) -> MissingEpisode:
    now = timezone.now()
    return services.missing_episode_create(
        actor=actor,
        young_person=young_person,
        missing_from=now - dt.timedelta(hours=returned_hours_ago + 5),
        located_at=now - dt.timedelta(hours=returned_hours_ago),
        category=MissingEpisode.Category.MISSING_LOW,
        placement_type="home",
        **extra,
    )


@pytest.mark.parametrize(
    ("hours", "said"),
    [
        (1, "1 hour"),
        (50, "50 hours"),
        (95, "95 hours"),
        (96, "4 days"),
        (24 * 20, "2 weeks"),
        (24 * 100, "3 months"),
        (18823, "2 years"),
    ],
)
def test_durations_read_as_people_say_them(hours: int, said: str) -> None:
    assert humane_hours(hours) == said


def test_attention_is_a_task_list_most_recent_return_first_with_tags(
    cfs_practitioner, young_person
) -> None:
    older = _episode(cfs_practitioner, young_person, returned_hours_ago=24 * 30)
    recent = _episode(cfs_practitioner, young_person, returned_hours_ago=100)
    page = client_for(cfs_practitioner).get(reverse("cases:attention")).content.decode()
    group = page.split('id="return-overdue"')[1].split("</ul>")[0]
    assert "govuk-task-list__item" in group
    order = re.findall(r"/missing/(\d+)/", group)
    assert order == [str(recent.pk), str(older.pk)]
    assert "Overdue by 28 hours" in group  # 100 hours since return, target 72
    assert "Overdue by 3 weeks" in group  # 27 days past the target
    assert "(2)" in page.split('id="return-overdue"')[1][:200]


def test_a_declined_discussion_is_not_overdue_and_an_edit_does_not_move_the_clock(
    cfs_practitioner, young_person
) -> None:
    client = client_for(cfs_practitioner)
    episode = _episode(cfs_practitioner, young_person, returned_hours_ago=200)
    completed_at = episode.located_at + dt.timedelta(hours=10)
    services.missing_episode_update(
        actor=cfs_practitioner,
        instance=episode,
        expected_version=episode.version,
        changes={"return_discussion": "completed", "rd_completed_at": completed_at},
    )
    page = client.get(reverse("cases:missing_detail", args=[episode.pk])).content.decode()
    assert "completed 10 hours after return" in page
    episode.refresh_from_db()
    services.missing_episode_update(
        actor=cfs_practitioner,
        instance=episode,
        expected_version=episode.version,
        changes={"where_found": "At a friend's"},
    )
    page = client.get(reverse("cases:missing_detail", args=[episode.pk])).content.decode()
    assert "completed 10 hours after return" in page  # the save did not move the clock

    declined = _episode(cfs_practitioner, young_person, returned_hours_ago=300)
    services.missing_episode_update(
        actor=cfs_practitioner,
        instance=declined,
        expected_version=declined.version,
        changes={"return_discussion": "declined", "rd_declined_reason": "Did not want to talk"},
    )
    person_page = client.get(
        reverse("cases:young_person_detail", args=[young_person.pk])
    ).content.decode()
    declined_row = person_page.split(f"/missing/{declined.pk}/")[1].split("</tr>")[0]
    assert "Overdue" not in declined_row
    attention = client.get(reverse("cases:attention")).content.decode()
    assert f"/missing/{declined.pk}/" not in attention
