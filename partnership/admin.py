from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from partnership.models import Agency, Committee


@admin.register(Agency)
class AgencyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "short_name", "is_active"]
    search_fields = ["name", "code"]
    readonly_fields = ["group"]


@admin.register(Committee)
class CommitteeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "report_by"]
