"""The IRD action plan across agencies and "My tasks": who sees and completes an action, the
team view, the header count, and a constant number of queries whatever the rows."""

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.services import user_set_roles
from audit.models import AccessEvent
from cases import services as case_services
from cases.models import YoungPerson
from casework import permissions, selectors, services
from casework.models import Ird, IrdAction
from partnership.models import Agency
from partnership.roles import Role
from tests.cases.conftest import client_for, date_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def health_ird(make_ird: Callable[..., Ird], young_person: YoungPerson) -> Ird:
    """An IRD that health did not take part in (police and CFS only)."""
    return make_ird(young_person, participants=("police",))


def test_a_colleague_in_another_agency_sees_and_completes_their_action(
    health_ird: Ird,
    make_action: Callable[..., IrdAction],
    nhs_practitioner: User,
) -> None:
    action = make_action(health_ird, to=nhs_practitioner)
    client = client_for(nhs_practitioner)
    tasks = client.get(reverse("casework:my_tasks")).content.decode()
    assert "Check school attendance" in tasks
    page = client.get(reverse("casework:action_detail", args=[action.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    # The action, not the IRD: no child's name, no concerns, no link (see permissions.py).
    assert health_ird.young_person.last_name not in text
    assert health_ird.concerns not in text
    assert reverse("casework:ird_detail", args=[health_ird.pk]) not in text
    assert client.get(reverse("casework:ird_detail", args=[health_ird.pk])).status_code == 404
    # The view of the action is logged without naming the child the user may not see.
    event = AccessEvent.objects.get(object_type="casework.irdaction", action="view")
    assert event.detail == {}

    response = client.post(
        reverse("casework:action_complete", args=[action.pk]), {"note": "Attendance 62%."}
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.completed_by == nhs_practitioner and action.completion_note == "Attendance 62%."
    assert (
        "Check school attendance" not in client.get(reverse("casework:my_tasks")).content.decode()
    )
    assert action.history.count() == 2


def test_an_action_of_another_agency_answers_404(
    health_ird: Ird,
    make_action: Callable[..., IrdAction],
    police_practitioner: User,
    make_user: Callable[..., User],
) -> None:
    education = make_user("education", Role.PRACTITIONER)
    action = make_action(health_ird, to=police_practitioner)
    client = client_for(education)
    for name in ("casework:action_detail", "casework:action_complete"):
        url = reverse(name, args=[action.pk])
        assert client.get(url).status_code == 404
    assert client.post(url, {"note": "done"}).status_code == 404
    action.refresh_from_db()
    assert action.completed_at is None
    assert "Check school" not in client.get(reverse("casework:my_tasks")).content.decode()


def test_a_colleague_who_sees_an_action_but_was_not_given_it_cannot_complete_it(
    health_ird: Ird,
    make_action: Callable[..., IrdAction],
    nhs_practitioner: User,
    police_practitioner: User,
) -> None:
    # Police took part, so they see the IRD and its plan, but the action is health's.
    action = make_action(health_ird, to=nhs_practitioner)
    client = client_for(police_practitioner)
    assert client.get(reverse("casework:action_detail", args=[action.pk])).status_code == 200
    url = reverse("casework:action_complete", args=[action.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"note": "x"}).status_code == 403


def test_an_action_for_an_agency_is_everyones_in_it(
    health_ird: Ird,
    make_action: Callable[..., IrdAction],
    nhs_practitioner: User,
) -> None:
    action = make_action(health_ird, agency_code="nhs")
    tasks = selectors.my_tasks(user=nhs_practitioner)
    assert [task.action_id for task in tasks.actions] == [action.pk]
    assert permissions.ird_action_policy.can_complete(nhs_practitioner, action)


def test_the_person_named_must_work_for_the_agency(
    health_ird: Ird, cfs_practitioner: User, nhs_practitioner: User
) -> None:
    with pytest.raises(services.ValidationError) as error:
        services.ird_action_create(
            actor=cfs_practitioner,
            ird=health_ird,
            description="x",
            agency=Agency.objects.get(code="police"),
            assigned_to=nhs_practitioner,
            due_on=timezone.localdate(),
        )
    assert error.value.message_dict["assigned_to"] == [services.ERROR_ASSIGNEE_AGENCY]


def test_only_the_owning_agency_adds_actions(
    health_ird: Ird, police_practitioner: User, cfs_practitioner: User, nhs_practitioner: User
) -> None:
    url = reverse("casework:action_create", args=[health_ird.pk])
    assert client_for(police_practitioner).get(url).status_code == 403  # sees it, may not edit
    data = {
        "description": "Arrange a health assessment.",
        "agency": str(nhs_practitioner.agency_id),
        "assigned_to": str(nhs_practitioner.pk),
        **date_fields("due_on", timezone.localdate() + dt.timedelta(days=3)),
    }
    response = client_for(cfs_practitioner).post(url, data)
    assert response.status_code == 302
    assert IrdAction.objects.get().assigned_to == nhs_practitioner


def test_overdue_actions_are_tagged_and_come_first(
    health_ird: Ird,
    make_action: Callable[..., IrdAction],
    nhs_practitioner: User,
) -> None:
    make_action(health_ird, to=nhs_practitioner, days=5)
    late = make_action(health_ird, to=nhs_practitioner, days=-2)
    tasks = selectors.my_tasks(user=nhs_practitioner)
    assert [task.action_id for task in tasks.actions][0] == late.pk
    assert [task.overdue for task in tasks.actions] == [True, False]
    page = client_for(nhs_practitioner).get(reverse("casework:my_tasks")).content.decode()
    assert "Overdue" in page


def test_the_manager_sees_the_teams_actions(
    health_ird: Ird,
    make_action: Callable[..., IrdAction],
    police_practitioner: User,
    police_manager: User,
) -> None:
    make_action(health_ird, to=police_practitioner)
    assert selectors.my_tasks(user=police_manager).actions == []
    team = selectors.my_tasks(user=police_manager, team=True)
    assert len(team.actions) == 1 and team.team
    # A practitioner asking for the team view gets their own list.
    assert not selectors.my_tasks(user=police_practitioner, team=True).team


def test_the_header_shows_the_count(
    health_ird: Ird,
    make_action: Callable[..., IrdAction],
    nhs_practitioner: User,
) -> None:
    make_action(health_ird, to=nhs_practitioner)
    make_action(health_ird, agency_code="nhs")
    page = client_for(nhs_practitioner).get(reverse("home"), follow=True).content.decode()
    assert 'data-testid="my-tasks-count">2<' in page


def test_return_discussions_and_reassessments_due_are_listed(
    young_person: YoungPerson, cfs_practitioner: User
) -> None:
    now = timezone.now()
    case_services.missing_episode_create(
        actor=cfs_practitioner,
        young_person=young_person,
        missing_from=now - dt.timedelta(days=5),
        located_at=now - dt.timedelta(days=4),
        category="missing_medium",
        placement_type="home",
    )
    tasks = selectors.my_tasks(user=cfs_practitioner)
    kinds = [task.kind for task in tasks.agency_work]
    assert kinds == ["Return discussion"]
    assert tasks.agency_work[0].overdue  # 72 hours passed


def test_people_without_casework_have_no_task_page(clerk: User) -> None:
    assert client_for(clerk).get(reverse("casework:my_tasks")).status_code == 404


def _queries(user: User, path: str) -> int:
    client = client_for(user)
    client.get(path)  # warm the session and anything cached per process
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_the_task_list_runs_a_constant_number_of_queries(
    make_ird: Callable[..., Ird],
    young_person: YoungPerson,
    make_action: Callable[..., IrdAction],
    cfs_practitioner: User,
    nhs_practitioner: User,
    make_user: Callable[..., User],
) -> None:
    nhs_manager = make_user("nhs", Role.AGENCY_MANAGER)
    ird = make_ird(young_person, participants=("police",))
    make_action(ird, to=nhs_practitioner)
    make_action(ird, agency_code="nhs")
    path = reverse("casework:my_tasks")
    few = _queries(nhs_practitioner, path)
    few_team = _queries(nhs_manager, path + "?view=team")
    for number in range(12):
        other = case_services.young_person_create(
            actor=cfs_practitioner,
            first_name="Child",
            last_name=f"Number{number}",
            date_of_birth=timezone.localdate() - dt.timedelta(days=13 * 365),
            sex="female",
        )
        make_action(make_ird(other, participants=("nhs",)), to=nhs_practitioner, days=number - 3)
    assert len(selectors.my_tasks(user=nhs_practitioner).actions) == 14
    assert _queries(nhs_practitioner, path) == few
    assert _queries(nhs_manager, path + "?view=team") == few_team


def test_an_action_is_completed_once(
    health_ird: Ird,
    make_action: Callable[..., IrdAction],
    nhs_practitioner: User,
    cfs_practitioner: User,
) -> None:
    action = make_action(health_ird, to=nhs_practitioner)
    services.ird_action_complete(actor=nhs_practitioner, action=action, note="done")
    with pytest.raises(services.ValidationError) as error:
        services.ird_action_complete(actor=cfs_practitioner, action=action, note="again")
    assert error.value.messages == [services.ERROR_ALREADY_COMPLETED]
    action.refresh_from_db()
    assert action.completed_by == nhs_practitioner and action.completion_note == "done"
    # A completed action has no completion page any more (it says so with a 403).
    url = reverse("casework:action_complete", args=[action.pk])
    assert client_for(nhs_practitioner).get(url).status_code == 403


def test_the_header_count_follows_actions_and_roles(
    make_ird: Callable[..., Ird],
    make_action: Callable[..., IrdAction],
    young_person: YoungPerson,
    nhs_practitioner: User,
    make_user: Callable[..., User],
) -> None:
    """The count runs a statement compiled once per user (cases.selectors.compiled,
    compiled_count): it still reads the actions on every page, and a change of role is a
    new statement."""
    ird = make_ird(young_person, participants=("police",))

    def both(user: User) -> tuple[int, int]:
        return selectors.my_task_count(user=user), selectors._open_actions(user, team=False).count()

    assert both(nhs_practitioner) == (0, 0)
    action = make_action(ird, to=nhs_practitioner)
    make_action(ird, agency_code="nhs")
    assert both(nhs_practitioner) == (2, 2)
    colleague = make_user("nhs", Role.PRACTITIONER, username="nhs.colleague")
    assert both(colleague) == (1, 1)  # the agency's action with nobody named
    services.ird_action_complete(actor=nhs_practitioner, action=action, note="Done")
    assert both(nhs_practitioner) == (1, 1)
    # No case work, no task: a role taken away is a new statement (or none).
    user_set_roles(actor=None, user=nhs_practitioner, roles=[Role.COMMITTEE_CLERK])
    nhs_practitioner._role_names = None
    assert both(nhs_practitioner) == (0, 0)
    page = client_for(colleague).get(reverse("cases:referral_list")).content.decode()
    assert 'data-testid="my-tasks-count">1<' in page
