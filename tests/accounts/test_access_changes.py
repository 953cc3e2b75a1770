"""Issue 13 item 1: nobody grants themselves access; every access change is seen.

Each test acts as an administrator would, through the admin site's pages where there is
one, and checks what the person can then open (not the code path taken).
"""

import datetime as dt
from collections.abc import Callable

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import NoReverseMatch, reverse

from accounts.models import PendingRoleGrant, User
from accounts.services import (
    ERROR_OWN_ACCESS,
    ERROR_OWN_GRANT,
    role_grant_approve,
    user_admin_save,
)
from audit.models import AccessEvent
from cases.services import young_person_create
from partnership.models import Agency, Committee
from partnership.roles import Role

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _change_url(user: User) -> str:
    return reverse("admin:accounts_user_change", args=[user.pk])


def _post_account(client: Client, user: User, **overrides: object) -> object:
    """POST the admin's change form for `user` as the page would send it."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "job_title": user.job_title,
        "agency": str(user.agency_id),
        "is_active": "on" if user.is_active else "",
        "roles": sorted(user.role_names()),
    }
    data.update(overrides)
    return client.post(_change_url(user), {k: v for k, v in data.items() if v != ""})


def _child(owner: User) -> object:
    return young_person_create(
        actor=owner,
        first_name="Ailsa",
        last_name="Testchild",
        date_of_birth=dt.date(2010, 4, 1),
        sex="female",
    )


@pytest.fixture
def second_admin(make_user: Callable[..., User]) -> User:
    return make_user("police", Role.ADMINISTRATOR, username="admin.two")


@pytest.fixture
def plain_user(make_user: Callable[..., User]) -> User:
    return make_user("nhs", username="nhs.newstarter")


def test_an_administrator_cannot_give_itself_a_role_or_move_itself(
    admin_user: User, cfs_practitioner: User, vap_chair: User
) -> None:
    child = _child(cfs_practitioner)
    police = Agency.objects.get(code="police")
    client = _client(admin_user)
    page = client.get(_change_url(admin_user)).content.decode()
    assert 'name="roles"' not in page and 'name="agency"' not in page

    response = _post_account(
        client, admin_user, roles=[Role.PRACTITIONER.value], agency=str(police.pk)
    )

    assert response.status_code == 302  # the other fields saved; access fields ignored
    admin_user.refresh_from_db()
    admin_user._role_names = None
    assert admin_user.role_names() == {Role.ADMINISTRATOR.value}
    assert admin_user.agency.code == "cfs"
    assert not PendingRoleGrant.objects.filter(user=admin_user).exists()
    detail = reverse("cases:young_person_detail", args=[child.pk])
    assert _client(admin_user).get(detail).status_code == 404
    # And the service refuses it whatever page calls it.
    with pytest.raises(PermissionDenied, match=ERROR_OWN_ACCESS):
        user_admin_save(actor=admin_user, user=admin_user, roles=[Role.PRACTITIONER])
    admin_user.is_active = False
    with pytest.raises(PermissionDenied, match=ERROR_OWN_ACCESS):
        user_admin_save(actor=admin_user, user=admin_user, roles=[Role.ADMINISTRATOR])


def test_superuser_and_direct_permissions_are_not_on_any_admin_form(
    admin_user: User, plain_user: User
) -> None:
    client = _client(admin_user)
    for url in (
        _change_url(plain_user),
        _change_url(admin_user),
        reverse("admin:accounts_user_add"),
    ):
        page = client.get(url).content.decode()
        for field in ("is_superuser", "user_permissions", "groups", "is_staff"):
            assert f'name="{field}"' not in page, (url, field)
    _post_account(client, plain_user, is_superuser="on", is_staff="on", groups=["1", "2"])
    plain_user.refresh_from_db()
    assert not plain_user.is_superuser and not plain_user.is_staff
    _post_account(client, admin_user, is_superuser="on")
    admin_user.refresh_from_db()
    assert not admin_user.is_superuser


def test_a_casework_role_waits_for_a_second_administrator(
    admin_user: User,
    second_admin: User,
    plain_user: User,
    cfs_practitioner: User,
    vap_chair: User,
    django_capture_on_commit_callbacks: Callable,
) -> None:
    child = _child(cfs_practitioner)
    cfs = Agency.objects.get(code="cfs")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = _post_account(
            _client(admin_user), plain_user, roles=[Role.PRACTITIONER.value], agency=str(cfs.pk)
        )

    assert response.status_code == 302
    plain_user.refresh_from_db()
    plain_user._role_names = None
    assert plain_user.role_names() == set()
    assert plain_user.agency == cfs
    grant = PendingRoleGrant.objects.get(user=plain_user)
    assert (grant.role, grant.status, grant.requested_by) == (
        Role.PRACTITIONER.value,
        "pending",
        admin_user,
    )
    detail = reverse("cases:young_person_detail", args=[child.pk])
    assert _client(plain_user).get(detail).status_code == 404

    # The asker cannot confirm it, through the admin's action or the service.
    changelist = reverse("admin:accounts_pendingrolegrant_changelist")
    _client(admin_user).post(changelist, {"action": "approve", "_selected_action": [grant.pk]})
    grant.refresh_from_db()
    assert grant.status == "pending"
    with pytest.raises(PermissionDenied, match=ERROR_OWN_GRANT):
        role_grant_approve(actor=admin_user, grant=grant)

    with django_capture_on_commit_callbacks(execute=True):
        _client(second_admin).post(
            changelist, {"action": "approve", "_selected_action": [grant.pk]}
        )

    grant.refresh_from_db()
    assert (grant.status, grant.decided_by) == ("approved", second_admin)
    assert _client(plain_user).get(detail).status_code == 200
    events = AccessEvent.objects.filter(object_type="accounts.user", object_id=plain_user.pk)
    asked = events.get(detail__admin_change="access changed")
    assert asked.user == admin_user
    assert asked.detail["before"]["agency"] == "nhs" and asked.detail["after"]["agency"] == "cfs"
    assert asked.detail["roles_asked_for"] == [Role.PRACTITIONER.value]
    granted = events.get(detail__admin_change=f"role granted: {Role.PRACTITIONER.value}")
    assert granted.user == second_admin
    assert granted.detail["before"]["roles"] == []
    assert granted.detail["after"]["roles"] == [Role.PRACTITIONER.value]
    to_chair = [m for m in mail.outbox if vap_chair.email in m.to]
    assert len(to_chair) == 2
    assert "nhs.newstarter" in to_chair[0].subject and "Ailsa" not in to_chair[0].body


def test_nobody_approves_a_grant_to_themselves(
    admin_user: User, second_admin: User, make_user: Callable[..., User]
) -> None:
    third = make_user("nhs", Role.ADMINISTRATOR, username="admin.three")
    grant = PendingRoleGrant.objects.create(
        user=second_admin, role=Role.MAOG_MEMBER.value, requested_by=admin_user
    )
    with pytest.raises(PermissionDenied, match=ERROR_OWN_GRANT):
        role_grant_approve(actor=second_admin, grant=grant)
    role_grant_approve(actor=third, grant=grant)
    second_admin._role_names = None
    assert second_admin.has_role(Role.MAOG_MEMBER)


def test_removing_access_and_other_roles_take_effect_at_once_and_are_audited(
    admin_user: User,
    cfs_practitioner: User,
    vap_chair: User,
    django_capture_on_commit_callbacks: Callable,
) -> None:
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _post_account(
            _client(admin_user),
            cfs_practitioner,
            roles=[Role.COMMITTEE_CLERK.value],
            is_active="",
        )
    cfs_practitioner.refresh_from_db()
    cfs_practitioner._role_names = None
    assert cfs_practitioner.role_names() == {Role.COMMITTEE_CLERK.value}
    assert not cfs_practitioner.is_active
    event = AccessEvent.objects.get(
        object_type="accounts.user", object_id=cfs_practitioner.pk, action="change"
    )
    assert event.detail["before"]["roles"] == [Role.PRACTITIONER.value]
    assert event.detail["after"]["roles"] == [Role.COMMITTEE_CLERK.value]
    assert event.detail["changed"] == ["is_active", "roles"]
    assert any(vap_chair.email in m.to for m in mail.outbox)


def test_agency_and_committee_edits_are_audited_with_before_and_after(
    admin_user: User, vap_chair: User, django_capture_on_commit_callbacks: Callable
) -> None:
    agency = Agency.objects.get(code="sacro")
    client = _client(admin_user)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:partnership_agency_change", args=[agency.pk]),
            {"code": "sacro", "name": agency.name, "short_name": "Sacro"},
        )
    event = AccessEvent.objects.get(object_type="partnership.agency", object_id=agency.pk)
    assert event.user == admin_user
    assert event.detail["before"]["short_name"] == "SACRO"
    assert event.detail["after"]["short_name"] == "Sacro"
    assert event.detail["changed"] == ["is_active", "short_name"]
    committee = Committee.objects.get(code="csp")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:partnership_committee_change", args=[committee.pk]),
            {
                "code": "csp",
                "name": committee.name,
                "report_by": "Someone else",
                "focus": "",
                # The meeting dates inline (none added here: see test_lifecycle_period).
                "meetings-TOTAL_FORMS": "0",
                "meetings-INITIAL_FORMS": "0",
            },
        )
    event = AccessEvent.objects.get(object_type="partnership.committee", object_id=committee.pk)
    assert event.detail["after"]["report_by"] == "Someone else"
    assert len([m for m in mail.outbox if vap_chair.email in m.to]) == 2
    client.post(
        reverse("admin:partnership_agency_add"),
        {"code": "newco", "name": "New Co", "short_name": "New", "is_active": "on"},
    )
    added = Agency.objects.get(code="newco")
    assert added.group is not None and added.group.name == "agency:newco"
    assert AccessEvent.objects.filter(
        object_type="partnership.agency", object_id=added.pk, action="create"
    ).exists()


def test_only_an_information_governance_officer_reads_the_access_log(
    make_user: Callable[..., User], admin_user: User, cfs_practitioner: User, nhs_practitioner: User
) -> None:
    child = _child(cfs_practitioner)
    _child(nhs_practitioner)
    ig = make_user("cfs", Role.IG_OFFICER, username="cfs.ig")
    superuser = make_user("cfs", username="root")
    superuser.is_superuser = superuser.is_staff = True
    superuser.save()
    url = reverse("agency_access_log")

    for reader in (admin_user, superuser, cfs_practitioner, make_user("cfs", Role.AGENCY_MANAGER)):
        assert _client(reader).get(url).status_code == 404, reader
    with pytest.raises(NoReverseMatch):
        reverse("admin:audit_accessevent_changelist")
    assert _client(superuser).get("/admin/audit/accessevent/").status_code == 404

    response = _client(ig).get(url)
    assert response.status_code == 200
    rows = list(response.context["events"])
    assert len(rows) == response.context["page"].paginator.count == 2  # the child, this view
    assert {event.agency_id for event in rows} == {ig.agency_id}
    assert any(e.object_type == "cases.youngperson" and e.object_id == child.pk for e in rows)
    assert AccessEvent.objects.filter(user=ig, object_type="audit.accessevent").count() == 1
    # The role reads no case content.
    assert _client(ig).get(reverse("cases:young_person_detail", args=[child.pk])).status_code == 404
    assert _client(ig).get(reverse("cases:young_person_list")).status_code in {403, 404}
    # The IG officer starts on the governance home (retention queue, access audit, SARs).
    assert _client(ig).get(reverse("home")).url == reverse("governance:home")


def test_an_account_added_in_the_admin_has_no_roles_and_is_audited(admin_user: User) -> None:
    nhs = Agency.objects.get(code="nhs")
    response = _client(admin_user).post(
        reverse("admin:accounts_user_add"),
        {
            "username": "nhs.added",
            "agency": str(nhs.pk),
            "password1": "a-long-enough-password-42",
            "password2": "a-long-enough-password-42",
        },
    )
    assert response.status_code == 302
    added = User.objects.get(username="nhs.added")
    assert added.agency == nhs and added.role_names() == set()
    assert not (added.is_staff or added.is_superuser)
    assert set(added.groups.values_list("name", flat=True)) == {"agency:nhs"}
    event = AccessEvent.objects.get(object_type="accounts.user", object_id=added.pk)
    assert (event.action, event.user, event.detail["after"]["agency"]) == (
        "create",
        admin_user,
        "nhs",
    )


def test_a_case_can_be_shared_with_an_agency_added_in_the_admin(
    admin_user: User, cfs_practitioner: User, cfs_manager: User, make_user: Callable[..., User]
) -> None:
    """Issue 19, item 10: an agency created in the admin gets its group, so sharing a case
    with it works (it used to answer 500) and its practitioners then open the case."""
    from cases.models import CaseShare

    _client(admin_user).post(
        reverse("admin:partnership_agency_add"),
        {"code": "newco", "name": "New Co", "short_name": "New", "is_active": "on"},
    )
    added = Agency.objects.get(code="newco")
    young_person = young_person_create(
        actor=cfs_practitioner,
        first_name="Shared",
        last_name="Across",
        sex="female",
        date_of_birth=dt.date(2011, 4, 5),
    )
    url = reverse("cases:young_person_detail", args=[young_person.pk])
    newcomer = _client(make_user("newco", Role.PRACTITIONER, username="newco.worker"))
    assert newcomer.get(url).status_code == 404
    response = _client(cfs_manager).post(  # sharing is for the owning agency's managers
        reverse("cases:share_create", args=[young_person.pk]),
        {"agency": added.pk, "lawful_basis": "child_protection", "reason": "Joint work"},
    )
    assert response.status_code == 302
    assert CaseShare.objects.filter(young_person=young_person, agency=added).exists()
    assert newcomer.get(url).status_code == 200
