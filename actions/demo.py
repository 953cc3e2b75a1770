"""Demo data for the action plan: two closed periods of progress updates and activity.

Synthetic and deterministic for a given random generator. Skipped when updates exist, so
running seed_demo twice adds nothing. Two items have no update for the period that closed
last, so the plan shows what "overdue" looks like.
"""

import datetime as dt
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from actions.models import (
    ActionItem,
    AwarenessSession,
    MaogMeeting,
    MemberBriefing,
    PreventionSession,
    ProgressUpdate,
    RagStatus,
    TrainingSession,
)
from partnership.models import Agency
from partnership.periods import Period, current_period

OVERDUE_DEMO_ITEMS = (6, 11)  # no update for the last closed period
COUNCIL_MEMBERS = 29  # Dundee City Council's elected members

SCHOOLS = [
    "Braeview Academy",
    "Baldragon Academy",
    "Craigie High School",
    "Grove Academy",
    "Harris Academy",
    "Morgan Academy",
    "St John's RC High School",
    "St Paul's RC Academy",
    "Menzieshill High School",
]
RESIDENTIAL_UNITS = ["Fairbairn Street", "Gillburn Road", "Harestane Road", "Elliot Road"]
VENUES = [
    ("Tay Cabs", AwarenessSession.VenueType.TAXI),
    ("Discovery Taxis", AwarenessSession.VenueType.TAXI),
    ("Riverside Hotel", AwarenessSession.VenueType.HOTEL),
    ("Seabraes Lodge", AwarenessSession.VenueType.HOTEL),
    ("Nethergate Cafe", AwarenessSession.VenueType.CAFE),
    ("Westport Coffee House", AwarenessSession.VenueType.CAFE),
    ("The Reading Rooms", AwarenessSession.VenueType.NIGHTCLUB),
    ("Club Fever", AwarenessSession.VenueType.NIGHTCLUB),
    ("Overgate Security Team", AwarenessSession.VenueType.OTHER),
]
TRAININGS = [
    ("CSE awareness for front-line staff", "cfs"),
    ("Recognising CSE: school guidance staff", "education"),
    ("CSE indicators for response officers", "police"),
    ("CSE and sexual health services", "nhs"),
    ("Return discussions after missing episodes", "safeandsound"),
]

NARRATIVES = {
    RagStatus.GREEN: [
        "On track. Work in the period went as planned and the partners involved report no "
        "obstacles.",
        "Delivered as planned; the measure is rising and partners have agreed the next steps.",
    ],
    RagStatus.AMBER: [
        "Some delay: staff vacancies slowed delivery in the second quarter of the period.",
        "Progress slower than planned; partners are reviewing capacity.",
    ],
    RagStatus.RED: [
        "Not delivered in the period: the work depends on a decision that has not been taken.",
    ],
    RagStatus.COMPLETE: ["Completed and evidence provided to the VAP."],
    RagStatus.NOT_STARTED: ["Not started yet: scheduled for the next period."],
}
REMEDIAL = {
    RagStatus.AMBER: "Lead agency to second an officer for three months; review at next VAP.",
    RagStatus.RED: "Escalated to the Chief Officers Group; revised plan to the next VAP meeting.",
}


def _user(username: str, agency: Agency) -> User | None:
    return (
        User.objects.filter(username=username).first()
        or User.objects.filter(agency=agency).order_by("username").first()
    )


def _day_in(period: Period, rng: random.Random) -> dt.date:
    return period.start + dt.timedelta(days=rng.randrange((period.end - period.start).days + 1))


def _status_for(item: ActionItem, index: int, rng: random.Random) -> str:
    if item.measure_kind == ActionItem.MeasureKind.MILESTONE and index == 1 and item.number != 14:
        return RagStatus.COMPLETE if item.number in (2, 8) else RagStatus.GREEN
    return rng.choices(
        [RagStatus.GREEN, RagStatus.AMBER, RagStatus.RED, RagStatus.NOT_STARTED],
        weights=[6, 3, 1, 1 if index == 0 else 0],
    )[0]


def _seed_updates(periods: list[Period], rng: random.Random, chair: User | None) -> int:
    made = 0
    items = list(ActionItem.objects.prefetch_related("lead_agencies").order_by("number"))
    for index, period in enumerate(periods):
        for item in items:
            if index == len(periods) - 1 and item.number in OVERDUE_DEMO_ITEMS:
                continue
            lead = item.lead_agencies.all()[0]
            author = _user(f"{lead.code}.manager", lead) or chair
            if author is None or author.agency_id is None:
                continue
            status = _status_for(item, index, rng)
            # Most updates arrive in the last fortnight of the period; a few arrive late.
            days_before_close = rng.randint(-10, 14)
            submitted_at = timezone.make_aware(
                dt.datetime.combine(period.end - dt.timedelta(days=days_before_close), dt.time(10))
            )
            update = ProgressUpdate(
                item=item,
                period=period.code,
                status=status,
                narrative=rng.choice(NARRATIVES[RagStatus(status)]),
                remedial_action=REMEDIAL.get(RagStatus(status), ""),
                milestone_done=(
                    status == RagStatus.COMPLETE
                    if item.measure_kind == ActionItem.MeasureKind.MILESTONE
                    else None
                ),
                milestone_date=period.end - dt.timedelta(days=20)
                if status == RagStatus.COMPLETE
                else None,
                author=author,
                author_agency_id=author.agency_id,
                submitted_at=submitted_at,
                is_late=submitted_at >= period.end_datetime_exclusive(),
            )
            # simple-history reads these when the row is saved (set per instance, untyped).
            update._history_user = author  # type: ignore[attr-defined]
            update._history_date = submitted_at  # type: ignore[attr-defined]
            update.save()
            made += 1
    return made


def _seed_activity(periods: list[Period], rng: random.Random, scale: int) -> int:
    agencies = {agency.code: agency for agency in Agency.objects.all()}
    barnardos = agencies["barnardos"]
    recorder = _user("barnardos.manager", barnardos)
    cfs_recorder = _user("cfs.manager", agencies["cfs"])
    police_recorder = _user("police.maog", agencies["police"])
    if recorder is None or cfs_recorder is None or police_recorder is None:
        return 0

    def by_barnardos(period: Period) -> dict[str, Any]:
        # The day is drawn first, as before: a given generator still makes the same demo.
        return {"occurred_on": _day_in(period, rng), "agency": barnardos, "recorded_by": recorder}

    rows: list = []
    for period in periods:
        for _ in range(6 * scale):
            setting = rng.choice(list(PreventionSession.Setting))
            name = {
                PreventionSession.Setting.SCHOOL: rng.choice(SCHOOLS),
                PreventionSession.Setting.RESIDENTIAL: rng.choice(RESIDENTIAL_UNITS),
                PreventionSession.Setting.FOSTER_CARERS: "Foster carers' support group",
            }[setting]
            rows.append(
                PreventionSession(
                    **by_barnardos(period),
                    setting=setting,
                    setting_name=name,
                    young_people_reached=rng.randint(8, 60) if setting == "school" else 0,
                    carers_reached=rng.randint(3, 15) if setting != "school" else 0,
                )
            )
        for title, code in rng.sample(TRAININGS, 3):
            rows.append(
                TrainingSession(
                    **by_barnardos(period),
                    title=title,
                    staff_trained=rng.randint(8, 30) * scale,
                    trainee_agency=agencies[code],
                )
            )
        for venue, venue_type in rng.sample(VENUES, 5):
            rows.append(
                AwarenessSession(
                    **by_barnardos(period),
                    venue_name=venue,
                    venue_type=venue_type,
                    people_reached=rng.randint(2, 25),
                )
            )
        rows.append(
            MemberBriefing(
                occurred_on=_day_in(period, rng),
                agency=agencies["cfs"],
                recorded_by=cfs_recorder,
                members_briefed=rng.randint(8, 20),
                council_total=COUNCIL_MEMBERS,
            )
        )
        for month in range(6):
            held = rng.random() > 0.1
            rows.append(
                MaogMeeting(
                    occurred_on=(
                        period.start.replace(day=1) + dt.timedelta(days=31 * month)
                    ).replace(day=12),
                    agency=agencies["police"],
                    recorded_by=police_recorder,
                    planned=True,
                    held=held,
                    terms_of_reference_in_force=True,
                    minutes_recorded=held and rng.random() > 0.15,
                )
            )
    for row in rows:
        row._history_user = row.recorded_by
        row.save()
    return len(rows)


@transaction.atomic
def seed_actions(*, size: str, rng: random.Random, progress: bool) -> str:
    """Two closed periods of updates and activity; nothing when updates already exist."""
    if ProgressUpdate.objects.exists():
        return "progress updates exist already: skipped"
    closed = current_period().previous()
    periods = [closed.previous(), closed]
    chair = User.objects.filter(username="vap.chair").first()
    updates = _seed_updates(periods, rng, chair)
    activity = _seed_activity(periods, rng, scale=5 if size == "large" else 1)
    return (
        f"{updates} progress updates and {activity} activity entries "
        f"for {closed.previous()} and {closed}"
    )
