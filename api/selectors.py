"""Reads of the API app: what an agency may export (its own records, within the policy)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from api import serializers
from cases import permissions as case_permissions
from partnership.policy import PermissionPolicy, PolicyUser

# kind in the URL -> (policy, serializer): the record types an agency exports.
EXPORTS: dict[
    str, tuple[PermissionPolicy[Any], type[serializers.serializers.ModelSerializer[Any]]]
] = {
    "young-people": (case_permissions.young_person_policy, serializers.YoungPersonSerializer),
    "referrals": (case_permissions.referral_policy, serializers.ReferralSerializer),
    "missing-episodes": (
        case_permissions.missing_episode_policy,
        serializers.MissingEpisodeSerializer,
    ),
    "risk-assessments": (
        case_permissions.risk_assessment_policy,
        serializers.RiskAssessmentSerializer,
    ),
    "support": (case_permissions.support_policy, serializers.SupportSerializer),
}


def own_records(*, user: PolicyUser, kind: str) -> QuerySet[Any]:
    """The agency's own records of ``kind``: seen through the policy, owned by the agency
    (records of a case shared with the agency are the owner's to export, not ours)."""
    policy, _serializer = EXPORTS[kind]
    return (
        policy.visible_to(user)
        .filter(owner_agency_id=getattr(user, "agency_id", None))
        .order_by("id")
    )
