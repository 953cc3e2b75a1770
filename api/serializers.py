"""What the API says about each record type. Foreign keys are ids (no query per row); the
young person is given by id on writes and resolved through its policy by the view."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from actions.models import ActionItem, ProgressUpdate
from cases import record_fields
from cases.models import (
    MissingEpisode,
    Referral,
    RiskAssessment,
    Support,
    YoungPerson,
)

# Set by the services from the actor and the young person, never by the caller.
OWNED = ("id", "owner_agency", "case_agency", "created_at", "updated_at", "version")


class YoungPersonSerializer(serializers.ModelSerializer[YoungPerson]):
    class Meta:
        model = YoungPerson
        fields = (
            "id",
            "owner_agency",
            *record_fields.YOUNG_PERSON_FIELDS,
            "created_at",
            "updated_at",
            "version",
        )
        read_only_fields = fields


class CaseRecordSerializer(serializers.ModelSerializer[Any]):
    """A record about one young person; ``version`` is what an update expects to replace."""

    young_person = serializers.IntegerField(source="young_person_id")
    version = serializers.IntegerField(required=False, min_value=1)
    writable: tuple[str, ...] = ()

    class Meta:
        validators: list[Any] = []  # uniqueness of external_ref is the service's to decide
        read_only_fields = tuple(name for name in OWNED if name != "version")

    def record_values(self) -> dict[str, Any]:
        """The validated fields the services take (no young person, no version)."""
        return {
            name: self.validated_data[name] for name in self.writable if name in self.validated_data
        }


REFERRAL_WRITABLE = (*record_fields.REFERRAL_FIELDS, "source", "external_ref")
MISSING_EPISODE_WRITABLE = (*record_fields.MISSING_EPISODE_FIELDS, "source", "external_ref")


class ReferralSerializer(CaseRecordSerializer):
    writable = REFERRAL_WRITABLE

    class Meta(CaseRecordSerializer.Meta):
        model = Referral
        fields = (*OWNED, "young_person", *REFERRAL_WRITABLE)


class MissingEpisodeSerializer(CaseRecordSerializer):
    writable = MISSING_EPISODE_WRITABLE

    class Meta(CaseRecordSerializer.Meta):
        model = MissingEpisode
        fields = (*OWNED, "young_person", *MISSING_EPISODE_WRITABLE)


class RiskAssessmentSerializer(serializers.ModelSerializer[RiskAssessment]):
    class Meta:
        model = RiskAssessment
        fields = (*OWNED, "young_person", *record_fields.RISK_ASSESSMENT_FIELDS)
        read_only_fields = fields


class SupportSerializer(serializers.ModelSerializer[Support]):
    class Meta:
        model = Support
        fields = (*OWNED, "young_person", *record_fields.SUPPORT_FIELDS)
        read_only_fields = fields


class ActionItemSerializer(serializers.ModelSerializer[ActionItem]):
    class Meta:
        model = ActionItem
        fields = (
            "id",
            "number",
            "area",
            "action",
            "measure",
            "lead_officer",
            "lead_agencies",
            "measure_kind",
            "measure_code",
            "target_date",
        )
        read_only_fields = fields


class ProgressUpdateSerializer(serializers.ModelSerializer[ProgressUpdate]):
    class Meta:
        model = ProgressUpdate
        fields = (
            "id",
            "item",
            "period",
            "status",
            "narrative",
            "remedial_action",
            "evidence_link",
            "milestone_done",
            "milestone_date",
            "author_agency",
            "submitted_at",
            "is_late",
            "version",
        )
        read_only_fields = fields
