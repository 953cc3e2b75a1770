"""A young person's chronology, built from registered sources.

``cases`` knows only its own records. Every other app that holds events about a young person
(MAOG allegations and intelligence, for example) registers a source here from its
``AppConfig.ready``, so the chronology never imports the apps that feed it (the arrows point
at ``cases``, never out of it). A source answers only what the user may see: it must start
from its own app's permissions, in a constant number of queries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from django.urls import reverse
from django.utils import timezone

from cases.models import RISK_LEVEL_ORDER, MissingEpisode, Referral, RiskLevel, YoungPerson
from cases.selectors import young_person_records

if TYPE_CHECKING:  # only the type: the user model is moving between apps
    from accounts.models import User


@dataclass
class ChronologyEvent:
    at: dt.datetime
    kind: str
    title: str
    detail: str
    agency: str
    significant: bool
    url: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


class ChronologySource(Protocol):
    def __call__(self, *, user: User, young_person: YoungPerson) -> Iterable[ChronologyEvent]: ...


# Ordered: sources registered first come first among events at the same moment (the sort
# below is stable), so the young person's own records lead.
_SOURCES: dict[str, ChronologySource] = {}


def register(name: str) -> Callable[[ChronologySource], ChronologySource]:
    """Register a chronology source under a unique name (decorator). Registering the same
    name again replaces the source, so a re-imported module does not double its events."""

    def decorator(source: ChronologySource) -> ChronologySource:
        _SOURCES[name] = source
        return source

    return decorator


def registered_sources() -> dict[str, ChronologySource]:
    return dict(_SOURCES)


def day(value: dt.date) -> dt.datetime:
    """Midnight (local time) of a day, for records dated to the day only."""
    return timezone.make_aware(dt.datetime.combine(value, dt.time.min))


def young_person_chronology(*, user: User, young_person: YoungPerson) -> list[ChronologyEvent]:
    """Every event from every registered source the user may see, oldest first.

    Each source runs a constant number of queries, so the count does not grow with the
    number of events.
    """
    events: list[ChronologyEvent] = []
    for source in _SOURCES.values():
        events.extend(source(user=user, young_person=young_person))
    events.sort(key=lambda event: event.at)
    return events


@register("cases")
def case_events(*, user: User, young_person: YoungPerson) -> list[ChronologyEvent]:
    """Markers, referrals, assessments, missing episodes, support and feedback: one query
    per kind of record (through ``young_person_records``)."""
    records = young_person_records(user=user, young_person=young_person)
    events: list[ChronologyEvent] = []
    for marker in records["markers"]:
        events.append(
            ChronologyEvent(
                at=day(marker.start_date),
                kind="CSE marker",
                title=f"{marker.get_marker_type_display()} marker added",
                detail=f"Risk level: {marker.get_risk_level_display()}",
                agency=marker.owner_agency.short_name,
                significant=True,
            )
        )
        if marker.end_date:
            events.append(
                ChronologyEvent(
                    at=day(marker.end_date),
                    kind="CSE marker",
                    title="CSE marker ended",
                    detail="",
                    agency=marker.owner_agency.short_name,
                    significant=False,
                )
            )
    for referral in records["referrals"]:
        url = reverse("cases:referral_detail", args=[referral.pk])
        referrer = (
            referral.referring_agency.short_name
            if referral.referring_agency
            else "a member of the public"
        )
        events.append(
            ChronologyEvent(
                at=day(referral.received_on),
                kind="Referral",
                title=f"Referral received from {referrer}",
                detail=referral.concerns,
                agency=referral.owner_agency.short_name,
                significant=referral.initial_risk_level == RiskLevel.SIGNIFICANT,
                url=url,
            )
        )
        if referral.outcome_date:
            events.append(
                ChronologyEvent(
                    at=day(referral.outcome_date),
                    kind="Referral outcome",
                    title=f"Outcome: {referral.get_outcome_display()}",
                    detail="",
                    agency=referral.owner_agency.short_name,
                    significant=referral.outcome
                    in {
                        Referral.Outcome.IRD,
                        Referral.Outcome.CP_CONFERENCE,
                        Referral.Outcome.CP_REGISTRATION,
                    },
                    url=url,
                )
            )
    for assessment in records["assessments"]:
        events.append(
            ChronologyEvent(
                at=day(assessment.assessed_on),
                kind="Risk assessment",
                title=f"Risk assessed as {assessment.get_level_display()}",
                detail=f"Score {assessment.score}"
                + (" (professional override)" if assessment.override_level else ""),
                agency=assessment.owner_agency.short_name,
                significant=RISK_LEVEL_ORDER.get(assessment.level, 0) >= 3,
                url=reverse("cases:assessment_detail", args=[assessment.pk]),
            )
        )
    for episode in records["episodes"]:
        url = reverse("cases:missing_detail", args=[episode.pk])
        events.append(
            ChronologyEvent(
                at=episode.missing_from,
                kind="Missing episode",
                title=f"Reported {episode.get_category_display().lower()}",
                detail=f"From {episode.get_placement_type_display().lower()}"
                + (f" ({episode.placement_name})" if episode.placement_name else ""),
                agency=episode.owner_agency.short_name,
                significant=episode.category == MissingEpisode.Category.MISSING_HIGH,
                url=url,
            )
        )
        if episode.located_at:
            events.append(
                ChronologyEvent(
                    at=episode.located_at,
                    kind="Missing episode",
                    title="Located",
                    detail=", ".join(p for p in (episode.where_found, episode.found_with) if p),
                    agency=episode.owner_agency.short_name,
                    significant=False,
                    url=url,
                )
            )
        if episode.rd_completed_at:
            events.append(
                ChronologyEvent(
                    at=episode.rd_completed_at,
                    kind="Return discussion",
                    title="Return discussion completed",
                    detail=episode.rd_agency.short_name if episode.rd_agency else "",
                    agency=episode.owner_agency.short_name,
                    significant=False,
                    url=url,
                )
            )
    for support in records["support"]:
        events.append(
            ChronologyEvent(
                at=day(support.offered_on),
                kind="Support",
                title=f"{support.get_service_type_display()} offered by "
                f"{support.provider_agency.short_name}",
                detail={True: "Accepted", False: "Declined", None: "Awaiting answer"}[
                    support.accepted
                ],
                agency=support.owner_agency.short_name,
                significant=False,
            )
        )
    for feedback in records["feedback"]:
        events.append(
            ChronologyEvent(
                at=day(feedback.received_on),
                kind="Feedback",
                title=f"Feedback from {feedback.get_respondent_display().lower()}: "
                + ("satisfied" if feedback.satisfied else "not satisfied"),
                detail=feedback.comment,
                agency=feedback.owner_agency.short_name,
                significant=False,
            )
        )
    return events
