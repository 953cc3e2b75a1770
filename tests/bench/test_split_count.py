"""The list pages' split counts (selectors.*_list_count) equal what the access rules give:
the same number as counting permissions' querysets, for owners, case agencies, shares,
filters and people with no case work."""

import datetime as dt

import pytest
from django.utils import timezone

from cases import selectors, services
from cases.models import CaseShare, MissingEpisode, Referral
from tests.factories import MissingEpisodeFactory, ReferralFactory, YoungPersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def spread(cfs_practitioner, police_manager, nhs_practitioner) -> dict:
    """Records of every kind of visibility for the Children and Families Service (cfs)."""
    cfs, police, nhs = (u.agency for u in (cfs_practitioner, police_manager, nhs_practitioner))
    own = YoungPersonFactory(owner_agency=cfs, last_name="Owned")
    ReferralFactory.create_batch(2, young_person=own)
    MissingEpisodeFactory(young_person=own)
    # Police's record about a cfs case: cfs sees it as the case agency.
    ReferralFactory(young_person=own, owner_agency=police, created_by=police_manager)
    MissingEpisodeFactory(young_person=own, owner_agency=police, created_by=police_manager)
    shared = YoungPersonFactory(owner_agency=police, last_name="Shared")
    ReferralFactory.create_batch(3, young_person=shared)
    MissingEpisodeFactory(young_person=shared)
    services.case_share(
        actor=police_manager,
        young_person=shared,
        agency=cfs,
        lawful_basis=CaseShare.LawfulBasis.CHILD_PROTECTION,
        reason="Joint work",
    )
    revoked = YoungPersonFactory(owner_agency=police, last_name="Revoked")
    ReferralFactory(young_person=revoked)
    share = services.case_share(
        actor=police_manager,
        young_person=revoked,
        agency=cfs,
        lawful_basis=CaseShare.LawfulBasis.CONSENT,
        reason="Short piece of work",
    )
    services.case_share_revoke(actor=police_manager, share=share, reason="Done")
    other = YoungPersonFactory(owner_agency=nhs, last_name="Other")
    ReferralFactory(young_person=other)
    # cfs's own record about another agency's case: visible to cfs as its owner.
    ReferralFactory(
        young_person=other,
        owner_agency=cfs,
        created_by=cfs_practitioner,
        received_on=timezone.localdate() - dt.timedelta(days=400),
    )
    MissingEpisodeFactory(young_person=other)
    return {"cfs": cfs, "police": police}


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
