"""Who may see performance figures and committee reports. The only place these rules live.

Aggregates are statistics over all records, not access to records: the dashboard and the
reports show counts to people who may not open a single case. Following a number to the
records behind it is case access, so that link goes to the case lists, which apply each
agency's access themselves, and is offered only to case workers.
"""

from django.db.models import QuerySet
from django.http import Http404

from cases.permissions import is_caseworker
from partnership.policy import PolicyUser
from partnership.roles import Role
from performance.models import Report

DASHBOARD_ROLES = (Role.VAP_CHAIR, Role.PERFORMANCE_ANALYST, Role.AGENCY_MANAGER)
# Roles with a partnership-level analysis need: exact partnership-wide figures. Everyone else
# sees the partnership's figures through the same disclosure control as the reports.
EXACT_PARTNERSHIP_ROLES = (Role.VAP_CHAIR, Role.PERFORMANCE_ANALYST)
REPORT_ROLES = (Role.COMMITTEE_CLERK, Role.VAP_CHAIR)


def _active(user: PolicyUser) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def can_view_dashboard(user: object) -> bool:
    """The VAP chair, performance analysts and agency managers see the indicator dashboard
    (committee clerks keep the reports page only)."""
    return _active(user) and any(user.has_role(role) for role in DASHBOARD_ROLES)


def can_see_exact_partnership_figures(user: object) -> bool:
    """The VAP chair and performance analysts see exact partnership-wide figures."""
    return _active(user) and any(user.has_role(role) for role in EXACT_PARTNERSHIP_ROLES)


def dashboard_agency(user: object) -> object | None:
    """The agency whose own exact figures an agency manager sees (None for anyone else)."""
    if _active(user) and user.has_role(Role.AGENCY_MANAGER):
        return getattr(user, "agency", None)
    return None


def can_view_reports(user: object) -> bool:
    """Committee clerks and the VAP chair list, request and download committee reports."""
    return _active(user) and any(user.has_role(role) for role in REPORT_ROLES)


def can_request_report(user: object) -> bool:
    return can_view_reports(user)


def can_follow_to_records(user: object) -> bool:
    """Only case workers get a link from a number to case lists (which filter by agency)."""
    return is_caseworker(user)


def report_queryset_for_user(user: object) -> QuerySet[Report]:
    if not can_view_reports(user):
        return Report.objects.none()
    return Report.objects.all()


def report_for_user_or_404(user: PolicyUser, pk: int) -> Report:
    """The same 404 for "no such report" and "not yours to see"."""
    report = report_queryset_for_user(user).select_related("committee").filter(pk=pk).first()
    if report is None:
        raise Http404
    return report
