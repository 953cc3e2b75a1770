"""Issue 16, the report lifecycle: draft -> submitted -> signed off -> published, a
correction as version 2 with its reason, every step audited, a published version immutable,
and DRAFT on every page of a draft PDF only."""

import datetime as dt
import io
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from accounts.models import User
from audit.models import AccessEvent
from partnership.models import Committee
from partnership.periods import period_from_code
from performance import lifecycle
from performance.models import Report
from performance.services import report_render, report_request
from tests import factories as f

pytestmark = pytest.mark.django_db


def _pages(report: Report) -> list[str]:
    report.file.open("rb")
    try:
        data = report.file.read()
    finally:
        report.file.close()
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def _steps(report: Report) -> list[str]:
    return [
        e.detail.get("step", e.action)
        for e in AccessEvent.objects.filter(
            object_type="performance.report", object_id=report.pk
        ).order_by("pk")
    ]


# What a version's audit rows say, in order, from its request to the clerk's download.
PUBLISHED_STEPS = [
    "create",
    "key messages edited",
    "submitted for sign-off",
    "signed off",
    "published",
    "download",
]


def _post(client: Client, report: Report, step: str, **data: str) -> None:
    response = client.post(reverse("performance:report_step", args=[report.pk, step]), data)
    assert response.status_code == 302, response


def test_a_period_walks_from_draft_to_published_and_is_corrected(
    clerk: User,
    vap_chair: User,
    client: Client,
    django_capture_on_commit_callbacks: Callable,
) -> None:
    f.ReferralFactory(received_on=dt.date(2025, 6, 1))
    committee = Committee.objects.get(code="ccpc")
    with django_capture_on_commit_callbacks(execute=False):
        draft = report_request(
            actor=None, committee=committee, period=period_from_code("2025-26-H1")
        )
    draft = report_render(report_id=draft.pk)
    assert (draft.status, draft.stage) == (Report.Status.READY, Report.Stage.DRAFT)
    pages = _pages(draft)
    assert len(pages) > 1 and all("DRAFT" in page for page in pages)
    download = reverse("performance:report_download", args=[draft.pk])

    # The clerk cannot take a draft as if it were published.
    client.force_login(clerk)
    assert client.get(download).status_code == 404
    page = client.get(reverse("performance:reports")).content.decode()
    assert download not in page and "Draft" in page

    client.force_login(vap_chair)
    _post(
        client,
        draft,
        "messages",
        key_messages="Referrals fell this half-year.",
        recommendations="Note the fall in referrals.\nAsk the VAP for a plan on returns.",
    )
    _post(client, draft, "submit")
    _post(client, draft, "sign-off")
    client.force_login(clerk)
    _post(client, draft, "publish")
    published = Report.objects.get(pk=draft.pk)
    assert published.stage == Report.Stage.PUBLISHED
    assert (published.submitted_by, published.signed_off_by, published.published_by) == (
        vap_chair,
        vap_chair,
        clerk,
    )
    response = client.get(download)
    assert response.status_code == 200
    b"".join(response.streaming_content)
    pages = _pages(published)
    assert not any("DRAFT" in page for page in pages)
    text = "\n".join(pages)
    assert "Referrals fell this half-year." in text and "Ask the VAP for a plan" in text

    # Immutable: every write refuses a published version.
    for step in (
        lambda: lifecycle.report_messages_edit(
            actor=vap_chair, report=published, key_messages="x", recommendations=""
        ),
        lambda: lifecycle.report_submit(actor=vap_chair, report=published),
        lambda: lifecycle.report_sign_off(actor=vap_chair, report=published),
        lambda: lifecycle.report_publish(actor=clerk, report=published),
    ):
        with pytest.raises(ValidationError, match="published version cannot be changed"):
            step()
    assert Report.objects.get(pk=draft.pk).key_messages == "Referrals fell this half-year."

    # A correction is version 2 of the same committee and period, with its reason; v1 stays.
    with django_capture_on_commit_callbacks(execute=False):
        _post(client, published, "correct", reason="A late referral for May was entered.")
    correction = Report.objects.get(committee=committee, period="2025-26-H1", version=2)
    assert (correction.corrects, correction.correction_reason, correction.stage) == (
        published,
        "A late referral for May was entered.",
        Report.Stage.DRAFT,
    )
    page = client.get(reverse("performance:reports")).content.decode()
    assert "Corrects version 1: A late referral for May was entered." in page
    assert download in page  # the published version 1 is still listed and downloadable

    assert _steps(published) == PUBLISHED_STEPS
    assert _steps(correction) == ["create", "correction requested"]


def _ready_draft() -> Report:
    return Report.objects.create(
        committee=Committee.objects.get(code="cog"),
        period="2025-26-H1",
        version=1,
        status=Report.Status.READY,
    )


def test_each_step_belongs_to_its_role_and_its_stage(clerk: User, vap_chair: User) -> None:
    report = _ready_draft()
    with pytest.raises(PermissionDenied):
        lifecycle.report_submit(actor=clerk, report=report)
    with pytest.raises(ValidationError, match="draft: it cannot be signed off"):
        lifecycle.report_sign_off(actor=vap_chair, report=report)
    lifecycle.report_submit(actor=vap_chair, report=report)
    with pytest.raises(PermissionDenied):
        lifecycle.report_sign_off(actor=clerk, report=report)
    with pytest.raises(ValidationError):
        lifecycle.report_publish(actor=clerk, report=report)  # not signed off yet
    with pytest.raises(ValidationError):
        lifecycle.report_correct(actor=clerk, report=report, reason="x")  # not published


def test_a_step_out_of_reach_answers_404(cfs_manager: User, client: Client) -> None:
    report = _ready_draft()
    client.force_login(cfs_manager)
    response = client.post(reverse("performance:report_step", args=[report.pk, "submit"]))
    assert response.status_code == 404


def test_key_messages_that_identify_a_young_person_are_refused(vap_chair: User) -> None:
    person = f.YoungPersonFactory()
    report = _ready_draft()
    with pytest.raises(ValidationError) as refused:
        lifecycle.report_messages_edit(
            actor=vap_chair,
            report=report,
            key_messages=f"{person.first_name} {person.last_name} went missing again.",
            recommendations="",
        )
    assert "key_messages" in refused.value.message_dict
    assert person.last_name not in str(refused.value)
