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
# Fractions of young people with each kind of extra record (realistic, not exhaustive).
SHARED_ONCE = 0.10  # case shared with one other agency
SHARED_TWICE = 0.03  # ...and with a second one
MARKED = 0.15
ASSESSED = 0.10
SUPPORTED = 0.05
CHRONOLOGY_EVENTS = 200
NETWORK_NODES = 200

FIRST_NAMES = (
    "Amy Ben Chloe Dylan Ella Finn Grace Harris Isla Jack Kayla Liam Megan Noah Olivia "
    "Ryan Sophie Tyler Zara Aiden Ava Caleb Demi Erin Fraser Holly Ivy Jay Katie Leah "
    "Mason Niamh Owen Poppy Reece Skye Taylor Uma Logan Millie"
).split()
LAST_NAMES = (
    "Smith Brown Wilson Campbell Stewart Thomson Robertson Anderson Macdonald Scott Reid "
    "Murray Taylor Clark Ross Watson Morrison Paterson Young Mitchell Walker Fraser Miller "
    "McDonald Gray Henderson Hamilton Johnston Duncan Graham Ferguson Kerr Davidson Bell "
    "Cameron Kelly Martin Hunter Allan Grant Simpson Mackenzie Black Wallace Marshall "
    "Gibson Sutherland Kennedy Gordon Burns Hughes Russell Mackay Wood Boyle Ritchie Milne "
    "Munro Crawford Docherty"
).split()


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


def _exec(sql: str, params: dict[str, Any] | None = None) -> None:
    with connection.connection.cursor() as cursor:
        cursor.execute(sql, params or {})


def _scalar(sql: str, params: dict[str, Any] | None = None) -> Any:
    with connection.connection.cursor() as cursor:
        cursor.execute(sql, params or {})
        row = cursor.fetchone()
    return row[0] if row else None


def _marker() -> Seeded | None:
    connection.ensure_connection()
    _exec(
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
        counts = _bulk(SCALES[scale], agencies, users)
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
    _exec(
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
    _exec("DELETE FROM bench_seed")
    _exec(
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
        _exec(f"TRUNCATE {', '.join(history)}")
    _exec(
        "DELETE FROM partnership_user_groups WHERE user_id IN "
        "(SELECT id FROM partnership_user WHERE username LIKE 'bench.%%')"
    )
    _exec("DELETE FROM partnership_user WHERE username LIKE 'bench.%%'")


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


def _weights(agencies: dict[str, int]) -> list[int]:
    """100 agency ids, each as often as its weight: random index = weighted choice."""
    weighted = [agencies[code] for code, weight in AGENCY_WEIGHTS.items() for _ in range(weight)]
    assert len(weighted) == 100  # noqa: S101 - a constant table, checked once
    return weighted


def _bulk(sizes: dict[str, int], agencies: dict[str, int], users: dict[str, int]) -> dict[str, int]:
    weights = _weights(agencies)
    author = [0] * (max(agencies.values()) + 1)
    for code, agency_id in agencies.items():
        author[agency_id] = users[code]
    agency_ids = sorted(agencies.values())
    params = {
        "w": weights,
        "author": author[1:],  # PostgreSQL arrays start at 1, like agency ids
        "agencies": agency_ids,
        "first": FIRST_NAMES,
        "last": LAST_NAMES,
        "n_yp": sizes["young_people"],
        "n_ref": sizes["referrals"],
        "n_ep": sizes["episodes"],
        "today": timezone.localdate(),
        "tool": _scalar("SELECT id FROM cases_risktool ORDER BY id LIMIT 1"),
    }
    if min(agency_ids) < 1:
        raise RuntimeError("agency ids must start at 1 for the author array")
    _exec("SELECT setseed(0.42)")
    # Young people: weighted owner, names from small lists, born 2003-2021.
    _exec(
        """
        INSERT INTO cases_youngperson (owner_agency_id, created_by_id, created_at, updated_at,
            version, first_name, last_name, known_as, date_of_birth, sex, ethnicity, disability,
            looked_after, placement_type, school, search_name, review_date, legal_hold)
        SELECT s.agency, (%(author)s::bigint[])[s.agency], now(), now(), 1, s.fn, s.ln, '',
            s.dob, s.sex, s.eth, '', s.lac, CASE WHEN s.lac THEN 'residential' ELSE 'home' END,
            '', lower(s.ln || ' ' || s.fn), NULL, false
        FROM (
            SELECT (%(w)s::bigint[])[1 + floor(random() * 100)::int] AS agency,
                (%(first)s::text[])[1 + floor(random() * cardinality(%(first)s::text[]))::int]
                    AS fn,
                (%(last)s::text[])[1 + floor(random() * cardinality(%(last)s::text[]))::int]
                    || CASE WHEN random() < 0.5 THEN '' ELSE '-' || (g %% 997)::text END AS ln,
                %(today)s::date - (2200 + floor(random() * 4400))::int AS dob,
                (ARRAY['female','male','female','other'])[1 + floor(random() * 4)::int] AS sex,
                (ARRAY['white_scottish','white_scottish','white_scottish','white_other_british',
                       'white_other','mixed','asian','african','caribbean_black','not_known'])
                    [1 + floor(random() * 10)::int] AS eth,
                random() < 0.2 AS lac
            FROM generate_series(1, %(n_yp)s) g
        ) s
        """,
        params,
    )
    _exec(
        "CREATE TEMP TABLE bench_yp ON COMMIT DROP AS SELECT id, owner_agency_id, "
        "row_number() OVER (ORDER BY id) AS rn FROM cases_youngperson"
    )
    _exec("CREATE UNIQUE INDEX ON bench_yp (rn)")
    # Referrals: about a random young person; 15% owned by another agency than the case's.
    _exec(
        """
        INSERT INTO cases_referral (owner_agency_id, created_by_id, created_at, updated_at,
            version, young_person_id, case_agency_id, received_on, referring_agency_id,
            referrer_name, referrer_role, concerns, initial_risk_level, outcome, outcome_date)
        SELECT o.owner, (%(author)s::bigint[])[o.owner], now(), now(), 1, o.yp, o.case_agency,
            o.received, o.referrer, 'A referrer', 'Guidance teacher',
            'Seen with older males near the shopping centre; new phone and gifts; '
            || 'missing from school twice this month. Reference ' || o.g::text,
            o.risk, o.outcome,
            CASE WHEN o.outcome = 'still_open' THEN NULL
                ELSE LEAST(o.received + o.days, %(today)s::date) END
        FROM (
            SELECT s.g, y.id AS yp, y.owner_agency_id AS case_agency,
                CASE WHEN s.other THEN s.other_agency ELSE y.owner_agency_id END AS owner,
                s.received, s.referrer, s.risk, s.outcome, s.days
            FROM (
                SELECT g, 1 + floor(random() * %(n_yp)s)::bigint AS rn,
                    random() < 0.15 AS other,
                    (%(w)s::bigint[])[1 + floor(random() * 100)::int] AS other_agency,
                    %(today)s::date - floor(random() * 3650)::int AS received,
                    (%(agencies)s::bigint[])[1 + floor(random() * 12)::int] AS referrer,
                    (ARRAY['mild','moderate','significant','not_at_risk'])
                        [1 + floor(random() * 4)::int] AS risk,
                    (ARRAY['still_open','nfa','advice','single_agency','ird','cp_conference',
                           'cp_registration','other_service'])[1 + floor(random() * 8)::int]
                        AS outcome,
                    floor(random() * 30)::int AS days
                FROM generate_series(1, %(n_ref)s) g
            ) s JOIN bench_yp y ON y.rn = s.rn
        ) o
        """,
        params,
    )
    # Missing episodes: 90% located, return discussions in every state.
    _exec(
        """
        INSERT INTO cases_missingepisode (owner_agency_id, created_by_id, created_at,
            updated_at, version, young_person_id, case_agency_id, missing_from, located_at,
            category, placement_type, placement_name, where_found, found_with,
            reported_to_police, return_discussion, rd_offered_at, rd_declined_reason,
            rd_reoffered_at, rd_completed_at, rd_agency_id)
        SELECT o.owner, (%(author)s::bigint[])[o.owner], now(), now(), 1, o.yp, o.case_agency,
            o.missing_from, o.located, o.category, o.placement, '', 'Found in the city centre',
            '', true, o.rd,
            CASE WHEN o.rd <> 'not_offered' THEN o.located + interval '12 hours' END,
            CASE WHEN o.rd = 'declined' THEN 'Did not want to talk' ELSE '' END, NULL,
            CASE WHEN o.rd = 'completed' THEN o.located + o.rd_after END,
            CASE WHEN o.rd = 'completed' THEN o.owner END
        FROM (
            SELECT y.id AS yp, y.owner_agency_id AS case_agency,
                CASE WHEN s.other THEN s.other_agency ELSE y.owner_agency_id END AS owner,
                s.missing_from,
                CASE WHEN s.found THEN s.missing_from + s.gone END AS located,
                s.category, s.placement,
                CASE WHEN s.found THEN s.rd ELSE 'not_offered' END AS rd, s.rd_after
            FROM (
                SELECT 1 + floor(random() * %(n_yp)s)::bigint AS rn,
                    random() < 0.25 AS other,
                    (%(w)s::bigint[])[1 + floor(random() * 100)::int] AS other_agency,
                    now() - random() * interval '3650 days' AS missing_from,
                    random() < 0.9 AS found,
                    random() * interval '72 hours' AS gone,
                    (ARRAY['absent','missing_low','missing_medium','missing_high'])
                        [1 + floor(random() * 4)::int] AS category,
                    (ARRAY['home','kinship','foster','residential','other'])
                        [1 + floor(random() * 5)::int] AS placement,
                    (ARRAY['not_offered','offered','declined','completed','completed'])
                        [1 + floor(random() * 5)::int] AS rd,
                    random() * interval '120 hours' AS rd_after
                FROM generate_series(1, %(n_ep)s) g
            ) s JOIN bench_yp y ON y.rn = s.rn
        ) o
        """,
        params,
    )
    # Shares: a grant (guardian's direct FK table) and the business record, to another agency.
    _exec(
        """
        CREATE TEMP TABLE bench_share ON COMMIT DROP AS
        SELECT DISTINCT ON (yp, agency) yp, agency, owner FROM (
            SELECT y.id AS yp, y.owner_agency_id AS owner,
                (%(agencies)s::bigint[])[1 + ((array_position(%(agencies)s::bigint[],
                    y.owner_agency_id) - 1 + 1 + floor(random() * 11)::int) %% 12)] AS agency,
                random() AS r
            FROM (SELECT * FROM bench_yp WHERE random() < %(once)s
                  UNION ALL SELECT * FROM bench_yp WHERE random() < %(twice)s) y
        ) s
        """,
        {**params, "once": SHARED_ONCE, "twice": SHARED_TWICE},
    )
    _exec(
        """
        INSERT INTO cases_youngpersongroupobjectpermission (group_id, permission_id,
            content_object_id)
        SELECT a.group_id, p.id, s.yp FROM bench_share s
        JOIN partnership_agency a ON a.id = s.agency
        JOIN auth_permission p ON p.codename = 'view_youngperson'
        JOIN django_content_type c ON c.id = p.content_type_id AND c.app_label = 'cases'
        """
    )
    _exec(
        """
        INSERT INTO cases_caseshare (young_person_id, agency_id, lawful_basis, reason,
            shared_by_id, shared_at, revoked_by_id, revoked_at, revoke_reason)
        SELECT s.yp, s.agency, 'child_protection', 'Working together on the risk',
            (%(author)s::bigint[])[s.owner], now(), NULL, NULL, '' FROM bench_share s
        """,
        params,
    )
    # Markers, assessments, support and feedback for a share of young people (indicators).
    _exec(
        """
        INSERT INTO cases_csemarker (owner_agency_id, created_by_id, created_at, updated_at,
            version, young_person_id, case_agency_id, marker_type, start_date, end_date,
            risk_level, review_date)
        SELECT y.owner_agency_id, (%(author)s::bigint[])[y.owner_agency_id], now(), now(), 1,
            y.id, y.owner_agency_id,
            (ARRAY['at_risk','suspected','confirmed'])[1 + floor(random() * 3)::int], d,
            CASE WHEN random() < 0.4 THEN d + 200 END,
            (ARRAY['mild','moderate','significant'])[1 + floor(random() * 3)::int], NULL
        FROM (SELECT y.*, %(today)s::date - floor(random() * 3650)::int AS d
              FROM bench_yp y WHERE random() < %(marked)s) y
        """,
        {**params, "marked": MARKED},
    )
    _exec(
        """
        INSERT INTO cases_riskassessment (owner_agency_id, created_by_id, created_at,
            updated_at, version, young_person_id, case_agency_id, tool_id, assessed_on, score,
            calculated_level, override_level, override_reason, level, reassessment_due)
        SELECT y.owner_agency_id, (%(author)s::bigint[])[y.owner_agency_id], now(), now(), 1,
            y.id, y.owner_agency_id, %(tool)s, d, 12, l, '', '', l, d + 90
        FROM (SELECT y.*, %(today)s::date - floor(random() * 3650)::int AS d,
                (ARRAY['mild','moderate','significant'])[1 + floor(random() * 3)::int] AS l
              FROM bench_yp y WHERE random() < %(assessed)s) y
        """,
        {**params, "assessed": ASSESSED},
    )
    _exec(
        """
        INSERT INTO cases_support (owner_agency_id, created_by_id, created_at, updated_at,
            version, young_person_id, case_agency_id, provider_agency_id, service_type,
            offered_on, accepted, started_on, ended_on)
        SELECT y.owner_agency_id, (%(author)s::bigint[])[y.owner_agency_id], now(), now(), 1,
            y.id, y.owner_agency_id, y.owner_agency_id, 'one_to_one', d, true, d + 7, NULL
        FROM (SELECT y.*, %(today)s::date - floor(random() * 3650)::int AS d
              FROM bench_yp y WHERE random() < %(supported)s) y
        """,
        {**params, "supported": SUPPORTED},
    )
    _exec(
        """
        INSERT INTO cases_feedback (owner_agency_id, created_by_id, created_at, updated_at,
            version, young_person_id, case_agency_id, support_id, received_on, respondent,
            satisfied, comment)
        SELECT s.owner_agency_id, s.created_by_id, now(), now(), 1, s.young_person_id,
            s.case_agency_id, s.id, s.offered_on + 60,
            CASE WHEN random() < 0.6 THEN 'victim' ELSE 'carer' END, random() < 0.8, ''
        FROM cases_support s WHERE random() < 0.4
        """
    )
    tables = {
        "young_people": "cases_youngperson",
        "referrals": "cases_referral",
        "missing_episodes": "cases_missingepisode",
        "share_grants": "cases_youngpersongroupobjectpermission",
        "case_shares": "cases_caseshare",
        "markers": "cases_csemarker",
        "assessments": "cases_riskassessment",
        "support": "cases_support",
        "feedback": "cases_feedback",
    }
    return {name: _scalar(f"SELECT count(*) FROM {table}") for name, table in tables.items()}  # noqa: S608


def _chronology_person(agencies: dict[str, int], users: dict[str, int]) -> int:
    """A young person of the largest agency with exactly 200 chronology events:
    60 referrals with outcomes (120 events) and 40 located episodes (80 events)."""
    agency = agencies[LARGEST_AGENCY]
    params = {"agency": agency, "author": users[LARGEST_AGENCY], "today": timezone.localdate()}
    yp = _scalar(
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
    _exec(
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
    _exec(
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
        _exec(f"VACUUM ANALYZE {table}")


def period_with_data() -> Any:
    """The last closed half-year: the seeded dates cover the ten years before today."""
    from partnership.periods import current_period

    return current_period().previous()


def started_at() -> dt.datetime:
    return timezone.now()
