"""The admin site for accounts: nobody changes their own access; superuser is not here at all.

Roles are chosen as roles (not raw groups); agency membership follows the agency. Saves
go through accounts.services, which refuse changes to one's own agency, roles or active
flag, turn roles that open records into pending grants a second administrator decides,
and audit every change with before and after. Direct permissions and the superuser flag
are not on any form: superuser is given only from the server's command line.
"""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm, UsernameField
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import PendingRoleGrant, User, signed_in_user
from accounts.services import (
    role_grant_approve,
    role_grant_reject,
    user_admin_add,
    user_admin_save,
)
from partnership.admin_links import use_absolute_password_link
from partnership.roles import APPROVAL_REQUIRED_ROLES, Role

ROLES_HELP = (
    "Roles that open children's records, intelligence, the access log or this site ("
    + ", ".join(sorted(role.value for role in APPROVAL_REQUIRED_ROLES))
    + ") are asked for here and given when a second administrator approves them under "
    "Pending role grants."
)
# Fields that decide someone's reach: read-only on one's own account.
OWN_ACCESS_FIELDS = ("agency", "is_active", "roles")


class AccountChangeForm(UserChangeForm):
    roles = forms.MultipleChoiceField(
        choices=[(role.value, role.value) for role in Role],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=ROLES_HELP,
    )

    class Meta:
        model = User
        field_classes = {"username": UsernameField}
        fields = (
            "username",
            "password",
            "first_name",
            "last_name",
            "email",
            "job_title",
            "agency",
            "is_active",
        )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        use_absolute_password_link(self)  # also right on a past version's history page
        if self.instance.pk and "roles" in self.fields:
            self.fields["roles"].initial = sorted(self.instance.role_names())


class AccountCreationForm(UserCreationForm):
    class Meta:
        model = User
        field_classes = {"username": UsernameField}
        fields = ("username", "agency")


@admin.register(User)
class UserAdmin(DjangoUserAdmin, SimpleHistoryAdmin):
    form = AccountChangeForm
    add_form = AccountCreationForm
    list_display = ["username", "first_name", "last_name", "agency", "is_active"]
    list_filter = ["agency", "groups", "is_active"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Personal info", {"fields": ("first_name", "last_name", "email", "job_title")}),
        ("Access", {"fields": ("agency", "roles", "pending_roles", "is_active", "is_staff")}),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "agency", "password1", "password2")}),
    )
    readonly_fields = ["pending_roles", "is_staff", "last_login", "date_joined"]

    @admin.display(description="Roles")
    def roles(self, obj: User) -> str:
        # Shown in place of the checkboxes on one's own account (read-only there).
        return ", ".join(sorted(obj.role_names())) or "None"

    @admin.display(description="Roles waiting for a second administrator")
    def pending_roles(self, obj: User) -> str:
        pending = obj.pending_role_grants.filter(status=PendingRoleGrant.Status.PENDING)
        return ", ".join(grant.role for grant in pending) or "None"

    def get_readonly_fields(self, request: HttpRequest, obj: User | None = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.pk == request.user.pk:
            fields += [name for name in OWN_ACCESS_FIELDS if name not in fields]
        return fields

    def get_form(
        self, request: HttpRequest, obj: Any | None = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None and obj.pk == request.user.pk and "roles" in form.base_fields:
            form.base_fields["roles"].disabled = True
        return form

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        actor = signed_in_user(request)
        if not change:
            user_admin_add(actor=actor, user=obj)
            return
        if obj.pk == request.user.pk:
            roles = obj.role_names()  # read-only on one's own account
        else:
            roles = form.cleaned_data.get("roles", obj.role_names())
        grants = user_admin_save(actor=actor, user=obj, roles=[Role(r) for r in roles])
        for grant in grants:
            messages.info(
                request, f"{grant.role} for {obj} waits for a second administrator's approval."
            )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # Groups are set by the services above, never from the form.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # deactivate instead: records and the audit point at their authors


@admin.register(PendingRoleGrant)
class PendingRoleGrantAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "status", "requested_by", "requested_at", "decided_by"]
    list_filter = ["status", "role"]
    readonly_fields = [
        "user",
        "role",
        "status",
        "requested_by",
        "requested_at",
        "decided_by",
        "decided_at",
    ]
    actions = ["approve", "reject"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # asked for by choosing a role on a person's account

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def _decide(self, request: HttpRequest, queryset: QuerySet, decide: Any, done: str) -> None:
        for grant in queryset:
            try:
                decide(actor=signed_in_user(request), grant=grant)
            except PermissionDenied as refused:
                self.message_user(request, f"{grant}: {refused}", messages.ERROR)
            else:
                self.message_user(request, f"{grant.role} for {grant.user}: {done}.")

    @admin.action(description="Approve the selected role grants", permissions=["change"])
    def approve(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._decide(request, queryset, role_grant_approve, "approved")

    @admin.action(description="Reject the selected role grants", permissions=["change"])
    def reject(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._decide(request, queryset, role_grant_reject, "rejected")
