from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from partnership.models import Agency, Committee, CommitteeMeeting
from partnership.services import (
    agency_save,
    committee_meeting_dates,
    committee_meetings_audit,
    committee_save,
)

if TYPE_CHECKING:
    # django-stubs reads this alias as the AUTH_USER_MODEL (accounts.User), so this floor
    # types its users without importing accounts.
    from django.contrib.auth.models import _User as User


def _actor(request: HttpRequest) -> User:
    if isinstance(request.user, AnonymousUser):
        raise PermissionDenied  # the admin site is for signed-in staff only
    return request.user


class AuditedAdmin(SimpleHistoryAdmin):
    """Saves go through the app's services (audited, VAP chair told); nothing is deleted."""

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Records point at agencies and committees (PROTECT); deactivate an agency instead.
        return False


@admin.register(Agency)
class AgencyAdmin(AuditedAdmin):
    list_display = ["name", "code", "short_name", "is_active"]
    search_fields = ["name", "code"]
    readonly_fields = ["group"]

    def save_model(self, request: HttpRequest, obj: Agency, form: Any, change: bool) -> None:
        agency_save(actor=_actor(request), agency=obj)


class CommitteeMeetingInline(admin.TabularInline):
    model = CommitteeMeeting
    extra = 1


@admin.register(Committee)
class CommitteeAdmin(AuditedAdmin):
    list_display = ["name", "code", "report_by", "report_officer"]
    inlines = [CommitteeMeetingInline]

    def save_model(self, request: HttpRequest, obj: Committee, form: Any, change: bool) -> None:
        committee_save(actor=_actor(request), committee=obj)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        before = committee_meeting_dates(form.instance) if change else []
        super().save_related(request, form, formsets, change)
        committee_meetings_audit(actor=_actor(request), committee=form.instance, before=before)
