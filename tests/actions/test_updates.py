"""Progress updates: who writes them, the remedial-action rule, evidence, lateness, conflicts
and requests for an update."""

import hashlib

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import User
from actions import services
from actions.models import ActionItem, Evidence, ProgressUpdate, UpdateRequest
from actions.tasks import update_request_notify_task
from audit.models import AccessEvent
from partnership.periods import Period, period_from_code
from tests.actions.conftest import PDF_BYTES, pdf

pytestmark = pytest.mark.django_db


def _url(item: ActionItem, period: Period) -> str:
    return reverse("actions:update_form", args=[item.number, period.code])


def test_lead_agency_manager_updates_own_item(
    client: Client, cfs_manager: User, item3: ActionItem, period: Period
) -> None:
    client.force_login(cfs_manager)
    response = client.post(
        _url(item3, period), {"status": "green", "narrative": "Meets monthly with minutes."}
    )
    assert response.status_code == 302
    update = ProgressUpdate.objects.get(item=item3, period=period.code)
    assert (update.author, update.author_agency.code, update.version) == (cfs_manager, "cfs", 1)
    assert update.is_late is False
    assert update.history.get().history_user == cfs_manager
    assert AccessEvent.objects.filter(action="create", object_id=update.pk).exists()
    page = client.get(reverse("actions:item_detail", args=[3])).content.decode()
    assert "Meets monthly with minutes." in page


def test_manager_of_another_agency_gets_404_on_the_update_form(
    client: Client, police_manager: User, barnardos_manager: User, period: Period
) -> None:
    client.force_login(police_manager)
    assert client.get(reverse("actions:update_form", args=[3, period.code])).status_code == 404
    assert client.get(reverse("actions:update_form", args=[5, period.code])).status_code == 200
    client.force_login(barnardos_manager)  # item 1 is led by Barnardo's and Education
    assert client.get(reverse("actions:update_form", args=[1, period.code])).status_code == 200


def test_vap_chair_updates_any_item(client: Client, vap_chair: User, period: Period) -> None:
    client.force_login(vap_chair)
    for number in (1, 6, 14):
        response = client.post(
            reverse("actions:update_form", args=[number, period.code]),
            {"status": "green", "narrative": "Reviewed by the chair."},
        )
        assert response.status_code == 302, number
    assert ProgressUpdate.objects.count() == 3


@pytest.mark.parametrize("status", ["red", "amber"])
def test_red_or_amber_without_remedial_action_is_refused_by_the_field(
    client: Client, cfs_manager: User, item3: ActionItem, period: Period, status: str
) -> None:
    client.force_login(cfs_manager)
    response = client.post(
        _url(item3, period),
        {"status": status, "narrative": "Two meetings were cancelled.", "remedial_action": " "},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert not ProgressUpdate.objects.exists()
    # The message sits in the remedial action's form group, and in the error summary.
    group = page.split('id="id_remedial_action-error"')[1].split("</p>")[0]
    assert services.ERROR_REMEDIAL_REQUIRED in group
    assert page.count(services.ERROR_REMEDIAL_REQUIRED) == 2
    assert "Two meetings were cancelled." in page  # what was typed is kept
    assert f'value="{status}" checked' in page


def test_red_with_remedial_action_is_saved(
    client: Client, cfs_manager: User, item3: ActionItem, period: Period
) -> None:
    client.force_login(cfs_manager)
    client.post(
        _url(item3, period),
        {"status": "red", "narrative": "Stalled.", "remedial_action": "Chair to escalate."},
    )
    assert ProgressUpdate.objects.get().remedial_action == "Chair to escalate."


def test_update_after_the_period_closed_is_marked_late(
    cfs_manager: User, item3: ActionItem
) -> None:
    period = period_from_code("2025-26-H1")
    with time_machine.travel("2025-09-30 18:00 +01:00", tick=False):
        on_time = services.progress_update_save(
            actor=cfs_manager, item=item3, period=period, status="green", narrative="ok"
        )
    with time_machine.travel("2025-10-01 09:00 +01:00", tick=False):
        late = services.progress_update_save(
            actor=cfs_manager,
            item=ActionItem.objects.get(number=12),
            period=period,
            status="green",
            narrative="ok",
        )
    assert (on_time.is_late, late.is_late) == (False, True)


def test_future_period_is_404(client: Client, vap_chair: User, period: Period) -> None:
    client.force_login(vap_chair)
    future = period.next()
    assert client.get(reverse("actions:update_form", args=[3, future.code])).status_code == 404
    assert client.get(reverse("actions:update_form", args=[3, "2025-H1"])).status_code == 404


def test_edit_conflict_shows_both_versions_and_overwrites_nothing(
    client: Client, cfs_manager: User, vap_chair: User, item3: ActionItem, period: Period
) -> None:
    services.progress_update_save(
        actor=cfs_manager, item=item3, period=period, status="green", narrative="First words."
    )
    client.force_login(cfs_manager)
    form_page = client.get(_url(item3, period)).content.decode()
    assert 'name="version" value="1"' in form_page
    # The chair saves a change while the manager still has the form open.
    services.progress_update_save(
        actor=vap_chair,
        item=item3,
        period=period,
        status="amber",
        narrative="Chair's words.",
        remedial_action="Review in a month.",
        expected_version=1,
    )
    response = client.post(
        _url(item3, period), {"status": "green", "narrative": "Manager's words.", "version": "1"}
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert "Chair&#x27;s words." in page and "Manager&#x27;s words." in page
    update = ProgressUpdate.objects.get()
    assert (update.narrative, update.version) == ("Chair's words.", 2)


def test_two_first_updates_conflict_instead_of_overwriting(
    cfs_manager: User, vap_chair: User, item3: ActionItem, period: Period
) -> None:
    services.progress_update_save(
        actor=vap_chair, item=item3, period=period, status="green", narrative="Chair first."
    )
    with pytest.raises(services.UpdateConflict) as conflict:
        services.progress_update_save(
            actor=cfs_manager, item=item3, period=period, status="green", narrative="Mine."
        )
    assert conflict.value.current.narrative == "Chair first."


def test_evidence_upload_is_hashed_stored_privately_and_download_is_audited(
    client: Client, cfs_manager: User, police_manager: User, item3: ActionItem, period: Period
) -> None:
    client.force_login(cfs_manager)
    response = client.post(
        _url(item3, period),
        {"status": "green", "narrative": "Minutes attached.", "evidence_file": pdf("ToR.pdf")},
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert (evidence.original_name, evidence.content_type, evidence.size) == (
        "ToR.pdf",
        "application/pdf",
        len(PDF_BYTES),
    )
    assert "ToR" not in evidence.file.name  # stored under a random name
    download = client.get(reverse("actions:evidence_download", args=[evidence.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert "attachment" in download["Content-Disposition"]
    event = AccessEvent.objects.get(action=AccessEvent.Action.DOWNLOAD)
    assert (event.user, event.object_id) == (cfs_manager, evidence.pk)


@pytest.mark.parametrize(
    ("name", "content"),
    [("virus.exe", b"MZ\x90\x00"), ("fake.pdf", b"MZ\x90\x00 not a pdf"), ("x.html", b"<html>")],
)
def test_evidence_of_a_wrong_type_is_refused(
    client: Client, cfs_manager: User, item3: ActionItem, period: Period, name: str, content: bytes
) -> None:
    client.force_login(cfs_manager)
    response = client.post(
        _url(item3, period),
        {"status": "green", "narrative": "n", "evidence_file": pdf(name, content)},
    )
    assert services.ERROR_EVIDENCE_TYPE in response.content.decode()
    assert not ProgressUpdate.objects.exists() and not Evidence.objects.exists()


def test_evidence_over_the_size_limit_is_refused(
    client: Client, cfs_manager: User, item3: ActionItem, period: Period, settings
) -> None:
    settings.CSE_EVIDENCE_MAX_BYTES = 20
    client.force_login(cfs_manager)
    response = client.post(
        _url(item3, period),
        {"status": "green", "narrative": "n", "evidence_file": pdf(content=PDF_BYTES)},
    )
    assert services.ERROR_EVIDENCE_SIZE.format(limit="20 bytes") in response.content.decode()
    assert not ProgressUpdate.objects.exists()


def test_evidence_link_is_kept(cfs_manager: User, item3: ActionItem, period: Period) -> None:
    update = services.progress_update_save(
        actor=cfs_manager,
        item=item3,
        period=period,
        status="green",
        narrative="n",
        evidence_link="https://example.org/minutes",
    )
    assert update.evidence_link == "https://example.org/minutes"


def test_vap_chair_asks_the_lead_for_an_update_and_its_managers_are_emailed(
    client: Client,
    vap_chair: User,
    cfs_manager: User,
    police_manager: User,
    period: Period,
    django_capture_on_commit_callbacks,
) -> None:
    User.objects.filter(pk__in=[cfs_manager.pk, police_manager.pk]).update(
        email="manager@example.invalid"
    )
    User.objects.filter(pk=cfs_manager.pk).update(email="cfs.manager@example.invalid")
    client.force_login(vap_chair)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("actions:request_update", args=[3]),
            {"period": period.code, "message": "Please send the minutes."},
        )
    assert response.status_code == 302
    request = UpdateRequest.objects.get()
    assert request.notified_at is not None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["cfs.manager@example.invalid"]
    assert "Please send the minutes." in mail.outbox[0].body
    assert reverse("actions:update_form", args=[3, period.code]) in mail.outbox[0].body
    # A retried task sends nothing twice.
    assert update_request_notify_task(request.pk) == 0
    assert len(mail.outbox) == 1
    page = client.get(reverse("actions:item_detail", args=[3])).content.decode()
    assert f"Update for {period.code} requested" in page


def test_milestone_update_records_done_and_date(
    client: Client, vap_chair: User, period: Period
) -> None:
    client.force_login(vap_chair)
    url = reverse("actions:update_form", args=[2, period.code])
    assert "milestone_date_day" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "status": "complete",
            "narrative": "Approved by the CCPC.",
            "milestone_done": "on",
            "milestone_date_day": period.start.day,
            "milestone_date_month": period.start.month,
            "milestone_date_year": period.start.year,
        },
    )
    assert response.status_code == 302
    update = ProgressUpdate.objects.get()
    assert (update.milestone_done, update.milestone_date) == (True, period.start)
