"""Synthetic case records for the demo: plausible, made-up people only.

Deterministic for a given random generator (dates are relative to the day it runs). Records
are bulk-inserted with their history rows (simple-history's bulk_create_with_history), so
the demo's "what changed" pages are not empty.
"""

import datetime as dt
import random
from collections.abc import Iterator
from decimal import Decimal

from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history
from tqdm import tqdm

from accounts.models import User
from cases.models import (
    CaseShare,
    CseMarker,
    Ethnicity,
    Feedback,
    MissingEpisode,
    PlacementType,
    Referral,
    RiskAssessment,
    RiskLevel,
    RiskTool,
    Sex,
    Support,
    YoungPerson,
    YoungPersonGroupObjectPermission,
)
from partnership.models import Agency
from partnership.roles import Role

SIZES = {"small": 400, "large": 50_000}  # young people
FIRST_NAMES_F = [
    "Ava",
    "Isla",
    "Olivia",
    "Emily",
    "Sophie",
    "Amelia",
    "Freya",
    "Ella",
    "Grace",
    "Lily",
    "Millie",
    "Ruby",
    "Chloe",
    "Skye",
    "Kayla",
    "Leah",
    "Erin",
    "Megan",
]
FIRST_NAMES_M = [
    "Jack",
    "Noah",
    "Leo",
    "Harris",
    "Lewis",
    "Callum",
    "Rory",
    "Finlay",
    "Kyle",
    "Jamie",
    "Aidan",
    "Ryan",
    "Connor",
    "Liam",
    "Euan",
    "Blair",
    "Reece",
]
LAST_NAMES = [
    "Smith",
    "Brown",
    "Wilson",
    "Robertson",
    "Thomson",
    "Campbell",
    "Stewart",
    "Anderson",
    "Scott",
    "Murray",
    "MacDonald",
    "Reid",
    "Taylor",
    "Clark",
    "Ross",
    "Young",
    "Mitchell",
    "Watson",
    "Paterson",
    "Morrison",
    "Fraser",
    "Hunter",
    "Duncan",
    "Kerr",
    "Gray",
    "Ferguson",
    "Grant",
    "Milne",
    "Bell",
    "Ritchie",
]
SCHOOLS = [
    "Harbour Academy",
    "Law Hill High School",
    "Riverside Academy",
    "St Anne's RC High",
    "Eastfield High School",
    "Westpark Academy",
    "",
]
CONCERNS = [
    "Seen getting into cars with older men after school.",
    "Staying out overnight; returns with new phone and clothes she cannot explain.",
    "Disclosed to a teacher that an older 'boyfriend' asks for pictures.",
    "Found at a flat known for parties where adults supply alcohol.",
    "Frequently missing from residential unit; picked up by taxis late at night.",
    "Online contact with adults met through a gaming platform.",
    "Sexual health clinic raised concerns about an older partner.",
    "Parent worried about gifts and money from unknown adults.",
]
OWNER_WEIGHTS = {
    "cfs": 45,
    "police": 18,
    "nhs": 8,
    "barnardos": 10,
    "education": 8,
    "safeandsound": 4,
    "wrasac": 4,
    "sacro": 1,
    "venturetrust": 1,
    "tca": 1,
}
SHARE_REASONS = [
    "Joint assessment of CSE risk",
    "IRD agreed joint approach",
    "Support service needs the history",
    "Police enquiry into a suspected network",
]
BATCH = 2000


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _batches(items: list, size: int = BATCH) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _bulk(model: type, rows: list, *, progress: bool, label: str) -> None:
    for chunk in tqdm(list(_batches(rows)), desc=label, disable=not progress, unit="batch"):
        bulk_create_with_history(chunk, model, batch_size=BATCH)


def seed_cases(*, size: str, rng: random.Random, progress: bool) -> str:
    """Young people with referrals, markers, assessments, missing episodes, support,
    feedback and shares. Skips when young people already exist."""
    if YoungPerson.objects.exists():
        return "already seeded"
    agencies = {agency.code: agency for agency in Agency.objects.all()}
    authors = {
        user.agency_id: user
        for user in User.objects.filter(groups__name=Role.PRACTITIONER.value).select_related(
            "agency"
        )
    }
    if not authors:
        return "no demo practitioners to own records"
    owner_codes = [
        code for code in OWNER_WEIGHTS if agencies.get(code) and agencies[code].pk in authors
    ]
    weights = {code: OWNER_WEIGHTS[code] for code in owner_codes}
    today = timezone.localdate()
    now = timezone.now()
    count = SIZES[size]
    tool = RiskTool.objects.filter(is_active=True).first()

    with transaction.atomic():
        people = []
        for _ in range(count):
            sex = rng.choice([Sex.FEMALE] * 7 + [Sex.MALE] * 3)
            first = rng.choice(FIRST_NAMES_F if sex == Sex.FEMALE else FIRST_NAMES_M)
            last = rng.choice(LAST_NAMES)
            owner = agencies[_weighted(rng, weights)]
            placement = rng.choice(
                [PlacementType.HOME] * 6
                + [
                    PlacementType.KINSHIP,
                    PlacementType.FOSTER,
                    PlacementType.RESIDENTIAL,
                    PlacementType.RESIDENTIAL,
                ]
            )
            people.append(
                YoungPerson(
                    owner_agency=owner,
                    created_by=authors[owner.pk],
                    first_name=first,
                    last_name=last,
                    search_name=f"{last} {first}".lower(),
                    date_of_birth=today - dt.timedelta(days=rng.randint(9 * 365, 17 * 365 + 300)),
                    sex=sex,
                    ethnicity=rng.choice([Ethnicity.WHITE_SCOTTISH] * 12 + list(Ethnicity.values)),
                    looked_after=placement != PlacementType.HOME,
                    placement_type=placement,
                    school=rng.choice(SCHOOLS),
                    disability=rng.choice([""] * 9 + ["Learning disability"]),
                )
            )
        _bulk(YoungPerson, people, progress=progress, label="Young people")
        people = list(YoungPerson.objects.order_by("pk"))

        referrals, markers, assessments, episodes, supports, feedback = [], [], [], [], [], []
        for person in people:
            owner_common = {
                "owner_agency_id": person.owner_agency_id,
                "case_agency_id": person.owner_agency_id,
                "created_by": authors[person.owner_agency_id],
                "young_person": person,
            }
            for _ in range(rng.choice([1, 1, 2, 2, 3])):
                received = today - dt.timedelta(days=rng.randint(0, 900))
                outcome = rng.choice(Referral.Outcome.values)
                outcome_date = (
                    None
                    if outcome == Referral.Outcome.STILL_OPEN
                    else min(today, received + dt.timedelta(days=rng.randint(1, 40)))
                )
                referrals.append(
                    Referral(
                        **owner_common,
                        received_on=received,
                        referring_agency=agencies[rng.choice(list(weights))],
                        referrer_name="",
                        concerns=rng.choice(CONCERNS),
                        initial_risk_level=rng.choice(RiskLevel.values),
                        outcome=outcome,
                        outcome_date=outcome_date,
                    )
                )
            if rng.random() < 0.35:
                start = today - dt.timedelta(days=rng.randint(0, 700))
                markers.append(
                    CseMarker(
                        **owner_common,
                        marker_type=rng.choice(CseMarker.MarkerType.values),
                        start_date=start,
                        end_date=None
                        if rng.random() < 0.7
                        else min(today, start + dt.timedelta(days=180)),
                        risk_level=rng.choice(
                            [RiskLevel.MILD, RiskLevel.MODERATE, RiskLevel.SIGNIFICANT]
                        ),
                    )
                )
            if tool and rng.random() < 0.6:
                assessed = today - dt.timedelta(days=rng.randint(0, 400))
                score = Decimal(rng.randint(0, 30))
                level = (
                    RiskLevel.SIGNIFICANT
                    if score >= tool.significant_from
                    else RiskLevel.MODERATE
                    if score >= tool.moderate_from
                    else RiskLevel.MILD
                    if score >= tool.mild_from
                    else RiskLevel.NOT_AT_RISK
                )
                assessments.append(
                    RiskAssessment(
                        **owner_common,
                        tool=tool,
                        assessed_on=assessed,
                        score=score,
                        calculated_level=level,
                        level=level,
                        reassessment_due=assessed + dt.timedelta(days=91),
                    )
                )
            for _ in range(rng.choice([0, 0, 0, 1, 1, 2, 3, 4])):
                missing_from = now - dt.timedelta(
                    days=rng.randint(0, 800), hours=rng.randint(0, 23)
                )
                found_at = missing_from + dt.timedelta(hours=rng.randint(2, 60))
                located = found_at if found_at < now else None
                rd = MissingEpisode.ReturnDiscussion.NOT_OFFERED
                completed = None
                if located and rng.random() < 0.75:
                    rd = rng.choice(
                        [
                            MissingEpisode.ReturnDiscussion.COMPLETED,
                            MissingEpisode.ReturnDiscussion.COMPLETED,
                            MissingEpisode.ReturnDiscussion.COMPLETED,
                            MissingEpisode.ReturnDiscussion.DECLINED,
                            MissingEpisode.ReturnDiscussion.OFFERED,
                        ]
                    )
                    if rd == MissingEpisode.ReturnDiscussion.COMPLETED:
                        completed = min(now, located + dt.timedelta(hours=rng.randint(4, 120)))
                episodes.append(
                    MissingEpisode(
                        **owner_common,
                        missing_from=missing_from,
                        located_at=located,
                        category=rng.choice(MissingEpisode.Category.values),
                        placement_type=person.placement_type,
                        where_found=rng.choice(
                            [
                                "",
                                "Friend's house",
                                "City centre",
                                "A flat in the east end",
                                "Bus station",
                            ]
                        ),
                        reported_to_police=rng.random() < 0.8,
                        return_discussion=rd,
                        rd_offered_at=located if rd != "not_offered" else None,
                        rd_declined_reason="Did not want to talk" if rd == "declined" else "",
                        rd_completed_at=completed,
                        rd_agency=agencies["safeandsound"] if rd != "not_offered" else None,
                    )
                )
            if rng.random() < 0.3:
                offered = today - dt.timedelta(days=rng.randint(0, 600))
                accepted = rng.random() < 0.75
                supports.append(
                    Support(
                        **owner_common,
                        provider_agency=agencies[
                            rng.choice(["barnardos", "wrasac", "safeandsound"])
                        ],
                        service_type=rng.choice(Support.ServiceType.values),
                        offered_on=offered,
                        accepted=accepted,
                        started_on=min(today, offered + dt.timedelta(days=7)) if accepted else None,
                        ended_on=None
                        if rng.random() < 0.6 or not accepted
                        else min(today, offered + dt.timedelta(days=120)),
                    )
                )
                if accepted and rng.random() < 0.5:
                    feedback.append(
                        Feedback(
                            **owner_common,
                            received_on=min(
                                today, offered + dt.timedelta(days=rng.randint(30, 200))
                            ),
                            respondent=rng.choice(Feedback.Respondent.values),
                            satisfied=rng.random() < 0.8,
                            comment=rng.choice(
                                [
                                    "",
                                    "Helped a lot.",
                                    "Worker listened.",
                                    "Too many changes of worker.",
                                ]
                            ),
                        )
                    )
        for model, rows, label in (
            (Referral, referrals, "Referrals"),
            (CseMarker, markers, "CSE markers"),
            (RiskAssessment, assessments, "Risk assessments"),
            (MissingEpisode, episodes, "Missing episodes"),
            (Support, supports, "Support"),
            (Feedback, feedback, "Feedback"),
        ):
            _bulk(model, rows, progress=progress, label=label)

        shares = _seed_shares(people, agencies, rng=rng, progress=progress)
    return (
        f"{len(people)} young people, {len(referrals)} referrals, {len(episodes)} missing "
        f"episodes, {len(assessments)} assessments, {len(supports)} support, {shares} shares"
    )


def _seed_shares(
    people: list[YoungPerson], agencies: dict[str, Agency], *, rng: random.Random, progress: bool
) -> int:
    """Share about one case in eight with another agency: a CaseShare row and its grant."""
    managers = {
        user.agency_id: user for user in User.objects.filter(groups__name=Role.AGENCY_MANAGER.value)
    }
    view = Permission.objects.get(content_type__app_label="cases", codename="view_youngperson")
    partners = [
        agencies[code]
        for code in ("police", "cfs", "nhs", "barnardos", "education")
        if code in agencies
    ]
    share_rows, grant_rows = [], []
    for person in people:
        if rng.random() >= 0.125 or person.owner_agency_id not in managers:
            continue
        partner = rng.choice([a for a in partners if a.pk != person.owner_agency_id])
        if partner.group_id is None:  # every agency has its group; the check is for the type
            continue
        share_rows.append(
            CaseShare(
                young_person=person,
                agency=partner,
                lawful_basis=rng.choice(CaseShare.LawfulBasis.values),
                reason=rng.choice(SHARE_REASONS),
                shared_by=managers[person.owner_agency_id],
            )
        )
        grant_rows.append(
            YoungPersonGroupObjectPermission(
                content_object=person, group_id=partner.group_id, permission=view
            )
        )
    _bulk(CaseShare, share_rows, progress=progress, label="Shares")
    YoungPersonGroupObjectPermission.objects.bulk_create(grant_rows, batch_size=BATCH)
    return len(share_rows)
