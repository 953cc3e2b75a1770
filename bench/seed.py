"""Seed the bench database at partnership scale, fast: set-based INSERT ... SELECT.

Rows are generated inside PostgreSQL from generate_series with a fixed random seed, so the
bulk never crosses the wire and scale 1 (300,000 referrals, 200,000 young people, 500,000
missing episodes, 12 agencies) takes a minute or two rather than hours. The few rows that
need the product's own rules (users, the network of 200 nodes) go through Django.

A marker table (bench_seed) records the scale and the seed version: a run at the same scale
reuses the data; any other scale or version wipes and reseeds.
"""

import datetime as dt
import json
import time
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from bench.seed_bulk import bulk, execute, scalar

SEED_VERSION = 6
BENCH_AGENCY = ("benchpartner", "Bench Partnership Agency", "Bench agency")
BENCH_PASSWORD = "bench-password-not-secret"  # noqa: S105 - bench-only accounts
# Largest first: the agency the lists are measured for holds ~30% of the records.
AGENCY_WEIGHTS = {
    "cfs": 30,
    "police": 18,
    "nhs": 12,
    "education": 10,
    "barnardos": 6,
    "wrasac": 4,
    "safeandsound": 4,
    "sacro": 4,
    "venturetrust": 3,
    "tca": 3,
    "copfs": 3,
    BENCH_AGENCY[0]: 3,
}
LARGEST_AGENCY = "cfs"

SCALES: dict[str, dict[str, int]] = {
    "quick": {"young_people": 200_000, "referrals": 90_000, "episodes": 150_000},
    "1": {"young_people": 200_000, "referrals": 300_000, "episodes": 500_000},
    "3": {"young_people": 600_000, "referrals": 900_000, "episodes": 1_500_000},
}
CHRONOLOGY_EVENTS = 200
NETWORK_NODES = 200


@dataclass(frozen=True)
class Seeded:
    """What the measurements need to know about the seeded data."""

    scale: str
    counts: dict[str, int]
    largest_agency_id: int
    chronology_young_person_id: int
    network_root_id: int
    seconds: float

    @classmethod
    def from_json(cls, data: dict[str, Any] | str) -> "Seeded":
        # Django's psycopg setup loads jsonb as text (JSONField decodes it itself).
        return cls(**(json.loads(data) if isinstance(data, str) else data))


def _marker() -> Seeded | None:
    connection.ensure_connection()
    execute(
        "CREATE TABLE IF NOT EXISTS bench_seed (id int PRIMARY KEY, scale text NOT NULL, "
        "version int NOT NULL, details jsonb NOT NULL, seeded_at timestamptz NOT NULL)"
    )
    with connection.connection.cursor() as cursor:
        cursor.execute("SELECT scale, version, details FROM bench_seed WHERE id = 1")
        row = cursor.fetchone()
    if row is None or row[1] != SEED_VERSION:
        return None
    return Seeded.from_json(row[2])


def ensure_seeded(scale: str, *, log: Any = print) -> Seeded:
    """Reuse the data when the marker says this scale and version; else wipe and seed."""
    existing = _marker()
    if existing is not None and existing.scale == scale:
        log(f"seed: reusing the {scale} data seeded earlier ({existing.counts})")
        return existing
    started = time.monotonic()
    log(f"seed: seeding scale {scale} {SCALES[scale]} (set-based inserts)")
    with transaction.atomic():
        _wipe()
        agencies = _agencies()
        users = _users(agencies)
        counts = bulk(SCALES[scale], agencies, users, AGENCY_WEIGHTS)
        chronology_id = _chronology_person(agencies, users)
        network_root = _network(agencies, users)
    _analyze()
    seeded = Seeded(
        scale=scale,
        counts=counts,
        largest_agency_id=agencies[LARGEST_AGENCY],
        chronology_young_person_id=chronology_id,
        network_root_id=network_root,
        seconds=round(time.monotonic() - started, 1),
    )
    execute(
        "INSERT INTO bench_seed (id, scale, version, details, seeded_at) "
        "VALUES (1, %(scale)s, %(version)s, %(details)s, now()) ON CONFLICT (id) DO UPDATE "
        "SET scale = EXCLUDED.scale, version = EXCLUDED.version, details = EXCLUDED.details, "
        "seeded_at = EXCLUDED.seeded_at",
        {"scale": scale, "version": SEED_VERSION, "details": json.dumps(seeded.__dict__)},
    )
    log(f"seed: done in {seeded.seconds} s")
    return seeded


def _wipe() -> None:
    """Empty every table the seed fills (a half-finished earlier seed included)."""
    execute("DELETE FROM bench_seed")
    execute(
        "TRUNCATE cases_referral, cases_missingepisode, cases_csemarker, cases_riskanswer, "
        "cases_riskassessment, cases_feedback, cases_support, cases_caseshare, "
        "cases_youngpersongroupobjectpermission, cases_youngpersonuserobjectpermission, "
        "cases_link, cases_place, cases_vehicle, cases_onlinehandle, cases_personofconcern, "
        "cases_allegation, cases_allegation_persons, cases_allegation_young_people, "
        "cases_youngperson, audit_accessevent, django_session CASCADE"
    )
    # History rows written by earlier runs' audited saves point at the bench users.
    with connection.connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
            "AND tablename LIKE 'cases_historical%'"
        )
        history = [row[0] for row in cursor.fetchall()]
    if history:
        execute(f"TRUNCATE {', '.join(history)}")
    execute(
        "DELETE FROM partnership_user_groups WHERE user_id IN "
        "(SELECT id FROM partnership_user WHERE username LIKE 'bench.%%')"
    )
    execute("DELETE FROM partnership_user WHERE username LIKE 'bench.%%'")


def _agencies() -> dict[str, int]:
    """The 11 agencies of the reference data plus a 12th for the bench."""
    from django.contrib.auth.models import Group

    from partnership.models import Agency

    code, name, short_name = BENCH_AGENCY
    group, _ = Group.objects.get_or_create(name=f"agency:{code}")
    Agency.objects.update_or_create(
        code=code, defaults={"name": name, "short_name": short_name, "group": group}
    )
    return dict(Agency.objects.values_list("code", "id"))


def _users(agencies: dict[str, int]) -> dict[str, int]:
    """One practitioner per agency (the record authors) and a MAOG member in Police."""
    from accounts.services import user_create
    from partnership.models import Agency
    from partnership.roles import Role

    users = {}
    password = make_password(BENCH_PASSWORD)
    for code in agencies:
        agency = Agency.objects.get(code=code)
        roles = [Role.PRACTITIONER, Role.AGENCY_MANAGER]
        if code == "police":
            roles.append(Role.MAOG_MEMBER)
        user = user_create(
            actor=None, username=f"bench.{code}", agency=agency, roles=roles, password=None
        )
        user.password = password
        user.save(update_fields=["password"])
        users[code] = user.pk
    return users


def _chronology_person(agencies: dict[str, int], users: dict[str, int]) -> int:
    """A young person of the largest agency with exactly 200 chronology events:
    60 referrals with outcomes (120 events) and 40 located episodes (80 events)."""
    agency = agencies[LARGEST_AGENCY]
    params = {"agency": agency, "author": users[LARGEST_AGENCY], "today": timezone.localdate()}
    yp = scalar(
        """
        INSERT INTO cases_youngperson (owner_agency_id, created_by_id, created_at, updated_at,
            version, first_name, last_name, known_as, date_of_birth, sex, ethnicity,
            disability, looked_after, placement_type, school, search_name, review_date,
            legal_hold)
        VALUES (%(agency)s, %(author)s, now(), now(), 1, 'Chronology', 'Bench', '',
            %(today)s::date - 5000, 'female', 'not_known', '', true, 'residential', '',
            'bench chronology', NULL, false)
        RETURNING id
        """,
        params,
    )
    params["yp"] = yp
    execute(
        """
        INSERT INTO cases_referral (owner_agency_id, created_by_id, created_at, updated_at,
            version, young_person_id, case_agency_id, received_on, referring_agency_id,
            referrer_name, referrer_role, concerns, initial_risk_level, outcome, outcome_date)
        SELECT %(agency)s, %(author)s, now(), now(), 1, %(yp)s, %(agency)s,
            %(today)s::date - 1000 + g * 15, %(agency)s, '', '', 'Concern number ' || g,
            'moderate', 'advice', %(today)s::date - 1000 + g * 15 + 3
        FROM generate_series(1, 60) g
        """,
        params,
    )
    execute(
        """
        INSERT INTO cases_missingepisode (owner_agency_id, created_by_id, created_at,
            updated_at, version, young_person_id, case_agency_id, missing_from, located_at,
            category, placement_type, placement_name, where_found, found_with,
            reported_to_police, return_discussion, rd_offered_at, rd_declined_reason,
            rd_reoffered_at, rd_completed_at, rd_agency_id)
        SELECT %(agency)s, %(author)s, now(), now(), 1, %(yp)s, %(agency)s,
            now() - (g * 20 || ' days')::interval,
            now() - (g * 20 || ' days')::interval + interval '10 hours',
            'missing_medium', 'residential', 'Unit', 'Bus station', '', true, 'offered',
            now() - (g * 20 || ' days')::interval + interval '20 hours', '', NULL, NULL, NULL
        FROM generate_series(1, 40) g
        """,
        params,
    )
    return yp


def _network(agencies: dict[str, int], users: dict[str, int]) -> int:
    """A network of 200 nodes around one person of concern (Police, the MAOG's agency):
    the root, 19 associates, and 180 places, vehicles and handles linked to them."""
    from maog.models import Link, OnlineHandle, PersonOfConcern, Place, Vehicle

    common = {"owner_agency_id": agencies["police"], "created_by_id": users["police"]}
    root = PersonOfConcern.objects.create(name="Bench Root", search_name="bench root", **common)
    associates = PersonOfConcern.objects.bulk_create(
        PersonOfConcern(name=f"Associate {i}", search_name=f"associate {i}", **common)
        for i in range(19)
    )
    places = Place.objects.bulk_create(
        Place(name=f"Place {i}", place_type="party_flat", **common) for i in range(60)
    )
    vehicles = Vehicle.objects.bulk_create(
        Vehicle(registration=f"BN{i:02d} ABC", **common) for i in range(60)
    )
    handles = OnlineHandle.objects.bulk_create(
        OnlineHandle(platform="Snapchat", handle=f"bench_{i}", **common) for i in range(60)
    )
    links = [Link(person=root, other_person=a, nature="associate", **common) for a in associates]
    leaves: list[tuple[str, Any]] = (
        [("place", p) for p in places]
        + [("vehicle", v) for v in vehicles]
        + [("handle", h) for h in handles]
    )
    for i, (field, target) in enumerate(leaves):
        nature = {"place": "frequents", "vehicle": "uses", "handle": "uses"}[field]
        links.append(
            Link(person=associates[i % len(associates)], nature=nature, **{field: target}, **common)
        )
    Link.objects.bulk_create(links)
    return root.pk


def _analyze() -> None:
    """VACUUM ANALYZE outside the transaction: planner statistics and the visibility map
    (so counts can use index-only scans), as a deployment's autovacuum would have them."""
    for table in (
        "cases_youngperson",
        "cases_referral",
        "cases_missingepisode",
        "cases_youngpersongroupobjectpermission",
        "cases_caseshare",
        "cases_csemarker",
        "cases_riskassessment",
        "cases_support",
        "cases_feedback",
        "cases_link",
        "cases_personofconcern",
    ):
        execute(f"VACUUM ANALYZE {table}")


def period_with_data() -> Any:
    """The last closed half-year: the seeded dates cover the ten years before today."""
    from partnership.periods import current_period

    return current_period().previous()


def started_at() -> dt.datetime:
    return timezone.now()
