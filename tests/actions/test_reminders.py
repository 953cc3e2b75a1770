"""Reminders: a month before a period closes and again once it has closed, each lead agency's
managers hear which of their items lack an update. Frozen clocks; run twice, sent once."""

import pytest
import time_machine
from django.core import mail

from accounts.models import User
from actions import services
from actions.models import ActionItem, ReminderLog
from actions.tasks import plan_reminders_due_task, plan_reminders_task
from partnership.periods import period_from_code

pytestmark = pytest.mark.django_db

H1 = period_from_code("2026-27-H1")  # 1 April - 30 September 2026


@pytest.fixture
def managers(cfs_manager: User, police_manager: User, barnardos_manager: User) -> None:
    for user in (cfs_manager, police_manager, barnardos_manager):
        User.objects.filter(pk=user.pk).update(email=f"{user.username}@example.invalid")


def _mail_to(username: str) -> list:
    return [m for m in mail.outbox if f"{username}@example.invalid" in m.to]


def test_nothing_is_due_mid_period(managers: None) -> None:
    with time_machine.travel("2026-07-15 08:00 +01:00", tick=False):
        assert plan_reminders_due_task() == 0
    assert mail.outbox == []


def test_a_month_before_close_each_lead_hears_of_its_items_without_update(
    managers: None, vap_chair: User
) -> None:
    with time_machine.travel("2026-08-20 08:00 +01:00", tick=False):
        services.progress_update_save(
            actor=vap_chair,
            item=ActionItem.objects.get(number=3),
            period=H1,
            status="green",
            narrative="n",
        )
    with time_machine.travel("2026-08-31 08:00 +01:00", tick=False):
        assert plan_reminders_due_task() == 0  # too early
    with time_machine.travel("2026-09-01 07:15 +01:00", tick=False):
        assert plan_reminders_due_task() == 3  # cfs, police, barnardos (others have no managers)
    cfs = _mail_to("cfs.agency_manager")
    assert len(cfs) == 1
    assert "closes in a month" in cfs[0].subject
    body = cfs[0].body
    assert "2. Update the local Child Protection Procedure" in body
    assert "3. Establish an operational intelligence group" not in body  # has its update
    assert "/action-plan/items/2/updates/2026-27-H1/" in body
    barnardos = _mail_to("barnardos.agency_manager")[0].body
    assert "10. Train front line staff" in barnardos and "12. Brief" not in barnardos
    log = ReminderLog.objects.get(agency__code="cfs")
    assert (log.stage, log.item_numbers) == ("closing", [2, 4, 8, 12, 14])
    # The next day's run (or a retried task) sends nothing again.
    with time_machine.travel("2026-09-02 07:15 +01:00", tick=False):
        assert plan_reminders_due_task() == 0
    assert len(mail.outbox) == 3


def test_again_when_the_period_has_closed(managers: None) -> None:
    with time_machine.travel("2026-09-10 07:15 +01:00", tick=False):
        plan_reminders_due_task()
    with time_machine.travel("2026-10-01 07:15 +01:00", tick=False):
        assert plan_reminders_due_task() == 3
        assert plan_reminders_task(H1.code, "closed") == 0  # idempotent by period and stage
    closed = [m for m in mail.outbox if "has closed" in m.subject]
    assert len(closed) == 3
    assert "marked late" in closed[0].body
    with time_machine.travel("2026-11-02 07:15 +00:00", tick=False):
        assert plan_reminders_due_task() == 0  # the window after closing is one month


def test_complete_items_need_no_reminder(managers: None, vap_chair: User) -> None:
    with time_machine.travel("2026-05-01 08:00 +01:00", tick=False):
        services.progress_update_save(
            actor=vap_chair,
            item=ActionItem.objects.get(number=5),
            period=period_from_code("2026-27-H1"),
            status="complete",
            narrative="Done",
        )
    assert 5 not in [item.number for item in services.items_lacking_update(period=H1.next())]
