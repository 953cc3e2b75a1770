"""The child's safety plan (issue 17): risks, protective actions with owners and dates, the
child's and carer's views, a review date that shows in My tasks; reviews kept as versions."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from cases.models import YoungPerson
from casework import permissions, safety_plan, selectors
from casework.safety_plan import PlanContent, ProtectiveAction
from tests.cases.conftest import client_for

pytestmark = pytest.mark.django_db


def _content(days: int = 28, owner: str = "Sam Social", actions: bool = True) -> PlanContent:
    today = timezone.localdate()
    return PlanContent(
        risks="Contact with older men near the bus station.",
        childs_views="Wants to stay at school.",
        carers_views="Worried about late nights.",
        review_on=today + dt.timedelta(days=days),
        actions=[
            ProtectiveAction("Collected from school daily", owner, today + dt.timedelta(days=7))
        ]
        if actions
        else [],
    )


def test_reviews_are_kept_as_versions(young_person: YoungPerson, cfs_practitioner: User) -> None:
    plan = safety_plan.safety_plan_create(
        actor=cfs_practitioner, young_person=young_person, content=_content()
    )
    safety_plan.safety_plan_review(actor=cfs_practitioner, plan=plan, content=_content(14, "Carer"))
    plan.refresh_from_db()
    assert plan.version == 2
    assert [a.owner for a in plan.actions.all()] == ["Carer"]
    versions = list(plan.history.order_by("history_date").values_list("version", flat=True))
    assert versions[0] == 1 and versions[-1] == 2
    # The first version's action is still in the history of actions.
    owners = set(plan.actions.model.history.values_list("owner", flat=True))
    assert owners == {"Sam Social", "Carer"}


def test_rules_and_access(
    young_person: YoungPerson, cfs_practitioner: User, police_practitioner: User
) -> None:
    with pytest.raises(ValidationError):
        safety_plan.safety_plan_create(
            actor=cfs_practitioner, young_person=young_person, content=_content(days=-1)
        )
    with pytest.raises(ValidationError):
        safety_plan.safety_plan_create(
            actor=cfs_practitioner, young_person=young_person, content=_content(actions=False)
        )
    plan = safety_plan.safety_plan_create(
        actor=cfs_practitioner, young_person=young_person, content=_content()
    )
    with pytest.raises(PermissionDenied):  # police do not see this child
        safety_plan.safety_plan_review(actor=police_practitioner, plan=plan, content=_content())
    assert not permissions.safety_plan_policy.visible_to(police_practitioner).exists()


def test_the_review_date_is_in_my_tasks(
    young_person: YoungPerson, cfs_practitioner: User, police_practitioner: User
) -> None:
    safety_plan.safety_plan_create(
        actor=cfs_practitioner, young_person=young_person, content=_content(3)
    )
    tasks = selectors.my_tasks(user=cfs_practitioner).agency_work
    reviews = [task for task in tasks if task.kind == "Safety plan review"]
    assert [task.due for task in reviews] == [timezone.localdate() + dt.timedelta(days=3)]
    police_tasks = selectors.my_tasks(user=police_practitioner).agency_work
    assert not [task for task in police_tasks if task.kind == "Safety plan review"]


def test_pages_show_versions_and_answer_404_outside_reach(
    young_person: YoungPerson, cfs_practitioner: User, police_practitioner: User
) -> None:
    plan = safety_plan.safety_plan_create(
        actor=cfs_practitioner, young_person=young_person, content=_content()
    )
    safety_plan.safety_plan_review(actor=cfs_practitioner, plan=plan, content=_content(14, "Carer"))
    page = client_for(cfs_practitioner).get(reverse("casework:safety_plan_detail", args=[plan.pk]))
    assert page.status_code == 200
    assert "Version 1" in page.content.decode() and "Version 2" in page.content.decode()
    police = client_for(police_practitioner)
    assert police.get(reverse("casework:safety_plan_detail", args=[plan.pk])).status_code == 404
    assert (
        police.get(reverse("casework:safety_plan_list", args=[young_person.pk])).status_code == 404
    )


def _queries(user: User, path: str) -> int:
    client = client_for(user)
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_safety_plan_list_runs_a_constant_number_of_queries(
    young_person: YoungPerson, cfs_practitioner: User
) -> None:
    safety_plan.safety_plan_create(
        actor=cfs_practitioner, young_person=young_person, content=_content()
    )
    path = reverse("casework:safety_plan_list", args=[young_person.pk])
    few = _queries(cfs_practitioner, path)
    for days in (5, 9, 30):
        safety_plan.safety_plan_create(
            actor=cfs_practitioner, young_person=young_person, content=_content(days)
        )
    assert _queries(cfs_practitioner, path) == few
