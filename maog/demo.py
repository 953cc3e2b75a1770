"""Synthetic MAOG data for the demo: persons of concern, places, vehicles, handles, links,
allegations at every stage of the justice pathway, and intelligence, grouped into a few
realistic networks (several adults around several young people and places).

Made-up people only. Deterministic for a given random generator. Runs after the cases
seeder and uses its young people; skipped when persons of concern already exist. Rows are
bulk-inserted with their history rows, like cases.demo.
"""

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history
from tqdm import tqdm

from accounts.models import User
from cases.models import Ethnicity, MissingEpisode, Sex, YoungPerson
from maog.models import (
    Allegation,
    EpisodePlace,
    Intelligence,
    Link,
    OnlineHandle,
    PersonOfConcern,
    PersonOfConcernGroupObjectPermission,
    Place,
    Vehicle,
)
from maog.permissions import PERSON_SHARE_PERMISSION
from maog.services import person_search_name
from partnership.models import Agency
from partnership.roles import Role

NETWORKS = {"small": 6, "large": 200}
ADULT_FIRST = ["Darren", "Craig", "Scott", "Gary", "Stevie", "Barry", "Kev", "Mark", "Tam", "Jay"]
ADULT_LAST = ["Mackie", "Doig", "Soutar", "Ogilvie", "Fyffe", "Lindsay", "Crichton", "Petrie"]
ALIASES = ["Big D", "Wee C", "Scotty", "G", "The Driver", "Bazza", "K", "Marky", "Uncle T", "J"]
PLACES = [
    ("Flat 2/1, Hilltown Court", Place.PlaceType.PARTY_FLAT),
    ("Flat 4/3, Lochee Road", Place.PlaceType.PARTY_FLAT),
    ("Riverside Hotel", Place.PlaceType.HOTEL),
    ("Seabraes Lodge", Place.PlaceType.HOTEL),
    ("Tay Cabs", Place.PlaceType.TAXI_FIRM),
    ("Discovery Taxis", Place.PlaceType.TAXI_FIRM),
    ("Nethergate Cafe", Place.PlaceType.CAFE),
    ("Westport Coffee House", Place.PlaceType.CAFE),
    ("Club Fever", Place.PlaceType.NIGHTCLUB),
    ("The Reading Rooms", Place.PlaceType.NIGHTCLUB),
    ("Craigie High School (gates)", Place.PlaceType.SCHOOL),
    ("Baldragon Academy (bus stop)", Place.PlaceType.SCHOOL),
    ("Overgate Centre", Place.PlaceType.OTHER),
    ("Magdalen Green", Place.PlaceType.OTHER),
]
PLATFORMS = ["Snapchat", "Instagram", "TikTok", "WhatsApp", "Facebook"]
VEHICLES = ["silver Vauxhall Astra", "black BMW 3 series", "white Ford Transit", "blue VW Golf"]
YOUNG_PERSON_NATURES = [
    Link.Nature.RELATIONSHIP,
    Link.Nature.SUPPLIER,
    Link.Nature.TRANSPORT,
    Link.Nature.SEEN_WITH,
]
NARRATIVES = {
    "online_trends": "Young people added to a group chat by an adult offering 'modelling work'.",
    "sexual_health": "Repeat attendance for emergency contraception; older boyfriend named.",
    "frequently_missing": "Two looked-after girls missing together; found near the same flat.",
    "night_time_economy": "Door staff report girls under 18 brought in by older men.",
    "schools_targeted": "Car seen waiting at the school gates at the end of the day.",
    "party_flats": "Neighbours report parties with young teenagers late at night.",
    "networks": "The adults named are believed to pass young people between them.",
    "gangs": "Young people running errands for an older group in exchange for cannabis.",
    "transport": "Taxi account used to move young people between the flat and the hotel.",
}
BATCH = 1000


def _bulk(model: type, rows: list, *, progress: bool, label: str) -> list:
    made = []
    for start in tqdm(range(0, len(rows), BATCH), desc=label, disable=not progress):
        made += bulk_create_with_history(rows[start : start + BATCH], model, batch_size=BATCH)
    return made


def _registration(rng: random.Random) -> str:
    letters = "ABCDEFGHJKLMNOPRSTUVWXYZ"
    return (
        "S"
        + rng.choice(letters)
        + f"{rng.randint(10, 24)}"
        + "".join(rng.choice(letters) for _ in range(3))
    )


def seed_intel(*, size: str, rng: random.Random, progress: bool) -> str:
    """A few networks around existing young people. Skips when persons of concern exist, or
    when there are no young people or authors to build on (and says so)."""
    if PersonOfConcern.objects.exists():
        return "already seeded"
    young_people = list(YoungPerson.objects.order_by("id").values_list("pk", flat=True)[:20_000])
    if not young_people:
        return "no young people to link: run the cases seeder first"
    maog = User.objects.filter(groups__name=Role.MAOG_MEMBER.value).first()
    police = Agency.objects.filter(code="police").first()
    cfs = Agency.objects.filter(code="cfs").first()
    cfs_author = User.objects.filter(agency=cfs, groups__name=Role.PRACTITIONER.value).first()
    if not (maog and police):
        return "no MAOG member to own the records"
    with transaction.atomic():
        return _seed(
            size=size,
            rng=rng,
            progress=progress,
            young_people=young_people,
            maog=maog,
            cfs_author=cfs_author,
        )


def _seed(
    *,
    size: str,
    rng: random.Random,
    progress: bool,
    young_people: list[int],
    maog: User,
    cfs_author: User | None,
) -> str:
    today = timezone.localdate()
    networks = NETWORKS[size]
    rng.shuffle(young_people)

    def owned(author: User) -> dict[str, Any]:
        return {"owner_agency_id": author.agency_id, "created_by": author}

    # Each network gets places of its own (the named Dundee premises first, then made-up
    # flats), so the networks list shows separate groups rather than one city-wide blob.
    place_rows = []
    streets = ["Hilltown", "Lochee Road", "Strathmartine Road", "Perth Road", "Arbroath Road"]
    for index in range(networks * 2):
        if index < len(PLACES):
            name, kind = PLACES[index]
        else:
            name = f"Flat {index % 9 + 1}/{index // 9 % 4 + 1}, {index} {rng.choice(streets)}"
            kind = Place.PlaceType.PARTY_FLAT
        place_rows.append(
            Place(name=name, address=f"{name}, Dundee", place_type=kind, **owned(maog))
        )
    places = _bulk(Place, place_rows, progress=progress, label="Places")
    persons: list[PersonOfConcern] = []
    plan: list[dict[str, Any]] = []
    yp_cursor = 0
    for number in range(networks):
        adults = rng.randint(3, 5)
        children = rng.randint(3, 6)
        members = []
        for _ in range(adults):
            # Most are police records; some were first recorded by social work.
            author = cfs_author if cfs_author and rng.random() < 0.25 else maog
            first, last = rng.choice(ADULT_FIRST), rng.choice(ADULT_LAST)
            alias = rng.choice(ALIASES)
            person = PersonOfConcern(
                name=f"{first} {last}",
                aliases=alias,
                estimated_age=rng.randint(19, 48),
                sex=Sex.MALE if rng.random() < 0.9 else Sex.FEMALE,
                ethnicity=rng.choice([Ethnicity.WHITE_SCOTTISH] * 6 + [Ethnicity.NOT_KNOWN]),
                description=rng.choice(
                    [
                        "Drives young people around the city; offers alcohol.",
                        "Hosts parties at his flat; gives gifts and phone credit.",
                        "Contacts girls online, then arranges to meet.",
                        "Older 'boyfriend' figure; controlling.",
                    ]
                ),
                search_name=person_search_name(f"{first} {last}", alias),
                **owned(author),
            )
            persons.append(person)
            members.append(person)
        kids = [young_people[(yp_cursor + i) % len(young_people)] for i in range(children)]
        yp_cursor += children
        plan.append(
            {
                "number": number,
                "adults": members,
                "children": kids,
                "places": places[number * 2 : number * 2 + 2],
            }
        )
    persons = _bulk(PersonOfConcern, persons, progress=progress, label="Persons of concern")

    vehicles: list[Vehicle] = []
    handles: list[OnlineHandle] = []
    for network in plan:
        network["vehicle"] = Vehicle(
            registration=_registration(rng), description=rng.choice(VEHICLES), **owned(maog)
        )
        network["handle"] = OnlineHandle(
            platform=rng.choice(PLATFORMS),
            handle=f"{rng.choice(ALIASES).lower().replace(' ', '_')}{rng.randint(10, 999)}",
            **owned(maog),
        )
        vehicles.append(network["vehicle"])
        handles.append(network["handle"])
    _bulk(Vehicle, vehicles, progress=progress, label="Vehicles")
    _bulk(OnlineHandle, handles, progress=progress, label="Online handles")

    links: list[Link] = []

    def link(author: User, nature: str, **ends: Any) -> None:
        links.append(
            Link(
                nature=nature,
                source=rng.choice(["Police report", "MASH discussion", "Return discussion"]),
                start_date=today - dt.timedelta(days=rng.randint(20, 400)),
                **ends,
                **owned(author),
            )
        )

    for network in plan:
        adults, kids = network["adults"], network["children"]
        for left, right in zip(adults, adults[1:], strict=False):
            link(maog, Link.Nature.ASSOCIATE, person=left, other_person=right)
        for index, child in enumerate(kids):
            adult = adults[index % len(adults)]
            link(maog, rng.choice(YOUNG_PERSON_NATURES), person=adult, young_person_id=child)
            if rng.random() < 0.4:
                other = rng.choice(adults)
                if other is not adult:
                    link(maog, Link.Nature.SEEN_WITH, person=other, young_person_id=child)
            link(maog, Link.Nature.FREQUENTS, young_person_id=child, place=network["places"][0])
        for place in network["places"]:
            link(maog, Link.Nature.FREQUENTS, person=rng.choice(adults), place=place)
        link(maog, Link.Nature.USES, person=adults[0], vehicle=network["vehicle"])
        link(maog, Link.Nature.USES, person=adults[-1], handle=network["handle"])
    _bulk(Link, links, progress=progress, label="Links")

    allegations, allegation_persons, allegation_children = _allegations(
        plan, rng=rng, today=today, author=maog, owned=owned
    )
    _bulk(Allegation, allegations, progress=progress, label="Allegations")
    Allegation.persons.through.objects.bulk_create(
        Allegation.persons.through(allegation_id=a.pk, personofconcern_id=p.pk)
        for a, p in allegation_persons
    )
    Allegation.young_people.through.objects.bulk_create(
        Allegation.young_people.through(allegation_id=a.pk, youngperson_id=c)
        for a, c in allegation_children
    )

    entries = _intelligence(plan, rng=rng, today=today, author=maog, owned=owned)
    _bulk(Intelligence, [entry for entry, _ in entries], progress=progress, label="Intelligence")
    m2m = Intelligence
    m2m.persons.through.objects.bulk_create(
        m2m.persons.through(intelligence_id=entry.pk, personofconcern_id=p.pk)
        for entry, network in entries
        for p in network["adults"][:2]
    )
    m2m.places.through.objects.bulk_create(
        m2m.places.through(intelligence_id=entry.pk, place_id=network["places"][0].pk)
        for entry, network in entries
    )
    m2m.young_people.through.objects.bulk_create(
        m2m.young_people.through(intelligence_id=entry.pk, youngperson_id=network["children"][0])
        for entry, network in entries
    )
    m2m.vehicles.through.objects.bulk_create(
        m2m.vehicles.through(intelligence_id=entry.pk, vehicle_id=network["vehicle"].pk)
        for entry, network in entries
        if entry.category == Intelligence.Category.TRANSPORT
    )

    # Each network's first child was found at the network's first place after going missing.
    found = 0
    for network in plan:
        # Saved one by one (a handful of rows) so each one has its history row.
        for episode in MissingEpisode.objects.filter(
            young_person_id=network["children"][0], located_at__isnull=False
        ):
            EpisodePlace.objects.create(episode=episode, place=network["places"][0])
            found += 1

    shares = _share_with_cfs(persons, rng=rng)
    return (
        f"{len(plan)} networks: {len(persons)} persons of concern, {len(places)} places, "
        f"{len(vehicles)} vehicles, {len(handles)} handles, {len(links)} links, "
        f"{len(allegations)} allegations, {len(entries)} intelligence entries, "
        f"{found} episodes found at a place, {shares} persons shared with social work"
    )


def _allegations(
    plan: list[dict[str, Any]],
    *,
    rng: random.Random,
    today: dt.date,
    author: User,
    owned: Callable[[User], dict[str, Any]],
) -> tuple[
    list[Allegation], list[tuple[Allegation, PersonOfConcern]], list[tuple[Allegation, int]]
]:
    """One or two allegations per network, spread across every stage of the pathway."""
    outcome = Allegation.ProsecutionOutcome
    stages = ["alleged", "police", "investigated", "copfs", "prosecuted", "convicted", "nfa"]
    allegations: list[Allegation] = []
    persons: list[tuple[Allegation, PersonOfConcern]] = []
    children: list[tuple[Allegation, int]] = []
    for network in plan:
        for _ in range(rng.randint(1, 2)):
            stage = stages[len(allegations) % len(stages)]
            alleged = today - dt.timedelta(days=rng.randint(60, 500))
            police = alleged + dt.timedelta(days=rng.randint(0, 5))
            copfs = police + dt.timedelta(days=rng.randint(20, 60))
            result = copfs + dt.timedelta(days=rng.randint(30, 120))
            reached = stages.index(stage)
            mappa = stage == "convicted"
            allegation = Allegation(
                summary=rng.choice(
                    [
                        "Sexual activity with a child under 16 after giving alcohol.",
                        "Grooming online, then meeting the young person at a flat.",
                        "Taking young people to a hotel and supplying drugs.",
                    ]
                ),
                alleged_on=alleged,
                reported_to_police_on=police if reached >= 1 else None,
                investigated=reached >= 2,
                reported_to_copfs_on=copfs if reached >= 3 else None,
                prosecution_outcome={
                    "prosecuted": outcome.PROSECUTED,
                    "convicted": outcome.CONVICTED,
                    "nfa": outcome.NO_PROCEEDINGS,
                }.get(stage, outcome.PENDING),
                outcome_date=min(result, today) if reached >= 4 else None,
                mappa_managed=mappa,
                victim_safety_plan=mappa,
                safety_plan_evidence="Victim safety plan minuted at the MAPPA meeting."
                if mappa
                else "",
                **owned(author),
            )
            if stage == "nfa":  # no proceedings still went through COPFS
                allegation.reported_to_police_on = police
                allegation.investigated = True
                allegation.reported_to_copfs_on = copfs
            allegations.append(allegation)
            persons.append((allegation, network["adults"][0]))
            children.extend((allegation, child) for child in network["children"][:2])
    return allegations, persons, children


def _intelligence(
    plan: list[dict[str, Any]],
    *,
    rng: random.Random,
    today: dt.date,
    author: User,
    owned: Callable[[User], dict[str, Any]],
) -> list[tuple[Intelligence, dict[str, Any]]]:
    sources = list(Agency.objects.filter(code__in=["police", "cfs", "nhs", "education"]))
    entries: list[tuple[Intelligence, dict[str, Any]]] = []
    categories = list(Intelligence.Category)
    for network in plan:
        for _ in range(rng.randint(2, 4)):
            category = categories[len(entries) % len(categories)]
            entries.append(
                (
                    Intelligence(
                        received_on=today - dt.timedelta(days=rng.randint(1, 300)),
                        source_agency=rng.choice(sources),
                        source_evaluation=rng.choice("123"),
                        intelligence_assessment=rng.choice("ABCD"),
                        handling_code=rng.choice("PC"),
                        category=category,
                        narrative=NARRATIVES[category],
                        action_taken=rng.choice(
                            ["Shared at MAOG; patrols increased.", "Disruption visit made.", ""]
                        ),
                        **owned(author),
                    ),
                    network,
                )
            )
    return entries


def _share_with_cfs(persons: list[PersonOfConcern], *, rng: random.Random) -> int:
    """Share a third of the police-held persons with social work, as the MAOG would."""
    cfs = Agency.objects.filter(code="cfs").first()
    permission = Permission.objects.filter(
        codename=PERSON_SHARE_PERMISSION, content_type__app_label="maog"
    ).first()
    if not (cfs and permission and cfs.group_id is not None):
        return 0
    grants = [
        PersonOfConcernGroupObjectPermission(
            content_object=person, group_id=cfs.group_id, permission=permission
        )
        for person in persons
        if person.owner_agency_id != cfs.pk and rng.random() < 0.33
    ]
    PersonOfConcernGroupObjectPermission.objects.bulk_create(grants)
    return len(grants)
