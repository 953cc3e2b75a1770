"""Issue 13, items 2, 5 and 6: the duplicate-check oracle, odd input and date bounds.

Each test replays the input a tester used and checks what a user (or an attacker) sees.
"""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from accounts.models import User
from actions.forms import PreventionSessionForm
from audit.models import AccessEvent
from cases.forms import MissingEpisodeForm, ReferralForm, YoungPersonForm
from partnership import date_bounds
from partnership.nul_bytes import NUL_REFUSED_MESSAGE
from partnership.query_params import parse_id
from partnership.roles import Role
from tests.factories import YoungPersonFactory, agency

pytestmark = pytest.mark.django_db

HIDDEN_DOB = dt.date(2011, 3, 17)
WARNING = "A record with a similar name and the same date of birth is held by"


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    # The rate-limit counters live in the cache, which outlives one test's transaction.
    cache.clear()


@pytest.fixture
def hidden_child() -> Any:
    """A child held by CfS and shared with nobody: police must not learn its date of birth."""
    return YoungPersonFactory(
        owner_agency=agency("cfs"),
        first_name="Ava",
        last_name="Mackenzie",
        search_name="mackenzie ava",
        date_of_birth=HIDDEN_DOB,
    )


def _maog_url(name: str) -> str:
    """MAOG pages are moving from the cases namespace to their own app (issue 12)."""
    try:
        return reverse(f"maog:{name}")
    except NoReverseMatch:
        return reverse(f"cases:intel_{name}")


def _signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _find(client: Client, *, first: str, last: str, day: dt.date) -> Any:
    return client.get(
        reverse("cases:young_person_find"),
        {
            "searched": "1",
            "first_name": first,
            "last_name": last,
            "date_of_birth_day": day.day,
            "date_of_birth_month": day.month,
            "date_of_birth_year": day.year,
        },
    )


def _march(year: int) -> list[dt.date]:
    return [dt.date(year, 3, day) for day in range(1, 32)]


# --- Item 2: the duplicate check is no longer an oracle ----------------------------------


def test_sweeping_a_month_with_one_surname_no_longer_finds_the_date(
    hidden_child: Any, police_practitioner: User, police_manager: User, settings: Any
) -> None:
    """The attack from the issue, replayed with the shipped limit: one surname, each day of
    March as the date of birth. No response names a date or differs on the right day, the
    sweep is cut off at the limit, and the police managers hear about it."""
    settings.CSE_LOOKUP_RATE = "20/h"
    client = _signed_in(police_practitioner)
    statuses, warned = [], []
    for day in _march(2011):
        response = _find(client, first="", last="Mackenzie", day=day)
        statuses.append(response.status_code)
        if WARNING in response.content.decode() or response.context["duplicates"]:
            warned.append(day)
    assert warned == []
    assert statuses[:20] == [200] * 20 and set(statuses[20:]) == {429}
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [police_manager.email]
    assert "mackenzie" not in mail.outbox[0].body.lower()  # no search terms by email
    # Every check is in the access log, the refused ones marked as such.
    searches = AccessEvent.objects.filter(user=police_practitioner, action="search")
    assert searches.count() == 31
    assert searches.filter(detail__limited=True).count() == 11


def test_a_surname_with_any_first_name_gets_no_answer_on_the_right_day(
    hidden_child: Any, police_practitioner: User, settings: Any
) -> None:
    settings.CSE_LOOKUP_RATE = "1000/h"  # isolate the matching rule from the rate limit
    client = _signed_in(police_practitioner)
    for first in ("", "A", "Zoe", "Mackenzie"):
        response = _find(client, first=first, last="Mackenzie", day=HIDDEN_DOB)
        assert response.status_code == 200
        assert response.context["duplicates"] == [], first
        assert WARNING not in response.content.decode()


def test_full_name_and_date_of_birth_together_still_warn_naming_only_the_agency(
    hidden_child: Any, police_practitioner: User
) -> None:
    """The duplicate check still does its job (so the tests above can fail)."""
    client = _signed_in(police_practitioner)
    html = _find(client, first="Ava", last="Mackenzie", day=HIDDEN_DOB).content.decode()
    assert WARNING in html and "Children and Families" in html
    assert "17 March 2011" not in html and "Ava Mackenzie" not in html
    # A near spelling of the whole name still counts; the day before does not.
    assert _find(client, first="Avah", last="McKenzie", day=HIDDEN_DOB).context["duplicates"]
    before = HIDDEN_DOB - dt.timedelta(days=1)
    assert not _find(client, first="Ava", last="Mackenzie", day=before).context["duplicates"]


def test_over_the_limit_even_an_exact_match_gets_no_answer_and_managers_hear_once(
    hidden_child: Any,
    police_practitioner: User,
    police_manager: User,
    make_user: Callable[..., User],
    settings: Any,
) -> None:
    settings.CSE_LOOKUP_RATE = "3/h"
    other_manager = make_user("police", Role.AGENCY_MANAGER, username="police.manager2")
    cfs_manager = make_user("cfs", Role.AGENCY_MANAGER)
    client = _signed_in(police_practitioner)
    for _ in range(3):
        assert _find(client, first="Zed", last="Nobody", day=HIDDEN_DOB).status_code == 200
    for _ in range(3):
        response = _find(client, first="Ava", last="Mackenzie", day=HIDDEN_DOB)
        assert response.status_code == 429
        assert response.context["duplicates"] is None and response.context["results"] is None
        assert WARNING not in response.content.decode()
        assert "searching is paused" in response.content.decode()
    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == sorted([police_manager.email, other_manager.email])
    assert cfs_manager.email not in mail.outbox[0].to
    alert = AccessEvent.objects.get(action="notify", object_id=police_practitioner.pk)
    assert alert.detail["alert"] == "lookup_threshold" and alert.detail["lookups"] == 4
    # The budget is per user: a colleague still gets answers.
    colleague = _signed_in(police_manager)
    assert _find(colleague, first="Ava", last="Mackenzie", day=HIDDEN_DOB).context["duplicates"]


def test_the_person_of_concern_search_shares_the_budget(
    police_practitioner: User, settings: Any
) -> None:
    settings.CSE_LOOKUP_RATE = "2/h"
    client = _signed_in(police_practitioner)
    url = _maog_url("person_find")
    assert client.get(url, {"searched": "1", "name": "Someone"}).status_code == 200
    assert _find(client, first="A", last="B", day=HIDDEN_DOB).status_code == 200
    response = client.get(url, {"searched": "1", "name": "Someone"})
    assert response.status_code == 429 and response.context["results"] is None


def test_an_unreachable_rate_limit_store_refuses_lookups_without_a_500(
    hidden_child: Any, police_practitioner: User, settings: Any
) -> None:
    """Fail closed: Redis down means no duplicate answer, never an unlimited oracle."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # the discard port: nothing listens
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        },
    }
    client = _signed_in(police_practitioner)
    response = _find(client, first="Ava", last="Mackenzie", day=HIDDEN_DOB)
    assert response.status_code == 429
    assert WARNING not in response.content.decode()
    assert client.get(reverse("cases:young_person_list")).status_code == 200


# --- Item 5: odd input ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("7", 7),
        (" 42 ", 42),
        ("²", None),  # passes str.isdigit(), int() refuses it: the original 500
        ("٣", None),  # Arabic-Indic three: int() would accept it, an id is ASCII
        ("0", None),
        ("-1", None),
        ("1e3", None),
        ("", None),
        ("12\x00", None),
        ("9223372036854775807", 2**63 - 1),
        ("9223372036854775808", None),  # beyond bigint: PostgreSQL would raise DataError
        ("1" * 40, None),
        (None, None),
    ],
)
def test_one_id_parser_accepts_only_plain_ascii_ids(raw: Any, expected: int | None) -> None:
    assert parse_id(raw) == expected


@pytest.mark.parametrize("name", ["vehicle_create", "handle_create", "allegation_create"])
@pytest.mark.parametrize("param", ["person", "young_person"])
@pytest.mark.parametrize("value", ["%C2%B2", "%D9%A3", "99999999999999999999", "-3"])
def test_odd_ids_in_the_query_string_are_ignored_not_a_500(
    maog_member: User, name: str, param: str, value: str
) -> None:
    response = _signed_in(maog_member).get(f"{_maog_url(name)}?{param}={value}")
    assert response.status_code == 200


def test_an_id_out_of_reach_in_the_query_string_is_404(police_practitioner: User) -> None:
    from tests.factories import PersonOfConcernFactory

    hidden = PersonOfConcernFactory(owner_agency=agency("cfs"))
    url = _maog_url("vehicle_create")
    assert _signed_in(police_practitioner).get(f"{url}?person={hidden.pk}").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/action-plan/?agency=%00",
        "/action-plan/?agency=cfs%00",
        "/cases/referrals/?q=a%00b",
        "/cases/young-people/find/?searched=1&last_name=%00",
        "/cases/young-people/?%00=1",
        "/cases/referrals/%00/",
        "/sign-in/?next=%00",
    ],
)
def test_nul_bytes_in_the_url_are_refused_with_400_before_any_view(
    cfs_manager: User, path: str
) -> None:
    for client in (_signed_in(cfs_manager), Client()):  # signed in or not
        response = client.get(path)
        assert response.status_code == 400, path
        assert response.content.decode() == NUL_REFUSED_MESSAGE


def test_nul_bytes_in_form_data_are_refused_and_nothing_is_written(cfs_manager: User) -> None:
    from cases.models import YoungPerson

    before = YoungPerson.objects.count()
    response = _signed_in(cfs_manager).post(
        reverse("cases:young_person_create"),
        {
            "yp-first_name": "Ni\x00la",
            "yp-last_name": "Smith",
            "yp-date_of_birth_day": "1",
            "yp-date_of_birth_month": "2",
            "yp-date_of_birth_year": "2012",
            "yp-sex": "female",
        },
    )
    assert response.status_code == 400
    assert YoungPerson.objects.count() == before


def test_a_nul_free_request_passes_through(cfs_manager: User) -> None:
    assert _signed_in(cfs_manager).get("/action-plan/?agency=cfs").status_code == 200


# --- Item 6: date bounds ------------------------------------------------------------------


def _date(prefix: str, day: Any) -> dict[str, str]:
    if isinstance(day, tuple):
        d, m, y = day
    else:
        d, m, y = day.day, day.month, day.year
    return {f"{prefix}_day": str(d), f"{prefix}_month": str(m), f"{prefix}_year": str(y)}


def _years_ago(years: int, days: int = 0) -> dt.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) + dt.timedelta(days=days)


@pytest.mark.parametrize(
    ("day", "error"),
    [
        ((1, 1, "0001"), date_bounds.ERROR_BIRTH_TOO_OLD),
        ((31, 12, 9999), date_bounds.ERROR_BIRTH_FUTURE),
        ("tomorrow", date_bounds.ERROR_BIRTH_FUTURE),
        ("26 today", date_bounds.ERROR_BIRTH_TOO_OLD),
        ((-5, 3, 2012), "Enter a real date, for example 27 3 2024"),  # never made 5 March
        ((5, -3, 2012), "Enter a real date, for example 27 3 2024"),
        ("today", None),
        ("25 and 364 days", None),
    ],
)
def test_a_date_of_birth_gives_an_age_from_0_to_25(day: Any, error: str | None) -> None:
    today = timezone.localdate()
    value = {
        "tomorrow": today + dt.timedelta(days=1),
        "26 today": _years_ago(26),
        "today": today,
        "25 and 364 days": _years_ago(26, days=1),
    }.get(day, day)
    form = YoungPersonForm(
        {
            **_date("yp-date_of_birth", value),
            "yp-first_name": "A",
            "yp-last_name": "B",
            "yp-sex": "female",
        }
    )
    form.is_valid()
    assert form.errors.get("date_of_birth", [None])[0] == error


@pytest.mark.parametrize(
    ("offset_days", "year", "error"),
    [
        (None, 1, date_bounds.ERROR_EVENT_TOO_EARLY),
        (None, 1989, date_bounds.ERROR_EVENT_TOO_EARLY),
        (None, 9999, date_bounds.ERROR_EVENT_FUTURE),
        (2, None, date_bounds.ERROR_EVENT_FUTURE),
        (1, None, None),  # a day ahead is allowed (time zones, just after midnight)
        (0, None, None),
        (None, 1990, None),
    ],
)
def test_event_dates_from_1990_to_a_day_ahead(
    offset_days: int | None, year: int | None, error: str | None
) -> None:
    day = (
        timezone.localdate() + dt.timedelta(days=offset_days)
        if offset_days is not None
        else (1, 1, f"{year:04d}")
    )
    referral = ReferralForm(_date("received_on", day))
    referral.is_valid()
    assert referral.errors.get("received_on", [None])[0] == error
    activity = PreventionSessionForm(_date("occurred_on", day))
    activity.is_valid()
    assert activity.errors.get("occurred_on", [None])[0] == error
    episode = MissingEpisodeForm({**_date("missing_from", day), "missing_from_time": "21:30"})
    episode.is_valid()
    assert episode.errors.get("missing_from", [None])[0] == error


def test_the_message_is_shown_next_to_the_field_and_nothing_is_saved(cfs_manager: User) -> None:
    from cases.models import YoungPerson

    before = YoungPerson.objects.count()
    response = _signed_in(cfs_manager).post(
        reverse("cases:young_person_create"),
        {
            "yp-first_name": "Nia",
            "yp-last_name": "Smith",
            "yp-sex": "female",
            **_date("yp-date_of_birth", (1, 1, "0001")),
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_yp-date_of_birth-error"' in html or "yp-date_of_birth-error" in html
    assert date_bounds.ERROR_BIRTH_TOO_OLD in html
    assert YoungPerson.objects.count() == before


def test_the_password_link_on_a_past_version_of_a_user_leads_to_the_password_form(
    cfs_practitioner: User,
) -> None:
    """Django's widget linked to "../password/", which from simple-history's page for one
    past version (/admin/accounts/user/5/history/12/) went to .../history/password/."""
    import re
    from urllib.parse import urljoin

    superuser = User.objects.create_superuser("root.admin", "root@example.invalid", "x" * 16)
    client = _signed_in(superuser)
    version = cfs_practitioner.history.order_by("-history_id").first()
    meta = User._meta
    page = reverse(
        f"admin:{meta.app_label}_{meta.model_name}_simple_history",
        args=[cfs_practitioner.pk, version.history_id],
    )
    response = client.get(page)
    assert response.status_code == 200
    links = re.findall(r'href="([^"]*password/?)"', response.content.decode())
    wanted = reverse("admin:auth_user_password_change", args=[cfs_practitioner.pk])
    assert links and {urljoin(page, link) for link in links} == {wanted}
    assert client.get(wanted).status_code == 200
