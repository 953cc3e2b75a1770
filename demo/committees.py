"""Demo committees: a named report officer and the next meetings of each committee, so the
demo's reports print REPORT TO with a meeting date and REPORT BY with a person."""

from __future__ import annotations

import random
from datetime import date, timedelta

from accounts.models import User
from partnership.models import Committee, CommitteeMeeting
from partnership.periods import current_period, update_window_end
from partnership.services import committee_meeting_dates, committee_meetings_audit, committee_save

# Invented names: the demo names no real officer.
DEMO_OFFICERS = {
    "cog": "Alex Morgan",
    "ccpc": "Jane Smith",
    "csp": "Sam Reid",
}
# Days after the update window ends on which each committee meets (staggered, as councils do).
MEETING_OFFSETS = {"cog": 12, "ccpc": 19, "csp": 26}


def seed_committees(*, size: str, rng: random.Random, progress: bool) -> str:
    """Officers and two meetings a committee (after the last closed period's window and the
    current period's); nothing when meetings exist already. Audited, by the administrator."""
    if CommitteeMeeting.objects.exists():
        return "committee meetings exist already: skipped"
    actor = User.objects.filter(username="admin").first()  # the demo's administrator
    if actor is None:
        return "no administrator to act as: skipped"
    closed = current_period().previous()
    windows: list[date] = [update_window_end(closed), update_window_end(closed.next())]
    meetings = 0
    for committee in Committee.objects.order_by("code"):
        officer = DEMO_OFFICERS.get(committee.code)
        if officer and not committee.report_officer:
            committee.report_officer = officer  # the heading adds the role (report_by)
            committee_save(actor=actor, committee=committee)
        before = committee_meeting_dates(committee)
        offset = MEETING_OFFSETS.get(committee.code, 14)
        for window_end in windows:
            CommitteeMeeting.objects.create(
                committee=committee, date=window_end + timedelta(days=offset)
            )
            meetings += 1
        committee_meetings_audit(actor=actor, committee=committee, before=before)
    return f"{meetings} committee meetings and the named report officers"
