"""Governance's own registrations: staff names, withheld where the agency's policy says so."""

from typing import Any

from django.conf import settings

from accounts.models import User
from governance.registry import (
    ProcessingDeclaration,
    ThirdPartySource,
    processing_register,
    third_party_register,
)


def _staff(subject: Any, agency_id: int) -> list[str]:
    disclosed = set(settings.CSE_SAR_STAFF_NAMES_DISCLOSED_AGENCIES)
    users = User.objects.exclude(agency__code__in=disclosed)
    return [f"{first} {last}" for first, last in users.values_list("first_name", "last_name")]


third_party_register(ThirdPartySource("staff name", _staff))
processing_register(
    ProcessingDeclaration(
        app="accounts",
        purpose="Running the service securely: who may see what, and who did",
        lawful_bases=("UK GDPR art. 6(1)(e) and art. 32: security of processing",),
        categories=(
            "Staff: name, agency, job title, roles, sign-in and two-factor records",
            "Access log: who viewed, searched, exported or changed which record, when",
        ),
    )
)
