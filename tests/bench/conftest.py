"""Shared data for the bench tests: records of every kind of visibility for one agency."""

import datetime as dt

import pytest
from django.utils import timezone

from cases import services
from cases.models import CaseShare
from tests.factories import MissingEpisodeFactory, ReferralFactory, YoungPersonFactory


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
