"""Measures of plan items that another app computes, shown on the item page.

The action plan sits below the performance app (floor 5 and 7): it cannot import the
indicators or the committee reports. Instead an app registers a source here (as the
chronology's sources are registered in cases.chronology); performance registers two in
its AppConfig.ready(): the indicator figures of items 4, 5, 6, 7 and 11, and the reporting
milestones of items 8 and 14 computed from the published reports.

A source answers for a user (who has passed the item's policy), an item and the periods
the page shows: None when the item is not its concern, else a section: a template (owned
by the registering app) with its context, and optionally the milestone rows replacing
those the progress updates would give."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from accounts.models import User
from actions.models import ActionItem
from partnership.periods import Period


@dataclass(frozen=True)
class MeasureSection:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    rows: list[dict[str, Any]] | None = None


MeasureSource = Callable[[User, ActionItem, list[Period]], MeasureSection | None]

_SOURCES: dict[str, MeasureSource] = {}


def register(name: str) -> Callable[[MeasureSource], MeasureSource]:
    """Register a measure source under a unique name (decorator); the same name again
    replaces it, so a re-imported module does not answer twice."""

    def decorator(source: MeasureSource) -> MeasureSource:
        _SOURCES[name] = source
        return source

    return decorator


def registered_sources() -> dict[str, MeasureSource]:
    return dict(_SOURCES)


def measure_section(
    *, user: User, item: ActionItem, periods: list[Period]
) -> MeasureSection | None:
    """The first registered source's section for the item, or None (no source for it)."""
    for source in _SOURCES.values():
        section = source(user, item, periods)
        if section is not None:
            return section
    return None
