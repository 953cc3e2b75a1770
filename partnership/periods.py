"""Reporting periods: half-years of the financial year, identified like ``2025-26-H1``.

With the default start month (April) H1 is 1 April - 30 September and H2 is 1 October -
31 March. The start month is configurable (CSE_PERIOD_START_MONTH).
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

PERIOD_PATTERN = re.compile(r"^(?P<start>\d{4})-(?P<end>\d{2})-H(?P<half>[12])$")


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    return date(day.year + month_index // 12, month_index % 12 + 1, 1)


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date  # inclusive
    code: str

    @property
    def label(self) -> str:
        return f"{self.start:%-d %B %Y} to {self.end:%-d %B %Y}"

    def start_datetime(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    def end_datetime_exclusive(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    def previous(self, count: int = 1) -> "Period":
        period = self
        for _ in range(count):
            period = period_containing(period.start - timedelta(days=1))
        return period

    def next(self) -> "Period":
        return period_containing(self.end + timedelta(days=1))

    def __str__(self) -> str:
        return self.code


def _start_month() -> int:
    return settings.CSE_PERIOD_START_MONTH


def period_from_code(code: str) -> Period:
    """Parse ``2025-26-H1``; raises ValueError for anything else."""
    match = PERIOD_PATTERN.match(code.strip())
    if not match:
        raise ValueError(f"Enter a period like 2025-26-H1, not {code!r}")
    start_year = int(match["start"])
    if (start_year + 1) % 100 != int(match["end"]):
        raise ValueError(f"{code!r} is not a financial year")
    year_start = date(start_year, _start_month(), 1)
    half = int(match["half"])
    start = year_start if half == 1 else _add_months(year_start, 6)
    end = _add_months(start, 6) - timedelta(days=1)
    return Period(start=start, end=end, code=f"{start_year}-{(start_year + 1) % 100:02d}-H{half}")


def period_containing(day: date) -> Period:
    start_month = _start_month()
    year = day.year if day.month >= start_month else day.year - 1
    year_start = date(year, start_month, 1)
    half = 1 if day < _add_months(year_start, 6) else 2
    return period_from_code(f"{year}-{(year + 1) % 100:02d}-H{half}")


def current_period() -> Period:
    return period_containing(timezone.localdate())


def recent_periods(count: int, *, ending: Period | None = None) -> list[Period]:
    """`count` periods ending with `ending` (default: the current one), oldest first."""
    last = ending or current_period()
    periods = [last]
    while len(periods) < count:
        periods.insert(0, periods[0].previous())
    return periods


def update_window_end(period: Period) -> date:
    """The last day lead agencies have to write their updates for a closed `period`
    (`CSE_UPDATE_WINDOW_DAYS` after it ends): the closed-period reminders go out inside the
    window, the committees' draft reports are rendered the day after it."""
    return period.end + timedelta(days=settings.CSE_UPDATE_WINDOW_DAYS)


def period_awaiting_drafts(today: date) -> Period | None:
    """The closed period whose update window has ended by `today`, while the next one is
    still open: the one whose committee drafts are due (None inside the window)."""
    closed = period_containing(today).previous()
    return closed if today > update_window_end(closed) else None
