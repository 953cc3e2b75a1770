"""How a controlled count is printed: "<5" for 1-4, "*" for a further hidden figure.

Which counts are hidden is decided for a whole report at once by `performance.control`
(docs/DISCLOSURE.md): a table controlled on its own can be un-suppressed through the figures
it shares with the rest of the report, so there is no per-table control here any more.
"""

from django.conf import settings

SECONDARY_MARK = "*"


def threshold() -> int:
    return settings.CSE_SUPPRESSION_THRESHOLD


def primary_mark(limit: int | None = None) -> str:
    return f"<{limit or threshold()}"


def is_primary(value: int, limit: int | None = None) -> bool:
    return 0 < value < (limit or threshold())


def count_text(value: int | None, limit: int | None = None) -> str:
    """One count on its own: "<5" for 1-4, the number otherwise."""
    if value is None:
        return "–"
    return primary_mark(limit) if is_primary(value, limit) else f"{value:,}"


def percent_text(value: float | None, *, suppressed: bool) -> str:
    if value is None:
        return "–"
    return SECONDARY_MARK if suppressed else f"{value:.1f}%"
