"""The young person's page's fast filters (cases/templatetags/record_rows.py) write what
Django's {% url %}, |date and get_FOO_display write; the list pages' compiled statements
(cases/selectors/compiled.py) follow a change of role, agency or share at once."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from accounts.services import user_set_roles
from cases.models import CaseShare, MissingEpisode, Referral
from cases.selectors import referral_list, referral_list_page
from cases.services import case_share, case_share_revoke
from cases.templatetags.record_rows import day, day_time, label, record_url
from partnership.roles import Role
from tests.cases.conftest import client_for
from tests.factories import MissingEpisodeFactory, ReferralFactory, YoungPersonFactory

pytestmark = pytest.mark.django_db


def _django(text: str, **context: object) -> str:
    return Template(text).render(Context(context))


@pytest.mark.parametrize(
    "name",
    [
        "cases:referral_detail",
        "cases:missing_detail",
        "cases:assessment_detail",
        "cases:marker_edit",
        "cases:support_edit",
        "cases:share_revoke",
    ],
)
def test_record_url_is_reverse(name: str) -> None:
    for pk in (1, 42, 987654321, 10**12):
        assert record_url(pk, name) == reverse(name, args=[pk])


def test_day_and_day_time_are_the_date_filter() -> None:
    zone = timezone.get_current_timezone()
    days = [dt.date(2025, month, month * 2) for month in range(1, 13)] + [dt.date(2001, 1, 1)]
    for value in days:
        assert day(value) == _django('{{ v|date:"j M Y" }}', v=value)
    # Summer and winter (British Summer Time), either side of midnight UTC.
    for value in (
        dt.datetime(2025, 7, 1, 23, 30, tzinfo=dt.UTC),
        dt.datetime(2025, 1, 31, 23, 59, tzinfo=dt.UTC),
        dt.datetime(2025, 3, 30, 0, 5, tzinfo=dt.UTC),
        dt.datetime(2025, 10, 26, 9, 0, tzinfo=zone),
    ):
        assert day_time(value) == _django('{{ v|date:"j M Y H:i" }}', v=value)
        assert day(value) == _django('{{ v|date:"j M Y" }}', v=value)
    assert day(None) == day_time(None) == _django('{{ v|date:"j M Y" }}', v=None) == ""


def test_label_is_get_display() -> None:
    referral = Referral(initial_risk_level="significant", outcome="")
    assert label(referral, "initial_risk_level") == referral.get_initial_risk_level_display()
    assert label(referral, "outcome") == referral.get_outcome_display()
    episode = MissingEpisode(category="not_a_choice")
    assert label(episode, "category") == episode.get_category_display() == "not_a_choice"


def test_young_person_page_links_every_record(cfs_practitioner) -> None:
    person = YoungPersonFactory(owner_agency=cfs_practitioner.agency)
    referral = ReferralFactory(young_person=person, received_on=dt.date(2025, 3, 7))
    episode = MissingEpisodeFactory(young_person=person)
    url = reverse("cases:young_person_detail", args=[person.pk])
    html = client_for(cfs_practitioner).get(url).content.decode()
    assert f'href="{reverse("cases:referral_detail", args=[referral.pk])}">7 Mar 2025<' in html
    assert f'href="{reverse("cases:missing_detail", args=[episode.pk])}"' in html
    assert referral.get_initial_risk_level_display() in html


def _listed(user) -> list[int]:
    rows, _ = referral_list_page(user=user, filters={"sort": ""}, cap=None)
    return [row.pk for row in rows[0:25]]


def test_compiled_list_follows_roles_and_shares(cfs_practitioner, police_manager) -> None:
    """Statements are compiled once per user, but a share given or revoked and a role taken
    away show on the next read, and the rows are always the selector's."""
    person = YoungPersonFactory(owner_agency=police_manager.agency)
    referral = ReferralFactory(young_person=person, owner_agency=police_manager.agency)
    assert referral.pk not in _listed(cfs_practitioner)
    share = case_share(
        actor=police_manager,
        young_person=person,
        agency=cfs_practitioner.agency,
        lawful_basis=CaseShare.LawfulBasis.CHILD_PROTECTION,
        reason="Bench test",
    )
    assert referral.pk in _listed(cfs_practitioner)
    expected = referral_list(user=cfs_practitioner, filters={"sort": ""}).values_list("pk")
    assert _listed(cfs_practitioner) == [pk for (pk,) in expected[:25]]
    case_share_revoke(actor=police_manager, share=share, reason="Done")
    assert referral.pk not in _listed(cfs_practitioner)
    user_set_roles(actor=None, user=cfs_practitioner, roles=[Role.COMMITTEE_CLERK])
    assert _listed(cfs_practitioner) == []


# The loops the young person's page wrote before its rows moved to Python.
REFERRAL_LOOP = (
    '{% for referral in referrals %}<tr class="govuk-table__row"><td class="govuk-table__cell">'
    '<a class="govuk-link" href="{% url \'cases:referral_detail\' referral.pk %}">'
    '{{ referral.received_on|date:"j M Y" }}</a></td><td class="govuk-table__cell">'
    '{{ referral.referring_agency.short_name|default:"Public" }}</td>'
    '<td class="govuk-table__cell">{{ referral.get_initial_risk_level_display }}</td>'
    '<td class="govuk-table__cell">{{ referral.get_outcome_display }}</td>'
    '<td class="govuk-table__cell">{{ referral.owner_agency.short_name }}</td></tr>\n'
    "{% endfor %}"
)
EPISODE_LOOP = (
    '{% for episode, clock in episodes %}<tr class="govuk-table__row">'
    '<td class="govuk-table__cell"><a class="govuk-link" '
    "href=\"{% url 'cases:missing_detail' episode.pk %}\">"
    '{{ episode.missing_from|date:"j M Y H:i" }}</a></td><td class="govuk-table__cell">'
    '{{ episode.get_category_display }}</td><td class="govuk-table__cell">'
    '{{ episode.located_at|date:"j M Y H:i"|default:"Still missing" }}</td>'
    '<td class="govuk-table__cell">{{ episode.get_return_discussion_display }}'
    '{% if clock and clock.overdue %} <strong class="govuk-tag govuk-tag--red">Overdue</strong>'
    "{% endif %}</td></tr>\n{% endfor %}"
)


def test_row_writers_write_what_the_loops_wrote(cfs_practitioner) -> None:
    from cases.selectors import return_discussion_clock
    from cases.templatetags.record_rows import episode_rows, referral_rows

    agency = cfs_practitioner.agency
    agency.short_name = "A&B <Agency>"
    agency.save()
    person = YoungPersonFactory(owner_agency=agency)
    referrals = [
        ReferralFactory(young_person=person, referring_agency=None),
        ReferralFactory(young_person=person, referring_agency=agency, outcome=""),
    ]
    now = timezone.now()
    episodes = [
        MissingEpisodeFactory(young_person=person, missing_from=now - dt.timedelta(days=9)),
        MissingEpisodeFactory(
            young_person=person,
            missing_from=now - dt.timedelta(days=5),
            located_at=now - dt.timedelta(days=4),
        ),
    ]
    referrals = list(Referral.objects.filter(pk__in=[r.pk for r in referrals]))
    clocks = [(e, return_discussion_clock(e)) for e in episodes]
    assert any(clock and clock["overdue"] for _, clock in clocks)
    assert referral_rows(referrals) == _django(REFERRAL_LOOP, referrals=referrals)
    assert episode_rows(clocks) == _django(EPISODE_LOOP, episodes=clocks)
    assert "A&amp;B &lt;Agency&gt;" in referral_rows(referrals)
