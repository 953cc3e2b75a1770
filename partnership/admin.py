from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from partnership.models import Agency, Committee, User


@admin.register(Agency)
class AgencyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "short_name", "is_active"]
    search_fields = ["name", "code"]
    readonly_fields = ["group"]


@admin.register(Committee)
class CommitteeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "report_by"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin, SimpleHistoryAdmin):
    list_display = ["username", "first_name", "last_name", "agency", "is_active"]
    list_filter = ["agency", "groups", "is_active"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("Agency", {"fields": ("agency", "job_title")}),
    )
