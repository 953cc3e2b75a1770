"""Performance pages: who may open each URL, the dashboard's query count, reports and
downloads (audited), and the render service (versions, checksum, disclosure control)."""

import datetime as dt
import hashlib
import html
import io
import re
from collections.abc import Callable

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from audit.models import AccessEvent
from cases import models as cm
from partnership.models import Committee
from partnership.periods import period_from_code
from performance.models import Report, StoredIndicators
from performance.pdf import ERROR_REFUSED_URL, local_static_fetcher
from performance.services import report_render, report_request
from tests import factories as f
from tests.urlwalk import project_routes

pytestmark = pytest.mark.django_db
PERSONAS = (
    "vap_chair",
    "performance_analyst",
    "clerk",
    "cfs_manager",
    "cfs_practitioner",
    "admin_user",
    "anonymous",
)

# Every performance URL must say what each persona gets. 302 = sent to sign in.
EXPECTED: dict[str, dict[str, int]] = {
    "performance:dashboard": {
        "vap_chair": 200,
        "performance_analyst": 200,
        "clerk": 404,
        "cfs_manager": 200,
        "cfs_practitioner": 404,
        "admin_user": 404,
        "anonymous": 302,
    },
    "performance:reports": {
        "vap_chair": 200,
        "performance_analyst": 404,
        "clerk": 200,
        "cfs_manager": 404,
        "cfs_practitioner": 404,
        "admin_user": 404,
        "anonymous": 302,
    },
    "performance:report_status": {
        "vap_chair": 200,
        "performance_analyst": 404,
        "clerk": 200,
        "cfs_manager": 404,
        "cfs_practitioner": 404,
        "admin_user": 404,
        "anonymous": 302,
    },
    "performance:report_download": {
        "vap_chair": 200,
        "performance_analyst": 404,
        "clerk": 200,
        "cfs_manager": 404,
        "cfs_practitioner": 404,
        "admin_user": 404,
        "anonymous": 302,
    },
    # POST only (the lifecycle steps); the services decide who may (tests/performance/
    # test_lifecycle.py).
    "performance:report_step": {
        "vap_chair": 405,
        "performance_analyst": 405,
        "clerk": 405,
        "cfs_manager": 405,
        "cfs_practitioner": 405,
        "admin_user": 405,
        "anonymous": 302,
    },
}


def _ready_report() -> Report:
    committee = Committee.objects.get(code="ccpc")
    name = default_storage.save("reports/test/ccpc.pdf", ContentFile(b"%PDF-1.7 test"))
    return Report.objects.create(
        committee=committee,
        period="2025-26-H1",
        version=1,
        status=Report.Status.READY,
        file=name,
        size=13,
        sha256=hashlib.sha256(b"%PDF-1.7 test").hexdigest(),
        stage=Report.Stage.PUBLISHED,
    )


def test_every_performance_url_declares_who_may_open_it() -> None:
    names = {r.name for r in project_routes() if r.name.startswith("performance:")}
    assert names == set(EXPECTED), "declare the expected status of each new performance URL"


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route_name", sorted(EXPECTED))
def test_permission_matrix(
    route_name: str, persona: str, request: pytest.FixtureRequest, client: Client
) -> None:
    report = _ready_report()
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    kwargs: dict[str, object] = {"pk": report.pk} if "report_" in route_name else {}
    if route_name == "performance:report_step":
        kwargs["step"] = "submit"
    response = client.get(reverse(route_name, kwargs=kwargs))
    assert response.status_code == EXPECTED[route_name][persona]


def test_download_is_in_the_access_log(clerk: User, client: Client) -> None:
    report = _ready_report()
    client.force_login(clerk)
    response = client.get(reverse("performance:report_download", args=[report.pk]))
    assert b"".join(response.streaming_content) == b"%PDF-1.7 test"
    event = AccessEvent.objects.get(action=AccessEvent.Action.DOWNLOAD)
    assert (event.user, event.object_type, event.object_id) == (
        clerk,
        "performance.report",
        report.pk,
    )


def test_a_report_still_queued_cannot_be_downloaded(clerk: User, client: Client) -> None:
    report = Report.objects.create(
        committee=Committee.objects.get(code="cog"), period="2025-26-H1", version=1
    )
    client.force_login(clerk)
    assert client.get(reverse("performance:report_download", args=[report.pk])).status_code == 404
    status = client.get(reverse("performance:report_status", args=[report.pk])).json()
    assert status == {"id": report.pk, "status": "queued", "label": "Queued", "done": False}


def test_clerk_asks_for_a_report_and_the_page_follows_it(
    clerk: User, client: Client, django_capture_on_commit_callbacks: Callable
) -> None:
    client.force_login(clerk)
    committee = Committee.objects.get(code="csp")
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            reverse("performance:reports"), {"committee": committee.pk, "period": "2025-26-H1"}
        )
    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.committee, report.period, report.version, report.status) == (
        committee,
        "2025-26-H1",
        1,
        Report.Status.QUEUED,
    )
    assert report.requested_by == clerk
    assert len(callbacks) == 1  # the render task is sent only once the row is committed
    page = client.get(reverse("performance:reports")).content.decode()
    assert reverse("performance:report_status", args=[report.pk]) in page
    assert "js/report-progress.mjs" in page
    assert "<script>" not in page


def test_clerk_sees_aggregates_only_and_no_link_to_records(clerk: User, client: Client) -> None:
    client.force_login(clerk)
    assert client.get(reverse("performance:dashboard")).status_code == 404


def test_dashboard_queries_do_not_grow_with_referrals(vap_chair: User, client: Client) -> None:
    client.force_login(vap_chair)
    url = reverse("performance:dashboard") + "?period=2025-26-H1"
    person = f.YoungPersonFactory()

    def add(n: int) -> None:
        cm.Referral.objects.bulk_create(
            cm.Referral(
                young_person=person,
                owner_agency=person.owner_agency,
                case_agency=person.owner_agency,
                created_by=person.created_by,
                received_on=dt.date(2025, 5, 1),
                concerns="Synthetic.",
                initial_risk_level="mild",
            )
            for _ in range(n)
        )

    add(10)
    client.get(url)  # warm caches (sessions, content types)
    _forget_stored_figures()
    with CaptureQueriesContext(connection) as few:
        response = client.get(url)  # computed: the period's figures are not stored yet
    assert response.status_code == 200
    add(2000)
    _forget_stored_figures()
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(few) == len(many)
    page = response.content.decode()
    assert "2010" in page
    assert 'role="img"' in page and "<title" in page
    assert 'style="' not in page.split("<main", 1)[1]  # CSP: no inline CSS in the charts


def test_render_makes_a_pdf_with_checksum_and_new_versions(
    clerk: User, django_capture_on_commit_callbacks: Callable
) -> None:
    from pypdf import PdfReader

    person = f.YoungPersonFactory()
    for _ in range(3):  # 3 referrals: a small count that must show as "<5"
        f.ReferralFactory(young_person=person, received_on=dt.date(2025, 6, 1))
    committee = Committee.objects.get(code="csp")
    period = period_from_code("2025-26-H1")
    with django_capture_on_commit_callbacks(execute=False):
        first = report_request(actor=clerk, committee=committee, period=period)
        second = report_request(actor=clerk, committee=committee, period=period)
    assert (first.version, second.version) == (1, 2)
    done = report_render(report_id=first.pk)
    assert done.status == Report.Status.READY
    data = done.file.read()
    assert hashlib.sha256(data).hexdigest() == done.sha256 and done.size == len(data)
    assert done.generator.startswith("cse-portal ") and "WeasyPrint" in done.generator
    assert report_render(report_id=first.pk).file.name == done.file.name  # idempotent
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "Community Safety Partnership" in text and "2025-26-H1" in text
    assert "REPORT TO" in text and "7.0 BACKGROUND PAPERS" in text.upper()
    n1 = next(i for i in done.figures["indicators"] if i["id"] == "N1")
    assert n1["figures"][0]["text"] == "<5" and n1["figures"][0]["value"] is None
    # The CSP's report leads with the night-time economy.
    assert done.figures["indicators"][0]["id"] == "N13"
    assert done.figures["progress"][0]["number"] == 13
    second_done = report_render(report_id=second.pk)
    assert second_done.file.name != done.file.name  # a re-run never overwrites


def test_pdf_fetcher_refuses_anything_but_local_static_files() -> None:
    for url in (
        "https://example.com/x.css",
        "file:///etc/passwd",
        "cse-static:///static/../../etc/passwd",
        "cse-static:///media/x",
    ):
        with pytest.raises(ValueError, match=ERROR_REFUSED_URL):
            local_static_fetcher(url)
    assert local_static_fetcher("cse-static:///static/js/init.mjs").read()


def test_reconciler_queues_only_missing_reports(
    django_capture_on_commit_callbacks: Callable, settings: object
) -> None:
    from performance.services import reports_ensure_for_period

    period = period_from_code("2025-26-H1")
    with django_capture_on_commit_callbacks(execute=False):
        first = reports_ensure_for_period(period=period)
        again = reports_ensure_for_period(period=period)
    assert sorted(r.committee.code for r in first) == ["ccpc", "cog", "csp"]
    assert again == []
    Report.objects.filter(committee__code="cog").update(status=Report.Status.FAILED)
    with django_capture_on_commit_callbacks(execute=False):
        retried = reports_ensure_for_period(period=period)
    assert [(r.committee.code, r.version) for r in retried] == [("cog", 2)]
    beat = {entry["task"]: entry for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    # One daily entry queues the drafts after the update window and reconciles (see
    # tests/performance/test_lifecycle_period.py); the first-day 06:00 render is gone.
    assert "performance.tasks.reports_after_update_window_task" in beat
    assert "performance.tasks.reports_for_closed_period_task" not in beat


def _forget_stored_figures() -> None:
    """As if no closed period had been read yet: nothing stored, nothing cached."""
    from django.core.cache import cache

    StoredIndicators.objects.all().delete()
    cache.clear()


def _referrals(actor: User, count: int) -> None:
    from cases import services as cs

    for i in range(count):
        person = cs.young_person_create(
            actor=actor,
            first_name=f"Dash{i}",
            last_name=f"Board{actor.agency.code}",
            date_of_birth=dt.date(2011, 1, 1),
            sex=cm.Sex.FEMALE,
        )
        cs.referral_create(
            actor=actor,
            young_person=person,
            received_on=dt.date(2025, 6, 1),
            concerns="Synthetic.",
            initial_risk_level=cm.RiskLevel.MILD,
        )


def _sections(page: str) -> dict[str, str]:
    """The page's sections by their heading (h2.govuk-heading-l)."""
    parts = re.split(r'<h2 class="govuk-heading-l">([^<]+)</h2>', page)
    return {html.unescape(parts[i].strip()): parts[i + 1] for i in range(1, len(parts) - 1, 2)}


def _n1_referrals(section: str) -> str:
    row = re.search(r"Referrals received</th>(.*?)</tr>", section, re.S)
    assert row is not None
    return re.findall(r'numeric">([^<]*)</td>', row.group(1))[-1]


def test_exact_partnership_figures_only_for_the_chair_and_the_analyst(
    vap_chair: User,
    performance_analyst: User,
    cfs_manager: User,
    cfs_practitioner: User,
    police_practitioner: User,
    client: Client,
) -> None:
    _referrals(cfs_practitioner, 3)
    _referrals(police_practitioner, 1)
    url = reverse("performance:dashboard") + "?period=2025-26-H1"
    for user in (vap_chair, performance_analyst):
        client.force_login(user)
        sections = _sections(client.get(url).content.decode())
        assert list(sections) == ["Partnership"]
        assert _n1_referrals(sections["Partnership"]) == "4"  # exact
    client.force_login(cfs_manager)
    sections = _sections(client.get(url).content.decode())
    assert list(sections) == ["Your agency: " + str(cfs_manager.agency), "Partnership"]
    assert _n1_referrals(sections["Your agency: " + str(cfs_manager.agency)]) == "3"
    # The partnership's figures as the reports publish them: 4 people is "&lt;5", never 4.
    assert _n1_referrals(sections["Partnership"]) == "&lt;5"
    assert "(published figures)" in sections["Partnership"]


def test_period_selector_shows_the_period_asked_for(vap_chair: User, client: Client) -> None:
    client.force_login(vap_chair)
    page = client.get(reverse("performance:dashboard") + "?period=2021-22-H2").content.decode()
    assert "2021-22-H2 (1 October 2021 to 31 March 2022)" in page
    assert re.search(r'<option value="2021-22-H2"[^>]*selected', page)
    bad = client.get(reverse("performance:dashboard") + "?period=nonsense").content.decode()
    assert "Enter a reporting period like 2025-26-H1." in bad


def test_manager_dashboard_queries_do_not_grow(
    cfs_manager: User, cfs_practitioner: User, client: Client
) -> None:
    client.force_login(cfs_manager)
    url = reverse("performance:dashboard") + "?period=2025-26-H1"
    _referrals(cfs_practitioner, 2)
    client.get(url)
    _forget_stored_figures()
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _referrals(cfs_practitioner, 12)
    _forget_stored_figures()
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(few) == len(many)


def test_manager_sees_no_partnership_figures_the_audit_would_refuse(
    cfs_manager: User, cfs_practitioner: User, client: Client
) -> None:
    from cases import services as cs
    from performance.selectors import ERROR_AUDIT_REFUSED

    for satisfied in (True, True, True, True, True, False):
        person = cs.young_person_create(
            actor=cfs_practitioner,
            first_name="Feed",
            last_name="Back",
            date_of_birth=dt.date(2011, 1, 1),
            sex=cm.Sex.FEMALE,
        )
        cs.feedback_create(
            actor=cfs_practitioner,
            young_person=person,
            received_on=dt.date(2025, 6, 1),
            respondent=cm.Feedback.Respondent.VICTIM,
            satisfied=satisfied,
        )
    # An earlier published version printed "returned 6, satisfied 5": the 1 is given away.
    Report.objects.create(
        committee=Committee.objects.get(code="ccpc"),
        period="2025-26-H1",
        version=1,
        status=Report.Status.READY,
        figures={
            "disclosure": {"cells": {"2025-26-H1:N10.returned": 6, "2025-26-H1:N10.satisfied": 5}}
        },
    )
    client.force_login(cfs_manager)
    page = client.get(reverse("performance:dashboard") + "?period=2025-26-H1").content.decode()
    partnership = _sections(page)["Partnership"]
    assert html.escape(ERROR_AUDIT_REFUSED) in partnership
    assert "N10" not in partnership
