"""Multi-agency meetings: a CPPM or the meeting the repeat-missing alert asks for, which
answers the alert (it leaves "My tasks"); in the chronology; out of reach is 404."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from cases import services as case_services
from cases.models import MissingEpisode, YoungPerson
from casework import selectors, services
from casework.models import Meeting
from tests.cases.conftest import client_for, date_fields

pytestmark = pytest.mark.django_db


def _episodes(actor: User, young_person: YoungPerson, count: int = 3) -> list[MissingEpisode]:
    now = timezone.now()
    return [
        case_services.missing_episode_create(
            actor=actor,
            young_person=young_person,
            missing_from=now - dt.timedelta(days=2 + 3 * number),
            located_at=now - dt.timedelta(days=1 + 3 * number),
            category="missing_medium",
            placement_type="home",
        )
        for number in range(count)
    ]


def test_the_meeting_answers_the_repeat_missing_alert(
    young_person: YoungPerson, cfs_practitioner: User
) -> None:
    episodes = _episodes(cfs_practitioner, young_person)
    alerts = [
        t
        for t in selectors.my_tasks(user=cfs_practitioner).agency_work
        if t.kind == "Repeat-missing alert"
    ]
    assert len(alerts) == 1 and "?type=repeat_missing" in alerts[0].url
    client = client_for(cfs_practitioner)
    form = client.get(alerts[0].url).content.decode()
    assert 'value="repeat_missing"' in form and "checked" in form
    data = {
        **date_fields("held_at", timezone.now() - dt.timedelta(hours=1)),
        "meeting_type": "repeat_missing",
        "participants": "Sam Social (CFS)\nDC Reid (police)",
        "childs_views": "Says she feels safer at her gran's.",
        "decisions": "Safety plan; return discussions by the same worker.",
        "missing_episodes": [str(e.pk) for e in episodes],
    }
    response = client.post(reverse("casework:meeting_create", args=[young_person.pk]), data)
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert set(meeting.missing_episodes.all()) == set(episodes)
    assert not [
        t
        for t in selectors.my_tasks(user=cfs_practitioner).agency_work
        if t.kind == "Repeat-missing alert"
    ]
    page = client.get(response["Location"]).content.decode()
    assert "Answers the repeat-missing alert" in page


def test_a_meeting_of_another_agency_answers_404_and_shows_in_the_chronology(
    young_person: YoungPerson, cfs_practitioner: User, nhs_practitioner: User
) -> None:
    meeting = services.meeting_create(
        actor=cfs_practitioner,
        young_person=young_person,
        meeting_type=Meeting.MeetingType.CPPM,
        held_at=timezone.now() - dt.timedelta(days=1),
        participants="Core group",
        decisions="Register the child.",
    )
    url = reverse("casework:meeting_detail", args=[meeting.pk])
    assert client_for(nhs_practitioner).get(url).status_code == 404
    assert client_for(cfs_practitioner).get(url).status_code == 200
    events = selectors.conference_chronology(
        user=cfs_practitioner,
        young_person=young_person,
        filters=selectors.ChronologyFilters(significant_only=True),
    )
    assert [e.title for e in events if e.kind == "Meeting"] == ["Child Protection Planning Meeting"]
