"""Hand-written SQL: the references the product's pages are measured against.

Each list query returns the same rows (same order, same page) and the same count as the
product's list page for a user of one agency, written the way a DBA would write it by hand:
the share grant is looked up by permission id, with no ORM in between.
"""

from html import escape
from typing import Any

from django.db import connection

# Rows visible to an agency: its own records, records of cases it owns, or a case shared
# with its group (the same rule as cases.permissions.case_record_queryset_for_user).
_CASE_RECORD_VISIBLE = """
    (t.owner_agency_id = %(agency)s OR t.case_agency_id = %(agency)s OR EXISTS (
        SELECT 1 FROM cases_youngpersongroupobjectpermission g
        WHERE g.content_object_id = t.young_person_id AND g.group_id = %(group)s
          AND g.permission_id = %(perm)s))
"""
_YOUNG_PERSON_VISIBLE = """
    (t.owner_agency_id = %(agency)s OR EXISTS (
        SELECT 1 FROM cases_youngpersongroupobjectpermission g
        WHERE g.content_object_id = t.id AND g.group_id = %(group)s
          AND g.permission_id = %(perm)s))
"""

LISTS: dict[str, dict[str, str]] = {
    "referral": {
        "page": f"""
            SELECT t.id, t.received_on, t.initial_risk_level, t.outcome,
                   yp.first_name, yp.last_name, ra.short_name, oa.short_name
            FROM cases_referral t
            JOIN cases_youngperson yp ON yp.id = t.young_person_id
            JOIN partnership_agency oa ON oa.id = t.owner_agency_id
            LEFT JOIN partnership_agency ra ON ra.id = t.referring_agency_id
            WHERE {_CASE_RECORD_VISIBLE}
            ORDER BY t.received_on DESC, t.id DESC LIMIT 25 OFFSET %(offset)s""",
        "count": f"SELECT count(*) FROM cases_referral t WHERE {_CASE_RECORD_VISIBLE}",
    },
    "young_person": {
        "page": f"""
            SELECT t.id, t.first_name, t.last_name, t.date_of_birth, oa.short_name,
                   EXISTS (SELECT 1 FROM cases_csemarker m WHERE m.young_person_id = t.id
                           AND m.start_date <= CURRENT_DATE
                           AND (m.end_date IS NULL OR m.end_date >= CURRENT_DATE)),
                   (SELECT a.level FROM cases_riskassessment a WHERE a.young_person_id = t.id
                    ORDER BY a.assessed_on DESC, a.id DESC LIMIT 1)
            FROM cases_youngperson t
            JOIN partnership_agency oa ON oa.id = t.owner_agency_id
            WHERE {_YOUNG_PERSON_VISIBLE}
            ORDER BY t.last_name, t.first_name, t.id LIMIT 25 OFFSET %(offset)s""",
        "count": f"SELECT count(*) FROM cases_youngperson t WHERE {_YOUNG_PERSON_VISIBLE}",
    },
    "missing": {
        "page": f"""
            SELECT t.id, t.missing_from, t.located_at, t.category, t.return_discussion,
                   yp.first_name, yp.last_name, oa.short_name
            FROM cases_missingepisode t
            JOIN cases_youngperson yp ON yp.id = t.young_person_id
            JOIN partnership_agency oa ON oa.id = t.owner_agency_id
            WHERE {_CASE_RECORD_VISIBLE}
            ORDER BY t.missing_from DESC, t.id DESC LIMIT 25 OFFSET %(offset)s""",
        "count": f"SELECT count(*) FROM cases_missingepisode t WHERE {_CASE_RECORD_VISIBLE}",
    },
}


# The same rows split into disjoint parts (own; other agencies' records about the agency's
# cases; records about cases shared with it), as cases.permissions' *_parts_for_user.
_CASE_RECORD_PARTS = (
    "t.owner_agency_id = %(agency)s",
    "t.case_agency_id = %(agency)s AND t.owner_agency_id <> t.case_agency_id",
    """EXISTS (SELECT 1 FROM cases_youngpersongroupobjectpermission g
        WHERE g.content_object_id = t.young_person_id AND g.group_id = %(group)s
          AND g.permission_id = %(perm)s)
       AND t.owner_agency_id <> %(agency)s
       AND t.case_agency_id IS DISTINCT FROM %(agency)s""",
)
_YOUNG_PERSON_PARTS = (
    "t.owner_agency_id = %(agency)s",
    """EXISTS (SELECT 1 FROM cases_youngpersongroupobjectpermission g
        WHERE g.content_object_id = t.id AND g.group_id = %(group)s
          AND g.permission_id = %(perm)s)
       AND t.owner_agency_id <> %(agency)s""",
)
_TABLES = {
    "referral": ("cases_referral", _CASE_RECORD_VISIBLE, _CASE_RECORD_PARTS),
    "young_person": ("cases_youngperson", _YOUNG_PERSON_VISIBLE, _YOUNG_PERSON_PARTS),
    "missing": ("cases_missingepisode", _CASE_RECORD_VISIBLE, _CASE_RECORD_PARTS),
}


def _part_count(table: str, part: str) -> str:
    return f"SELECT count(*) AS n FROM (SELECT 1 FROM {table} t WHERE {part} LIMIT %(cap1)s) p"


# Three ways a DBA counts "up to cap + 1 visible rows": one scan of the OR predicate that
# stops at cap + 1 rows; the product's split parts, each one index range stopping at cap + 1;
# and the split parts where the others are counted only when the agency's own rows are not
# already over the cap (what the product does, cases/selectors/compiled.py). All give the
# same answer to the page ("N" or "more than cap"); the bench times each and takes the
# fastest as the fair reference, so the reference is never the slow one.
CAPPED_COUNTS = {
    kind: {
        "single": f"SELECT count(*) FROM (SELECT 1 FROM {table} t WHERE {visible}"
        " LIMIT %(cap1)s) s",
        "split": "SELECT " + " + ".join(f"({_part_count(table, part)})" for part in parts),
        "split-stop": "SELECT CASE WHEN own.n >= %(cap1)s THEN own.n ELSE own.n + "
        + " + ".join(f"({_part_count(table, part)})" for part in parts[1:])
        + f" END FROM ({_part_count(table, parts[0])}) own",
    }
    for kind, (table, visible, parts) in _TABLES.items()
}
COUNT_VARIANTS = tuple(CAPPED_COUNTS["referral"])


def share_params(*, agency_id: int, group_id: int, user_id: int) -> dict[str, Any]:
    """Parameters of the visibility predicate (the permission id is looked up once) and of
    the header's count of the user's open tasks."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.id FROM auth_permission p JOIN django_content_type c "
            "ON c.id = p.content_type_id WHERE c.app_label = 'cases' "
            "AND p.codename = 'view_youngperson'"
        )
        perm = cursor.fetchone()[0]
    return {"agency": agency_id, "group": group_id, "perm": perm, "user": user_id}


def list_page(kind: str, params: dict[str, Any], page: int) -> tuple[list[tuple], int]:
    """One page of `kind` and its exact count: what an exact count costs (the product caps
    its count, see fair_page)."""
    offset = (page - 1) * 25
    with _raw_connection().cursor() as cursor:
        cursor.execute(LISTS[kind]["count"], params)
        count = cursor.fetchone()[0]
        cursor.execute(LISTS[kind]["page"], {**params, "offset": offset})
        rows = cursor.fetchall()
    return rows, count


def _raw_connection() -> Any:
    if connection.connection is None:
        connection.ensure_connection()
    return connection.connection


# The header's task badge: actions assigned to the user or unassigned in the user's agency,
# not completed (casework.permissions, the My tasks predicate).
HEADER_OPEN_TASKS = """
    SELECT count(*) FROM casework_irdaction t
    WHERE (t.assigned_to_id = %(user)s OR (t.agency_id = %(agency)s AND t.assigned_to_id IS NULL))
      AND t.completed_at IS NULL"""


def fair_page(
    kind: str, params: dict[str, Any], page: int, *, cap: int, count_sql: str = "single"
) -> tuple[list[tuple], int, bool]:
    """What the product's list page fetches: the count capped at `cap` (then "more than"),
    the 25 rows of `page` (pages stop at the cap, as the product's do), and the header's
    count of the user's open tasks, which every page shows."""
    with _raw_connection().cursor() as cursor:
        cursor.execute(CAPPED_COUNTS[kind][count_sql], {**params, "cap1": cap + 1})
        counted = cursor.fetchone()[0]
        count, capped = min(counted, cap), counted > cap
        last_page = max(1, -(-count // 25))
        offset = (min(page, last_page) - 1) * 25
        # Django's Paginator ends the last page at the (capped) count, so does this.
        limit = min(25, count - offset)
        rows = []
        if limit > 0:
            cursor.execute(
                LISTS[kind]["page"].replace("LIMIT 25", "LIMIT %(limit)s"),
                {**params, "offset": offset, "limit": limit},
            )
            rows = cursor.fetchall()
        cursor.execute(HEADER_OPEN_TASKS, params)
        cursor.fetchone()
    return rows, count, capped


def bare_html(rows: list[tuple], count: int, capped: bool) -> str:
    """The rows written into a bare table: the least HTML a page of them can be."""
    cells = "".join(
        "<tr>" + "".join(f"<td>{escape(str(value))}</td>" for value in row) + "</tr>"
        for row in rows
    )
    total = f"more than {count}" if capped else str(count)
    return f"<!doctype html><title>raw</title><p>{total}</p><table>{cells}</table>"


# --- The chronology -------------------------------------------------------------------------
# What the chronology page needs from the database, by hand: the young person (visible to
# the agency), the access-log row the page writes, every visible record about the young
# person with the columns its events show and the agencies' names, in one UNION ALL, and
# the count of the user's open tasks that every page's header shows.
_RECORD_VISIBLE = """t.young_person_id = %(yp)s AND (t.owner_agency_id = %(agency)s
    OR t.case_agency_id = %(agency)s OR EXISTS (
        SELECT 1 FROM cases_youngpersongroupobjectpermission g
        WHERE g.content_object_id = t.young_person_id AND g.group_id = %(group)s
          AND g.permission_id = %(perm)s))"""
CHRONOLOGY_YOUNG_PERSON = f"""
    SELECT t.id, t.first_name, t.last_name FROM cases_youngperson t
    WHERE t.id = %(yp)s AND {_YOUNG_PERSON_VISIBLE}"""
CHRONOLOGY_ACCESS_EVENT = """
    INSERT INTO audit_accessevent (at, user_id, agency_id, action, object_type, object_id,
        page, detail)
    VALUES (now(), %(user)s, %(agency)s, 'chronology', 'cases.youngperson', %(yp)s, %(page)s,
        '{}'::jsonb)"""
CHRONOLOGY_EVENTS = f"""
    SELECT 'marker', t.id, t.start_date::timestamptz, t.end_date::timestamptz, NULL::timestamptz,
           t.marker_type, t.risk_level, NULL, NULL, NULL, oa.short_name, NULL
    FROM cases_csemarker t JOIN partnership_agency oa ON oa.id = t.owner_agency_id
    WHERE {_RECORD_VISIBLE}
    UNION ALL
    SELECT 'referral', t.id, t.received_on::timestamptz, t.outcome_date::timestamptz, NULL,
           t.outcome, t.initial_risk_level, t.concerns, NULL, NULL, oa.short_name, ra.short_name
    FROM cases_referral t JOIN partnership_agency oa ON oa.id = t.owner_agency_id
    LEFT JOIN partnership_agency ra ON ra.id = t.referring_agency_id
    WHERE {_RECORD_VISIBLE}
    UNION ALL
    SELECT 'assessment', t.id, t.assessed_on::timestamptz, NULL, NULL,
           t.level, t.score::text, t.override_level, NULL, NULL, oa.short_name, NULL
    FROM cases_riskassessment t JOIN partnership_agency oa ON oa.id = t.owner_agency_id
    WHERE {_RECORD_VISIBLE}
    UNION ALL
    SELECT 'episode', t.id, t.missing_from, t.located_at, t.rd_completed_at,
           t.category, t.placement_type, t.placement_name, t.where_found, t.found_with,
           oa.short_name, rda.short_name
    FROM cases_missingepisode t JOIN partnership_agency oa ON oa.id = t.owner_agency_id
    LEFT JOIN partnership_agency rda ON rda.id = t.rd_agency_id
    WHERE {_RECORD_VISIBLE}
    UNION ALL
    SELECT 'support', t.id, t.offered_on::timestamptz, NULL, NULL,
           t.service_type, t.accepted::text, NULL, NULL, NULL, oa.short_name, pa.short_name
    FROM cases_support t JOIN partnership_agency oa ON oa.id = t.owner_agency_id
    JOIN partnership_agency pa ON pa.id = t.provider_agency_id
    WHERE {_RECORD_VISIBLE}
    UNION ALL
    SELECT 'feedback', t.id, t.received_on::timestamptz, NULL, NULL,
           t.respondent, t.satisfied::text, t.comment, NULL, NULL, oa.short_name, NULL
    FROM cases_feedback t JOIN partnership_agency oa ON oa.id = t.owner_agency_id
    WHERE {_RECORD_VISIBLE}
    ORDER BY 3"""


def chronology(params: dict[str, Any]) -> list[tuple]:
    """The chronology's database work: four statements (check, log, events, header)."""
    with _raw_connection().cursor() as cursor:
        cursor.execute(CHRONOLOGY_YOUNG_PERSON, params)
        if cursor.fetchone() is None:
            raise LookupError("young person not visible")
        cursor.execute(CHRONOLOGY_ACCESS_EVENT, params)
        cursor.execute(CHRONOLOGY_EVENTS, params)
        events = cursor.fetchall()
        cursor.execute(HEADER_OPEN_TASKS, params)
        cursor.fetchone()
        return events
