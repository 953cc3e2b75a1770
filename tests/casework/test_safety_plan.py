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
from casework.case_life_forms import ERROR_ACTION_DUE, ERROR_ACTION_OWNER
from casework.safety_plan import PlanContent, ProtectiveAction
from tests.cases.conftest import client_for, date_fields

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


def _management(total: int = 4, initial: int = 0) -> dict[str, str]:
    return {
        "actions-TOTAL_FORMS": str(total),
        "actions-INITIAL_FORMS": str(initial),
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "4",
    }


def test_the_plan_form_writes_a_plan_and_says_what_is_missing_by_the_field(
    young_person: YoungPerson, cfs_practitioner: User
) -> None:
    client = client_for(cfs_practitioner)
    url = reverse("casework:safety_plan_create", args=[young_person.pk])
    review_on = timezone.localdate() + dt.timedelta(days=28)
    data = {
        **_management(),
        "risks": "Older men at the bus station.",
        **date_fields("review_on", review_on),
        "actions-0-description": "Collected from school daily",
    }
    refused = client.post(url, data)
    assert refused.status_code == 200
    row = refused.context["rows"].forms[0]
    assert row.errors["owner"] == [ERROR_ACTION_OWNER]
    assert row.errors["due_on"] == [ERROR_ACTION_DUE]
    assert not permissions.safety_plan_policy.visible_to(cfs_practitioner).exists()

    data.update({"actions-0-owner": "Carer", **date_fields("actions-0-due_on", review_on)})
    response = client.post(url, data)
    assert response.status_code == 302
    plan = permissions.safety_plan_policy.visible_to(cfs_practitioner).get(
        young_person=young_person
    )
    assert plan.owner_agency_id == cfs_practitioner.agency_id and plan.version == 1
    assert [a.owner for a in plan.actions.all()] == ["Carer"]

    # No action at all: the service's message, next to the risks.
    empty = client.post(url, {**_management(), "risks": "x", **date_fields("review_on", review_on)})
    assert empty.context["form"].errors["risks"] == [safety_plan.ERROR_NO_ACTIONS]


def test_a_review_saves_the_next_version_and_only_the_owner_may_review(
    young_person: YoungPerson, cfs_practitioner: User, nhs_practitioner: User
) -> None:
    plan = safety_plan.safety_plan_create(
        actor=cfs_practitioner, young_person=young_person, content=_content()
    )
    url = reverse("casework:safety_plan_review", args=[plan.pk])
    assert client_for(nhs_practitioner).get(url).status_code == 404  # not shared with health
    client = client_for(cfs_practitioner)
    page = client.get(url)
    assert page.context["form"].initial["risks"] == plan.risks
    assert page.context["rows"].forms[0].initial["owner"] == "Sam Social"
    later = timezone.localdate() + dt.timedelta(days=56)
    response = client.post(
        url,
        {
            **_management(),
            "risks": "Risks now lower: no contact for a month.",
            **date_fields("review_on", later),
            "actions-0-description": "Weekly check-in at school",
            "actions-0-owner": "Guidance teacher",
            **date_fields("actions-0-due_on", later),
        },
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.version == 2 and plan.review_on == later
    assert [a.description for a in plan.actions.all()] == ["Weekly check-in at school"]
    assert plan.history.count() >= 2
