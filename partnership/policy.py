"""Permission policies: one object per record type decides who may do what to its records.

The idea is Wagtail's (``wagtail/permission_policies/base.py``): views, navigation, home-page
counts, selectors and the authorization matrix ask the policy; none of them decides. One class
holds, for one record type:

- the list predicate, ``visible_to(user)``: the rows the user may see, as one filtered queryset
  (own agency OR an EXISTS over a grant), never a list of ids and never guardian's
  ``get_objects_for_user``, which does not scale to a whole caseload;
- the object check, ``get_for_user_or_404(user, pk)``: "does not exist" and "not yours" give
  the same 404, so a record outside a user's reach never leaks;
- the actions on one record, ``VIEW``, ``EDIT``, ``SHARE`` and ``REVOKE`` (``check``), and on
  the record type as a whole (``user_has_permission``, e.g. whether to show a menu link or an
  "add" button).

Guardian's role (the store of object grants, behind the policy) is written down in one place:
docs/ARCHITECTURE.md, "Guardian: the store of object grants". Role model permissions
(``partnership.roles``) are derived from the policies (``model_permissions``), never stated
beside them.

This module is the ground floor: it imports nothing from the apps above ``partnership``.
Users are typed structurally (``Member``, or ``PolicyUser``: a member or an anonymous user, what
``request.user`` is) so that the user model may live in any app.
"""

from __future__ import annotations

from typing import Any, ClassVar, Generic, Protocol, TypeVar

from django.contrib.auth.models import AnonymousUser, Permission
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Exists, Model, OuterRef, QuerySet, Subquery
from django.http import Http404
from typing_extensions import TypeIs

from partnership.roles import Role

M = TypeVar("M", bound=Model)

VIEW = "view"
EDIT = "edit"
SHARE = "share"
REVOKE = "revoke"
ACTIONS: tuple[str, ...] = (VIEW, EDIT, SHARE, REVOKE)


class Member(Protocol):
    """What a policy needs to know about a signed-in user (the user model satisfies it)."""

    @property
    def is_authenticated(self) -> bool: ...

    @property
    def is_active(self) -> bool: ...

    @property
    def agency_id(self) -> int | None: ...

    def has_role(self, role: Role) -> bool: ...


# Whoever asks: a signed-in member or an anonymous visitor (what ``request.user`` is).
PolicyUser = Member | AnonymousUser


def is_active_user(user: PolicyUser) -> TypeIs[Member]:
    """Signed in and not deactivated; anonymous users carry no ``is_active`` worth trusting."""
    return bool(
        not isinstance(user, AnonymousUser)
        and getattr(user, "is_authenticated", False)
        and user.is_active
    )


def has_any_role(user: PolicyUser, roles: tuple[Role, ...]) -> TypeIs[Member]:
    return is_active_user(user) and any(user.has_role(role) for role in roles)


def grant_exists(
    grant_model: type[Model], *, ref: str, group_id: int | None, codename: str
) -> Exists:
    """EXISTS(a guardian grant of ``codename`` on the outer row ``ref`` to ``group_id``).

    ``grant_model`` is a direct foreign-key ``GroupObjectPermissionBase`` subclass, so the
    subquery is one index lookup per outer row instead of a generic-relation scan.
    """
    granted_model = grant_model._meta.get_field("content_object").related_model
    if not (isinstance(granted_model, type) and issubclass(granted_model, Model)):
        raise TypeError(f"{grant_model.__name__}.content_object is not a direct foreign key")
    # The permission is an uncorrelated subquery (PostgreSQL runs it once, as an InitPlan)
    # rather than a join to auth_permission repeated for every outer row; its id is not
    # cached in Python because a flushed test database gives permissions new ids.
    permission_id = Permission.objects.filter(
        codename=codename,
        content_type__app_label=granted_model._meta.app_label,
        content_type__model=granted_model._meta.model_name,
    ).values("pk")[:1]
    return Exists(
        grant_model._default_manager.filter(
            content_object_id=OuterRef(ref),
            group_id=group_id,
            permission_id=Subquery(permission_id),
        )
    )


class PermissionPolicy(Generic[M]):
    """Every decision about one record type. Subclasses set ``model`` and implement
    ``visible_to``; they override ``can_edit`` / ``can_share`` / ``can_revoke`` and
    ``user_has_permission`` where the record type allows more than reading.

    Defaults refuse: a policy that forgets to say "yes" to an action says "no".
    """

    model: type[M]
    actions: ClassVar[tuple[str, ...]] = ACTIONS
    # Model permissions ("app_label.codename") that go with SHARE and REVOKE, e.g. adding and
    # deleting the record type's share rows (see ``model_permissions``).
    share_permissions: ClassVar[tuple[str, ...]] = ()
    # Related rows the detail page always needs; fetched with the object check.
    detail_related: ClassVar[tuple[str, ...]] = ()

    # --- the record type as a whole -----------------------------------------------------

    def user_has_permission(self, user: PolicyUser, action: str) -> bool:
        """May the user do ``action`` to some record of this type (menus, "add" buttons)?"""
        return False

    def model_permissions(self, user: PolicyUser) -> set[str]:
        """The Django model permissions that say what this policy lets ``user`` do to the
        record type as a whole: view for VIEW, add and change for EDIT, ``share_permissions``
        for SHARE. A role's group carries these for a member holding that role alone
        (``partnership.roles``); they open no row and nothing decides with them."""
        opts = self.model._meta
        name = f"{opts.app_label}.{{}}_{opts.model_name}"
        found = set()
        if self.user_has_permission(user, VIEW):
            found.add(name.format("view"))
        if self.user_has_permission(user, EDIT):
            found |= {name.format("add"), name.format("change")}
        if self.user_has_permission(user, SHARE):
            found |= set(self.share_permissions)
        return found

    # --- the list predicate -------------------------------------------------------------

    def visible_to(self, user: PolicyUser) -> QuerySet[M]:
        """The rows the user may see, as one filtered queryset (the list predicate)."""
        raise NotImplementedError

    def instances_user_has_permission_for(self, user: PolicyUser, action: str) -> QuerySet[M]:
        """Rows the user may ``action``: reading is the list predicate; other actions are
        narrowed by the subclass where it has a predicate for them (default: nothing)."""
        if action == VIEW:
            return self.visible_to(user)
        return self.model._default_manager.none()

    # --- one record ---------------------------------------------------------------------

    def get_for_user_or_404(
        self, user: PolicyUser, pk: object, *, queryset: QuerySet[M] | None = None
    ) -> M:
        """The record if the user may see it; 404 for missing and out of reach alike."""
        rows = self.visible_to(user)
        if queryset is not None:
            rows = rows & queryset
        elif self.detail_related:
            rows = rows.select_related(*self.detail_related)
        try:
            return rows.get(pk=pk)
        except (ObjectDoesNotExist, ValueError, TypeError):
            raise Http404 from None

    def can_view(self, user: PolicyUser, instance: M) -> bool:
        return self.visible_to(user).filter(pk=instance.pk).exists()

    def can_edit(self, user: PolicyUser, instance: M) -> bool:
        return False

    def can_share(self, user: PolicyUser, instance: M) -> bool:
        return False

    def can_revoke(self, user: PolicyUser, instance: M) -> bool:
        """Whoever may share a record may take the share back."""
        return self.can_share(user, instance)

    def check(self, user: PolicyUser, action: str, instance: M) -> bool:
        """May the user do ``action`` to this record (which they can already see)?"""
        if action == VIEW:
            return self.can_view(user, instance)
        if action == EDIT:
            return self.can_edit(user, instance)
        if action == SHARE:
            return self.can_share(user, instance)
        if action == REVOKE:
            return self.can_revoke(user, instance)
        raise ValueError(f"{type(self).__name__} knows no action {action!r}")

    def require(self, user: PolicyUser, action: str, instance: M) -> None:
        """Raise PermissionDenied unless ``check`` allows it. Only for records the user can
        already see (fetched with ``get_for_user_or_404``): a 403 then reveals nothing."""
        if not self.check(user, action, instance):
            raise PermissionDenied


# --- The registry: code that may not import an app (navigation, the home page, the
# authorization matrix) finds its policy by the record type's label, e.g. "cases.referral".

_POLICIES: dict[str, PermissionPolicy[Model]] = {}


def register(label: str, policy: PermissionPolicy[Any]) -> None:
    """Each app registers its policies when its permissions module is imported (``ready``)."""
    _POLICIES[label] = policy


def policy_for(label: str) -> PermissionPolicy[Model] | None:
    """The policy registered under ``label``, or None when that app is not installed."""
    return _POLICIES.get(label)


def registered_policies() -> dict[str, PermissionPolicy[Model]]:
    return dict(_POLICIES)
