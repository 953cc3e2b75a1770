"""Administrators manage reference data (the risk screening tool), never case records:
being admin gives no access to a child's record."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from cases.models import RiskItem, RiskTool


class RiskItemInline(admin.TabularInline):
    model = RiskItem
    extra = 0


@admin.register(RiskTool)
class RiskToolAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "version",
        "is_active",
        "mild_from",
        "moderate_from",
        "significant_from",
    ]
    inlines = [RiskItemInline]
