"""The list pages' split counts (selectors.*_list_count) equal what the access rules give:
the same number as counting permissions' querysets, for owners, case agencies, shares,
filters and people with no case work."""

import datetime as dt

import pytest
from django.utils import timezone

from cases import selectors
from cases.models import MissingEpisode, Referral

pytestmark = pytest.mark.django_db


FILTERS = [
    {},
    {"q": "shared"},
    {"agency": "police"},
    {"date_from": timezone.localdate() - dt.timedelta(days=100)},
]


@pytest.mark.parametrize(
    "who", ["cfs_practitioner", "police_manager", "nhs_practitioner", "vap_chair"]
)
@pytest.mark.parametrize("filters", FILTERS)
def test_split_counts_equal_the_access_rule_counts(
    request: pytest.FixtureRequest, spread: dict, who: str, filters: dict
) -> None:
    user = request.getfixturevalue(who)
    if filters.get("agency"):
        filters = {**filters, "agency": spread[filters["agency"]].pk}
    for listing, counter in (
        (selectors.referral_list, selectors.referral_list_count),
        (selectors.missing_episode_list, selectors.missing_episode_list_count),
        (selectors.young_person_list, selectors.young_person_list_count),
    ):
        expected = listing(user=user, filters=filters).count()
        assert counter(user=user, filters=filters) == expected, (listing.__name__, filters)


def test_cfs_sees_what_the_fixture_meant(spread: dict, cfs_practitioner) -> None:
    """The data above covers every part of the split (so the equality test can fail)."""
    assert selectors.referral_list_count(user=cfs_practitioner) == 2 + 1 + 3 + 1
    assert selectors.missing_episode_list_count(user=cfs_practitioner) == 1 + 1 + 1
    assert selectors.young_person_list_count(user=cfs_practitioner) == 2
    assert Referral.objects.count() == 9 and MissingEpisode.objects.count() == 4


def test_young_person_marker_filter_counts_like_the_list(spread: dict, cfs_practitioner) -> None:
    for marker in ("yes", "no"):
        filters = {"marker": marker}
        assert (
            selectors.young_person_list_count(user=cfs_practitioner, filters=filters)
            == selectors.young_person_list(user=cfs_practitioner, filters=filters).count()
        )


@pytest.mark.parametrize("who", ["cfs_practitioner", "police_manager"])
def test_capped_counts_answer_like_the_exact_count_at_every_cap(
    request: pytest.FixtureRequest, spread: dict, who: str
) -> None:
    """With a cap the count stops early (the other parts are not counted once the agency's
    own rows are over it): at every cap, below, at and above each part's size, the page
    still says the same number, or "more than" exactly when the list holds more. The cfs
    referrals have 3 own rows, 1 as case agency and 3 shared, so caps 1-8 cross each part."""
    user = request.getfixturevalue(who)
    for listing, counter, page_reader in (
        (selectors.referral_list, selectors.referral_list_count, selectors.referral_list_page),
        (
            selectors.missing_episode_list,
            selectors.missing_episode_list_count,
            selectors.missing_episode_list_page,
        ),
        (
            selectors.young_person_list,
            selectors.young_person_list_count,
            selectors.young_person_list_page,
        ),
    ):
        exact = listing(user=user).count()
        for cap in range(1, exact + 3):
            capped = counter(user=user, cap=cap)
            _, paged = page_reader(user=user, filters={"sort": ""}, cap=cap)
            for counted in (capped, paged):
                said = (min(counted, cap), counted > cap)
                assert said == (min(exact, cap), exact > cap), (listing.__name__, cap, counted)
