"""The permission policies (partnership/policy.py, cases/permissions.py, actions/permissions.py)
and the places that ask them (navigation, home-page counts). Expectations are written out per
persona, not recomputed from the rules."""

import datetime as dt
from collections.abc import Callable

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser, Group
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from actions import permissions as plan_permissions
from actions.models import ActionItem
from cases import permissions, selectors, services
from cases.models import Referral, RiskAssessment, YoungPerson
from partnership.models import Agency
from partnership.navigation import navigation_for
from partnership.policy import (
    EDIT,
    REVOKE,
    SHARE,
    VIEW,
    PermissionPolicy,
    policy_for,
    registered_policies,
)
from partnership.roles import Role, role_model_permissions
from tests.factories import ReferralFactory, YoungPersonFactory

pytestmark = pytest.mark.django_db


def _referral(young_person: YoungPerson, owner: Agency, **fields: object) -> Referral:
    return ReferralFactory(
        young_person=young_person,
        owner_agency=owner,
        received_on=timezone.localdate() - dt.timedelta(days=2),
        **fields,
    )


@pytest.fixture
def world(
    cfs_practitioner: User, cfs_manager: User, police_practitioner: User
) -> dict[str, object]:
    """A CFS case shared with Police, a CFS case not shared, and a Police referral about the
    shared case (Police owns that record, CFS owns the case)."""
    cfs, police = cfs_practitioner.agency, police_practitioner.agency
    shared = YoungPersonFactory(owner_agency=cfs, created_by=cfs_practitioner)
    private = YoungPersonFactory(owner_agency=cfs, created_by=cfs_practitioner)
    services.case_share(
        actor=cfs_manager,
        young_person=shared,
        agency=police,
        lawful_basis="child_protection",
        reason="Joint investigation",
    )
    return {
        "shared": shared,
        "private": private,
        "cfs_on_shared": _referral(shared, cfs),
        "cfs_on_private": _referral(private, cfs),
        "police_on_shared": _referral(shared, police, created_by=police_practitioner),
    }


def test_young_person_policy_per_persona(
    world: dict,
    cfs_practitioner: User,
    cfs_manager: User,
    police_practitioner: User,
    police_manager: User,
    vap_chair: User,
    clerk: User,
    admin_user: User,
) -> None:
    policy = permissions.young_person_policy
    shared, private = world["shared"], world["private"]
    assert set(policy.visible_to(cfs_practitioner)) == {shared, private}
    assert set(policy.visible_to(police_practitioner)) == {shared}
    for outsider in (vap_chair, clerk, admin_user):
        assert not policy.visible_to(outsider).exists()
        with pytest.raises(Http404):
            policy.get_for_user_or_404(outsider, shared.pk)
    with pytest.raises(Http404):
        policy.get_for_user_or_404(police_practitioner, private.pk)
    assert policy.get_for_user_or_404(police_practitioner, shared.pk) == shared
    # Editing is the owner's; sharing and revoking the owner's managers'.
    assert policy.check(cfs_practitioner, EDIT, shared)
    assert not policy.check(police_practitioner, EDIT, shared)
    assert policy.check(cfs_manager, SHARE, shared) and policy.check(cfs_manager, REVOKE, shared)
    for user in (cfs_practitioner, police_manager, police_practitioner):
        assert not policy.check(user, SHARE, shared)
        assert not policy.check(user, REVOKE, shared)


def test_case_record_policy_per_persona(
    world: dict, cfs_practitioner: User, police_practitioner: User, nhs_practitioner: User
) -> None:
    policy = permissions.referral_policy
    assert set(policy.visible_to(cfs_practitioner)) == {
        world["cfs_on_shared"],
        world["cfs_on_private"],
        world["police_on_shared"],  # about CFS's own case
    }
    assert set(policy.visible_to(police_practitioner)) == {
        world["cfs_on_shared"],
        world["police_on_shared"],
    }
    assert not policy.visible_to(nhs_practitioner).exists()
    with pytest.raises(Http404):
        policy.get_for_user_or_404(police_practitioner, world["cfs_on_private"].pk)
    # Only the agency that owns a record edits it, even on its own case.
    assert policy.check(police_practitioner, EDIT, world["police_on_shared"])
    assert not policy.check(cfs_practitioner, EDIT, world["police_on_shared"])
    assert not policy.check(police_practitioner, EDIT, world["cfs_on_shared"])
    # Records travel with the case: never shared on their own.
    assert not policy.check(cfs_practitioner, SHARE, world["cfs_on_shared"])
    assert set(policy.instances_user_has_permission_for(police_practitioner, EDIT)) == {
        world["police_on_shared"]
    }


def test_the_parts_of_a_list_add_up_to_the_list(
    world: dict, cfs_practitioner: User, police_practitioner: User
) -> None:
    """Counts add the disjoint parts; they must be the list, with nothing counted twice."""
    for user in (cfs_practitioner, police_practitioner):
        for policy in (permissions.young_person_policy, permissions.referral_policy):
            parts: list[QuerySet] = policy.visible_parts(user)
            ids = [pk for part in parts for pk in part.values_list("pk", flat=True)]
            assert len(ids) == len(set(ids))
            assert set(ids) == set(policy.visible_to(user).values_list("pk", flat=True))


def test_an_assessment_is_never_edited(world: dict, cfs_practitioner: User) -> None:
    assessment = RiskAssessment(young_person=world["shared"], owner_agency=cfs_practitioner.agency)
    assert not permissions.risk_assessment_policy.check(cfs_practitioner, EDIT, assessment)
    assert not permissions.risk_assessment_policy.user_has_permission(cfs_practitioner, EDIT)


def test_every_registered_policy_refuses_anonymous_and_deactivated_users(
    world: dict, make_user: Callable[..., User]
) -> None:
    everything = make_user(
        "cfs",
        Role.PRACTITIONER,
        Role.AGENCY_MANAGER,
        Role.MAOG_MEMBER,
        Role.VAP_CHAIR,
        username="deactivated.everything",
    )
    everything.is_active = False
    everything.save()
    policies = registered_policies()
    assert {"cases.youngperson", "cases.referral", "actions.actionitem"} <= set(policies)
    for label, policy in policies.items():
        assert set(policy.actions) >= {VIEW, EDIT, SHARE, REVOKE}, label
        for user in (AnonymousUser(), everything):
            assert not policy.visible_to(user).exists(), label  # type: ignore[arg-type]
            for action in policy.actions:
                assert not policy.user_has_permission(user, action), (label, action)  # type: ignore[arg-type]


def test_every_record_type_has_a_registered_policy() -> None:
    """A record about people (owned by an agency, with field history) that no policy covers
    would be decided nowhere: registering its policy is what puts it in navigation, role
    permissions and the authorization matrix (tests/security/test_authorization_matrix.py)."""
    record_types = {
        model._meta.label_lower
        for model in apps.get_models()
        if hasattr(model, "history")
        and any(field.name == "owner_agency" for field in model._meta.concrete_fields)
    }
    assert "cases.referral" in record_types and "maog.intelligence" in record_types
    missing = record_types - set(registered_policies())
    assert not missing, f"register a permission policy for: {sorted(missing)}"
    for label, policy in registered_policies().items():
        assert policy.model._meta.label_lower == label


def test_role_permissions_come_from_the_policies(db: None) -> None:
    """Each role's group carries what the policies allow the role alone, and nothing about a
    record type that the policies do not allow it (synchronised after migrating)."""

    def group_permissions(role: Role) -> set[str]:
        group = Group.objects.get(name=role.value)
        return {
            f"{app}.{codename}"
            for app, codename in group.permissions.values_list(
                "content_type__app_label", "codename"
            )
        }

    for role in Role:
        assert group_permissions(role) == role_model_permissions(role), role
    practitioner = group_permissions(Role.PRACTITIONER)
    assert {"cases.view_referral", "cases.change_referral", "maog.view_personofconcern"} <= (
        practitioner
    )
    assert not {"maog.view_intelligence", "cases.add_caseshare", "actions.view_actionitem"} & (
        practitioner
    )
    assert "cases.change_riskassessment" not in practitioner  # assessments are never edited
    assert "cases.add_riskassessment" in practitioner
    maog_member = group_permissions(Role.MAOG_MEMBER)
    assert {"maog.view_intelligence", "maog.change_intelligence", "maog.view_link"} <= maog_member
    manager = group_permissions(Role.AGENCY_MANAGER)
    assert {"cases.add_caseshare", "cases.delete_caseshare", "maog.add_personshare"} <= manager
    assert "maog.view_intelligence" not in manager
    for role in (Role.VAP_CHAIR, Role.COMMITTEE_CLERK, Role.ADMINISTRATOR, Role.IG_OFFICER):
        opened = {p for p in group_permissions(role) if p.startswith(("cases.", "maog."))}
        assert not opened, (role, opened)


def test_a_policy_that_does_not_say_yes_says_no(world: dict, cfs_practitioner: User) -> None:
    class ReadOnly(PermissionPolicy[YoungPerson]):
        model = YoungPerson

        def visible_to(self, user: object) -> QuerySet[YoungPerson]:  # type: ignore[override]
            return YoungPerson.objects.all()

    policy, record = ReadOnly(), world["shared"]
    assert policy.check(cfs_practitioner, VIEW, record)
    for action in (EDIT, SHARE, REVOKE):
        assert not policy.check(cfs_practitioner, action, record)
        assert not policy.user_has_permission(cfs_practitioner, action)
    assert not policy.instances_user_has_permission_for(cfs_practitioner, EDIT).exists()
    with pytest.raises(ValueError, match="knows no action"):
        policy.check(cfs_practitioner, "delete", record)
    for junk in ("abc", None, 10**12):
        with pytest.raises(Http404):
            policy.get_for_user_or_404(cfs_practitioner, junk)


def test_action_plan_policies(
    db: None, vap_chair: User, cfs_manager: User, cfs_practitioner: User, clerk: User
) -> None:
    items = plan_permissions.action_item_policy
    led_by_cfs = ActionItem.objects.filter(lead_agencies=cfs_manager.agency_id).first()
    not_led_by_cfs = ActionItem.objects.exclude(lead_agencies=cfs_manager.agency_id).first()
    assert led_by_cfs is not None and not_led_by_cfs is not None
    assert items.visible_to(cfs_manager).count() == ActionItem.objects.count()
    assert not items.visible_to(cfs_practitioner).exists()
    assert items.check(vap_chair, EDIT, not_led_by_cfs)
    assert items.check(cfs_manager, EDIT, led_by_cfs)
    assert not items.check(cfs_manager, EDIT, not_led_by_cfs)
    with pytest.raises(Http404):
        items.get_by_number_or_404(cfs_manager, not_led_by_cfs.number, action=EDIT)
    with pytest.raises(Http404):
        items.get_by_number_or_404(clerk, led_by_cfs.number)
    activity = plan_permissions.activity_policy
    assert activity.user_has_permission(cfs_practitioner, EDIT)
    assert not activity.user_has_permission(cfs_practitioner, VIEW)
    assert activity.user_has_permission(vap_chair, VIEW)


def _nav_labels(user: object) -> set[str]:
    return {entry["text"] for entry in navigation_for(user, "/")}  # type: ignore[arg-type]


def test_navigation_asks_the_policies(
    db: None, cfs_practitioner: User, vap_chair: User, make_user: Callable[..., User]
) -> None:
    case_pages = {"Young people", "Referrals", "Missing episodes", "Needs attention"}
    assert case_pages <= _nav_labels(cfs_practitioner)
    assert not case_pages & _nav_labels(vap_chair)
    assert {"Action plan", "Activity register"} <= _nav_labels(vap_chair)
    assert not {"Action plan", "Activity register"} & _nav_labels(cfs_practitioner)
    # A practitioner without an agency holds the role but sees no case record: no case links.
    agencyless = make_user("cfs", Role.PRACTITIONER, username="no.agency")
    agencyless.agency = None
    agencyless.save()
    assert not case_pages & _nav_labels(agencyless)
    assert policy_for("cases.referral") is permissions.referral_policy


def test_navigation_of_the_maog_pages_asks_their_policies(
    db: None, cfs_practitioner: User, maog_member: User, vap_chair: User, admin_user: User
) -> None:
    pooled = {"Intelligence", "Networks"}
    records = {"Persons of concern", "Places"}
    assert records <= _nav_labels(cfs_practitioner)
    assert not pooled & _nav_labels(cfs_practitioner)
    assert records | pooled <= _nav_labels(maog_member)
    for outsider in (vap_chair, admin_user):
        assert not (records | pooled) & _nav_labels(outsider)


def test_home_count_of_open_referrals_is_the_agencys_own(
    world: dict, cfs_practitioner: User, police_practitioner: User
) -> None:
    """Open referrals on the home page are the ones the agency owns, not every one it can see:
    Police sees CFS's referral on the shared case but does not count it as its own work."""
    Referral.objects.update(outcome=Referral.Outcome.STILL_OPEN)
    assert selectors.my_work_summary(user=police_practitioner)["open_referrals"] == 1
    assert selectors.my_work_summary(user=cfs_practitioner)["open_referrals"] == 2
