"""Hand-written SQL: the references the product's pages are measured against.

Each list query returns the same rows (same order, same page) and the same count as the
product's list page for a user of one agency, written the way a DBA would write it by hand:
the share grant is looked up by permission id, with no ORM in between.
"""

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


def share_params(*, agency_id: int, group_id: int) -> dict[str, Any]:
    """Parameters of the visibility predicate; the permission id is looked up once."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.id FROM auth_permission p JOIN django_content_type c "
            "ON c.id = p.content_type_id WHERE c.app_label = 'cases' "
            "AND p.codename = 'view_youngperson'"
        )
        perm = cursor.fetchone()[0]
    return {"agency": agency_id, "group": group_id, "perm": perm}


def list_page(kind: str, params: dict[str, Any], page: int) -> tuple[list[tuple], int]:
    """One page of `kind` and its count, as the raw reference (two statements, like the page)."""
    offset = (page - 1) * 25
    raw = connection.connection
    if raw is None:
        connection.ensure_connection()
        raw = connection.connection
    with raw.cursor() as cursor:
        cursor.execute(LISTS[kind]["count"], params)
        count = cursor.fetchone()[0]
        cursor.execute(LISTS[kind]["page"], {**params, "offset": offset})
        rows = cursor.fetchall()
    return rows, count
