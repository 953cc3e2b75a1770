"""The committee report's heading: which meeting it goes to (REPORT TO) and which named
officer it is from (REPORT BY). Kept in the report's snapshot, so a later version or a
re-render prints the heading the committee saw."""

from typing import Any

from partnership.models import Committee
from partnership.periods import Period, update_window_end


def report_heading(*, committee: Committee, period: Period) -> dict[str, Any]:
    """`meeting_date`: the committee's first meeting after the period's update window has
    ended (the draft is made then), as "12 November 2026", or "" when none is set yet;
    `meeting_date_iso` the same as an ISO date. `report_officer`: the named officer and
    role ("Jane Smith, Lead Officer, Child Protection"), or the role alone when unnamed."""
    meeting = committee.meetings.filter(date__gt=update_window_end(period)).order_by("date").first()
    officer = committee.report_officer.strip()
    return {
        "meeting_date": f"{meeting.date:%-d %B %Y}" if meeting else "",
        "meeting_date_iso": meeting.date.isoformat() if meeting else "",
        "report_officer": f"{officer}, {committee.report_by}" if officer else committee.report_by,
    }
