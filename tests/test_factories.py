import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def test_case_factories_build_consistent_records() -> None:
    referral = factories.ReferralFactory()
    assert referral.case_agency == referral.young_person.owner_agency == referral.owner_agency
    episode = factories.MissingEpisodeFactory(young_person=referral.young_person)
    assert episode.located_at > episode.missing_from
    assert factories.PersonOfConcernFactory().owner_agency.code == "police"
