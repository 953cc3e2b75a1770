"""The bulk of the bench data: young people, referrals, missing episodes, shares, markers,
assessments, support and feedback, generated inside PostgreSQL by INSERT ... SELECT from
generate_series with a fixed random seed (bench/seed.py decides when to seed and adds the
few rows that need the product's own rules).
"""

from typing import Any

from django.db import connection
from django.utils import timezone

# Fractions of young people with each kind of extra record (realistic, not exhaustive).
SHARED_ONCE = 0.10  # case shared with one other agency
SHARED_TWICE = 0.03  # ...and with a second one
MARKED = 0.15
ASSESSED = 0.10
SUPPORTED = 0.05

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


def execute(sql: str, params: dict[str, Any] | None = None) -> None:
    with connection.connection.cursor() as cursor:
        cursor.execute(sql, params or {})


def scalar(sql: str, params: dict[str, Any] | None = None) -> Any:
    with connection.connection.cursor() as cursor:
        cursor.execute(sql, params or {})
        row = cursor.fetchone()
    return row[0] if row else None


def _weights(agencies: dict[str, int], weights: dict[str, int]) -> list[int]:
    """100 agency ids, each as often as its weight: random index = weighted choice."""
    weighted = [agencies[code] for code, weight in weights.items() for _ in range(weight)]
    assert len(weighted) == 100  # noqa: S101 - a constant table, checked once
    return weighted


def bulk(
    sizes: dict[str, int],
    agencies: dict[str, int],
    users: dict[str, int],
    agency_weights: dict[str, int],
) -> dict[str, int]:
    """Every bulk table filled for `sizes`; returns the row count of each."""
    weights = _weights(agencies, agency_weights)
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
        "tool": scalar("SELECT id FROM cases_risktool ORDER BY id LIMIT 1"),
    }
    if min(agency_ids) < 1:
        raise RuntimeError("agency ids must start at 1 for the author array")
    execute("SELECT setseed(0.42)")
    # Young people: weighted owner, names from small lists, born 2003-2021.
    execute(
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
    execute(
        "CREATE TEMP TABLE bench_yp ON COMMIT DROP AS SELECT id, owner_agency_id, "
        "row_number() OVER (ORDER BY id) AS rn FROM cases_youngperson"
    )
    execute("CREATE UNIQUE INDEX ON bench_yp (rn)")
    # Referrals: about a random young person; 15% owned by another agency than the case's.
    execute(
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
    execute(
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
    execute(
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
    execute(
        """
        INSERT INTO cases_youngpersongroupobjectpermission (group_id, permission_id,
            content_object_id)
        SELECT a.group_id, p.id, s.yp FROM bench_share s
        JOIN partnership_agency a ON a.id = s.agency
        JOIN auth_permission p ON p.codename = 'view_youngperson'
        JOIN django_content_type c ON c.id = p.content_type_id AND c.app_label = 'cases'
        """
    )
    execute(
        """
        INSERT INTO cases_caseshare (young_person_id, agency_id, lawful_basis, reason,
            shared_by_id, shared_at, revoked_by_id, revoked_at, revoke_reason)
        SELECT s.yp, s.agency, 'child_protection', 'Working together on the risk',
            (%(author)s::bigint[])[s.owner], now(), NULL, NULL, '' FROM bench_share s
        """,
        params,
    )
    # Markers, assessments, support and feedback for a share of young people (indicators).
    execute(
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
    execute(
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
    execute(
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
    execute(
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
    return {name: scalar(f"SELECT count(*) FROM {table}") for name, table in tables.items()}  # noqa: S608
