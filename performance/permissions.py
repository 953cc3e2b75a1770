"""Who may see performance figures and committee reports. The only place these rules live.

Aggregates are statistics over all records, not access to records: the dashboard and the
reports show counts to people who may not open a single case. Following a number to the
records behind it is case access, so that link goes to the case lists, which apply each
agency's access themselves, and is offered only to case workers.
"""

from django.db.models import QuerySet
from django.http import Http404

from cases.permissions import is_caseworker
from partnership.models import Agency
from partnership.policy import PolicyUser, has_any_role, is_active_user
from partnership.roles import Role
from performance.models import Report

DASHBOARD_ROLES = (Role.VAP_CHAIR, Role.PERFORMANCE_ANALYST, Role.AGENCY_MANAGER)
# Roles with a partnership-level analysis need: exact partnership-wide figures. Everyone else
# sees the partnership's figures through the same disclosure control as the reports.
EXACT_PARTNERSHIP_ROLES = (Role.VAP_CHAIR, Role.PERFORMANCE_ANALYST)
REPORT_ROLES = (Role.COMMITTEE_CLERK, Role.VAP_CHAIR)


def can_view_dashboard(user: PolicyUser) -> bool:
    """The VAP chair, performance analysts and agency managers see the indicator dashboard
    (committee clerks keep the reports page only)."""
    return has_any_role(user, DASHBOARD_ROLES)


def can_see_exact_partnership_figures(user: PolicyUser) -> bool:
    """The VAP chair and performance analysts see exact partnership-wide figures."""
    return has_any_role(user, EXACT_PARTNERSHIP_ROLES)


def dashboard_agency(user: PolicyUser) -> Agency | None:
    """The agency whose own exact figures an agency manager sees (None for anyone else)."""
    if is_active_user(user) and user.has_role(Role.AGENCY_MANAGER):
        agency = getattr(user, "agency", None)
        return agency if isinstance(agency, Agency) else None
    return None


def can_view_reports(user: PolicyUser) -> bool:
    """Committee clerks and the VAP chair list, request and download committee reports."""
    return has_any_role(user, REPORT_ROLES)


def can_request_report(user: PolicyUser) -> bool:
    return can_view_reports(user)


def can_follow_to_records(user: PolicyUser) -> bool:
    """Only case workers get a link from a number to case lists (which filter by agency)."""
    return is_caseworker(user)


def report_queryset_for_user(user: PolicyUser) -> QuerySet[Report]:
    if not can_view_reports(user):
        return Report.objects.none()
    return Report.objects.all()


def report_for_user_or_404(user: PolicyUser, pk: int) -> Report:
    """The same 404 for "no such report" and "not yours to see"."""
    report = report_queryset_for_user(user).select_related("committee").filter(pk=pk).first()
    if report is None:
        raise Http404
    return report


# Lifecycle roles. There is no "lead officer" role in the partnership yet: the VAP chair
# writes the key messages and recommendations and signs off; the clerk publishes.
AUTHOR_ROLES = (Role.VAP_CHAIR,)
SIGN_OFF_ROLES = (Role.VAP_CHAIR,)
PUBLISH_ROLES = (Role.COMMITTEE_CLERK,)


def can_write_key_messages(user: PolicyUser) -> bool:
    return has_any_role(user, AUTHOR_ROLES)


def can_sign_off(user: PolicyUser) -> bool:
    return has_any_role(user, SIGN_OFF_ROLES)


def can_publish(user: PolicyUser) -> bool:
    """Publishing and correcting a published version are the clerk's."""
    return has_any_role(user, PUBLISH_ROLES)


def can_download(user: PolicyUser, report: Report) -> bool:
    """The clerk downloads published versions only; the sign-off roles also read drafts."""
    if report.stage == Report.Stage.PUBLISHED:
        return can_view_reports(user)
    return can_sign_off(user) or can_write_key_messages(user)
