"""Issue 16, acceptance line 1: one period walks end to end on a frozen clock. The period
closes, the lead agencies are reminded, they write their updates inside the update window,
the beat renders the committees' drafts only once the window has ended (REPORT TO the next
meeting, REPORT BY the named officer), the key messages are written, the report is signed
off, published and downloaded by the clerk; a correction is version 2 with its reason.
Every step leaves its audit row."""

import datetime as dt
from collections.abc import Callable

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import User
from actions import services as plan
from actions.models import ActionItem, ReminderLog
from actions.tasks import plan_reminders_due_task
from audit.models import AccessEvent
from partnership.models import Committee, CommitteeMeeting
from partnership.periods import period_from_code
from performance import lifecycle
from performance.models import Report
from performance.tasks import report_render_task, reports_after_update_window_task
from tests import factories as f
from tests.performance.test_lifecycle import PUBLISHED_STEPS, _steps

pytestmark = pytest.mark.django_db

H1 = period_from_code("2026-27-H1")  # 1 April - 30 September 2026; window ends 30 October


def _at(moment: str) -> time_machine.travel:
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def managers(cfs_manager: User, police_manager: User) -> None:
    for user in (cfs_manager, police_manager):
        User.objects.filter(pk=user.pk).update(email=f"{user.username}@example.invalid")


@pytest.fixture
def ccpc() -> Committee:
    committee = Committee.objects.get(code="ccpc")
    committee.report_officer = "Jane Smith"
    committee.save()
    # The October meeting falls inside the update window: the report goes to November's.
    for day in (dt.date(2026, 10, 15), dt.date(2026, 11, 12), dt.date(2027, 2, 11)):
        CommitteeMeeting.objects.create(committee=committee, date=day)
    return committee


def test_one_period_from_its_close_to_a_published_correction(
    managers: None,
    ccpc: Committee,
    cfs_manager: User,
    vap_chair: User,
    clerk: User,
    client: Client,
    settings: object,
    django_capture_on_commit_callbacks: Callable,
) -> None:
    assert settings.CSE_UPDATE_WINDOW_DAYS == 30
    f.ReferralFactory(received_on=dt.date(2026, 6, 1))

    # The period closes: the lead agencies hear which of their items lack an update.
    with _at("2026-10-01 07:15 +01:00"):
        assert plan_reminders_due_task() == 2  # cfs and police (the others have no manager)
        assert reports_after_update_window_task() == 0  # the window has just opened
    assert Report.objects.count() == 0
    cfs_mail = next(m for m in mail.outbox if "cfs.agency_manager@example.invalid" in m.to)
    assert "has closed" in cfs_mail.subject and "Write them by 30 October 2026" in cfs_mail.body
    assert "2. Update the local Child Protection Procedure" in cfs_mail.body
    reminders = AccessEvent.objects.filter(
        action=AccessEvent.Action.NOTIFY, object_type="actions.reminderlog"
    )
    cfs_log = ReminderLog.objects.get(period=H1.code, stage="closed", agency__code="cfs")
    audited = reminders.get(object_id=cfs_log.pk)
    assert (audited.user, audited.detail["items"]) == (None, cfs_log.item_numbers)
    assert 2 in cfs_log.item_numbers

    # Updates are written inside the window; a retried reminder run sends nothing again.
    with _at("2026-10-10 10:00 +01:00"):
        plan.progress_update_save(
            actor=cfs_manager,
            item=ActionItem.objects.get(number=2),
            period=H1,
            status="green",
            narrative="The revised procedure went to the CCPC in September.",
        )
        assert plan_reminders_due_task() == 0
    assert len([m for m in mail.outbox if "has closed" in m.subject]) == 2
    assert AccessEvent.objects.filter(
        object_type="actions.progressupdate", user=cfs_manager, action=AccessEvent.Action.CREATE
    ).exists()

    # The last day of the window: still no draft.
    with _at("2026-10-30 06:00 +00:00"):
        assert reports_after_update_window_task() == 0
    # The day after: a draft of each committee's report, once however often the beat runs.
    with _at("2026-10-31 06:00 +00:00"):
        with django_capture_on_commit_callbacks(execute=False):
            assert reports_after_update_window_task() == 3
            assert reports_after_update_window_task() == 0
        draft = Report.objects.get(committee=ccpc, period=H1.code)
        assert report_render_task(draft.pk) == Report.Status.READY
    draft.refresh_from_db()
    assert (draft.stage, draft.version, draft.requested_by) == (Report.Stage.DRAFT, 1, None)
    # REPORT TO the first meeting after the window; REPORT BY the named officer.
    assert draft.figures["meeting_date"] == "12 November 2026"
    assert draft.figures["meeting_date_iso"] == "2026-11-12"
    assert draft.figures["report_officer"] == "Jane Smith, Lead Officer, Child Protection"
    item2 = next(p for p in draft.figures["progress"] if p["number"] == 2)
    assert item2["status"] == "green" and "revised procedure" in item2["narrative"]

    # Key messages, submission and sign-off (the VAP chair), publication (the clerk).
    with _at("2026-11-02 09:00 +00:00"):
        lifecycle.report_messages_edit(
            actor=vap_chair,
            report=draft,
            key_messages="The procedure is in place.",
            recommendations="Note the report.",
        )
        lifecycle.report_submit(actor=vap_chair, report=draft)
        lifecycle.report_sign_off(actor=vap_chair, report=draft)
        published = lifecycle.report_publish(actor=clerk, report=draft)
    assert published.stage == Report.Stage.PUBLISHED
    assert published.figures["meeting_date"] == "12 November 2026"  # the signed-off heading

    client.force_login(clerk)
    response = client.get(reverse("performance:report_download", args=[published.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")

    # A correction: version 2 of the same committee and period, with its reason.
    with _at("2026-11-20 09:00 +00:00"):
        with django_capture_on_commit_callbacks(execute=False):
            correction = lifecycle.report_correct(
                actor=clerk, report=published, reason="A late referral for June was entered."
            )
    assert (correction.version, correction.corrects, correction.correction_reason) == (
        2,
        published,
        "A late referral for June was entered.",
    )
    assert Report.objects.get(pk=published.pk).stage == Report.Stage.PUBLISHED  # v1 kept

    assert _steps(published) == PUBLISHED_STEPS
    assert _steps(correction) == ["create", "correction requested"]
    assert (
        AccessEvent.objects.get(
            object_type="performance.report", object_id=published.pk, detail__step="signed off"
        ).user
        == vap_chair
    )


def test_no_meeting_set_and_no_named_officer_falls_back_to_the_role() -> None:
    from performance.meetings import report_heading

    committee = Committee.objects.get(code="cog")
    heading = report_heading(committee=committee, period=H1)
    assert heading == {
        "meeting_date": "",
        "meeting_date_iso": "",
        "report_officer": committee.report_by,
    }
    # A meeting on the window's last day is too early: the draft does not exist yet.
    CommitteeMeeting.objects.create(committee=committee, date=dt.date(2026, 10, 30))
    assert report_heading(committee=committee, period=H1)["meeting_date"] == ""
    CommitteeMeeting.objects.create(committee=committee, date=dt.date(2026, 10, 31))
    assert report_heading(committee=committee, period=H1)["meeting_date"] == "31 October 2026"


def test_a_longer_window_holds_the_drafts_and_the_closed_reminders_back(
    settings: object, django_capture_on_commit_callbacks: Callable
) -> None:
    settings.CSE_UPDATE_WINDOW_DAYS = 45  # ends 14 November
    with _at("2026-11-14 06:00 +00:00"):
        assert reports_after_update_window_task() == 0
        assert plan.reminder_due(today=dt.date(2026, 11, 14)) == (H1.code, "closed")
    with _at("2026-11-15 06:00 +00:00"):
        assert plan.reminder_due(today=dt.date(2026, 11, 15)) is None
        with django_capture_on_commit_callbacks(execute=False):
            assert reports_after_update_window_task() == 3
    assert set(Report.objects.values_list("period", flat=True)) == {H1.code}


def test_the_administrator_sets_meetings_and_the_officer_on_record(
    admin_user: User, client: Client, django_capture_on_commit_callbacks: Callable
) -> None:
    committee = Committee.objects.get(code="csp")
    client.force_login(admin_user)
    form = {
        "code": "csp",
        "name": committee.name,
        "report_by": committee.report_by,
        "report_officer": "Sam Jones",
        "focus": committee.focus,
        "meetings-TOTAL_FORMS": "2",
        "meetings-INITIAL_FORMS": "0",
        "meetings-0-date": "2026-11-19",
        "meetings-1-date": "2027-05-20",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:partnership_committee_change", args=[committee.pk]), form
        )
    assert response.status_code == 302
    events = {
        e.detail["admin_change"]: e
        for e in AccessEvent.objects.filter(
            object_type="partnership.committee", object_id=committee.pk
        )
    }
    assert events["committee changed"].detail["after"]["report_officer"] == "Sam Jones"
    assert events["committee meetings changed"].detail["after"] == {
        "meetings": ["2026-11-19", "2027-05-20"]
    }
    assert events["committee meetings changed"].user == admin_user
    from performance.meetings import report_heading

    committee.refresh_from_db()
    assert report_heading(committee=committee, period=H1) == {
        "meeting_date": "19 November 2026",
        "meeting_date_iso": "2026-11-19",
        "report_officer": f"Sam Jones, {committee.report_by}",
    }
