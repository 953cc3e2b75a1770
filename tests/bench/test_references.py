"""The bench's fair references do the page's work, no less: for the same user they return the
ids the list page shows, in its order, and the count it shows ("more than" past the cap), with
either way of counting (one capped scan, or the product's capped split parts). Checked
against the context the real view hands to its template, so a reference that skipped a row,
a share or the cap would fail here before it could flatter a ratio."""

import pytest
from django.db import connection
from django.urls import reverse

from bench import sql
from bench.pages import captured_render
from casework import selectors as casework_selectors
from casework import services as casework_services
from partnership.roles import Role
from tests.cases.conftest import client_for
from tests.casework.conftest import make_action, make_ird, young_person  # noqa: F401 (fixtures)
from tests.conftest import service_missing

pytestmark = pytest.mark.django_db

URLS = {
    "referral": "cases:referral_list",
    "young_person": "cases:young_person_list",
    "missing": "cases:missing_list",
}


def _shown(client, kind: str, page: int) -> tuple[list[int], int, bool]:
    with captured_render() as captured:
        response = client.get(reverse(URLS[kind]), {"page": page} if page > 1 else {})
    assert response.status_code == 200
    shown = captured["context"]["page"]
    return (
        [row.pk for row in shown.object_list],
        shown.paginator.count,
        bool(getattr(shown.paginator, "count_capped", False)),
    )


@pytest.mark.parametrize("kind", list(URLS))
# Caps below, at and above the size of the agency's own part (3 referrals, 1 episode, 1
# young person): the early-stopping count takes each of its branches.
@pytest.mark.parametrize("cap", [1, 2, 3, 4, 10_000])
def test_fair_references_return_what_the_page_shows(
    spread: dict, cfs_practitioner, settings, kind: str, cap: int
) -> None:
    if connection.vendor != "postgresql":
        service_missing("the bench's references are PostgreSQL SQL (set DATABASE_URL)")
    settings.CSE_LIST_COUNT_CAP = cap
    client = client_for(cfs_practitioner)
    agency = cfs_practitioner.agency
    params = sql.share_params(
        agency_id=agency.pk, group_id=agency.group_id, user_id=cfs_practitioner.pk
    )
    for page in (1, 2):
        ids, count, capped = _shown(client, kind, page)
        assert ids, "the fixture gives every list rows to show"
        for variant in sql.COUNT_VARIANTS:
            rows, ref_count, ref_capped = sql.fair_page(
                kind, params, page, cap=cap, count_sql=variant
            )
            assert [row[0] for row in rows] == ids, (variant, page)
            assert (ref_count, ref_capped) == (count, capped), (variant, page)
    # The lists hold 7 referrals, 3 episodes and 2 young people: "more than" below that.
    assert capped is (cap < {"referral": 7, "missing": 3, "young_person": 2}[kind])


def test_exact_reference_counts_every_visible_row(spread: dict, cfs_practitioner) -> None:
    if connection.vendor != "postgresql":
        service_missing("the bench's references are PostgreSQL SQL (set DATABASE_URL)")
    agency = cfs_practitioner.agency
    params = sql.share_params(
        agency_id=agency.pk, group_id=agency.group_id, user_id=cfs_practitioner.pk
    )
    # What tests/bench/test_split_count.py's fixture check says cfs may see.
    assert sql.list_page("referral", params, 1)[1] == 7
    assert sql.list_page("missing", params, 1)[1] == 3
    assert sql.list_page("young_person", params, 1)[1] == 2


def test_bare_html_escapes_what_it_writes() -> None:
    html = sql.bare_html([(1, "<script>x</script>")], 1, False)
    assert "<script>x" not in html and "&lt;script&gt;" in html
    assert "<p>more than 10000</p>" in sql.bare_html([], 10_000, True)


def test_the_chronology_reference_counts_the_header_tasks_as_the_page_does(
    make_ird,  # noqa: F811
    make_action,  # noqa: F811
    young_person,  # noqa: F811
    nhs_practitioner,
    make_user,
) -> None:
    """The chronology reference runs the header's open-task count: the same number the
    page's header shows, for a user with their own, their agency's unassigned, a colleague's
    and a completed action (so the reference does that work, not a cheaper one)."""
    if connection.vendor != "postgresql":
        service_missing("the bench's references are PostgreSQL SQL (set DATABASE_URL)")
    colleague = make_user("nhs", Role.PRACTITIONER, username="nhs.colleague")
    ird = make_ird(young_person, participants=("police",))
    mine = make_action(ird, to=nhs_practitioner)
    make_action(ird, to=nhs_practitioner)
    make_action(ird, agency_code="nhs")
    make_action(ird, to=colleague)
    make_action(ird, agency_code="police")
    casework_services.ird_action_complete(actor=nhs_practitioner, action=mine, note="Done")

    def reference_count(user) -> int:
        with connection.cursor() as cursor:
            cursor.execute(sql.HEADER_OPEN_TASKS, {"user": user.pk, "agency": user.agency_id})
            return cursor.fetchone()[0]

    for user in (nhs_practitioner, colleague):
        shown = casework_selectors.my_task_count(user=user)
        assert reference_count(user) == shown
    assert reference_count(nhs_practitioner) == 2
