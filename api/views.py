"""The REST API's endpoints. Thin: each asks its record type's policy (list predicate for
lists, object check for one record: 404 outside reach) and writes through the services."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model, QuerySet
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from actions.permissions import action_item_policy, progress_update_policy
from api import serializers, services
from cases import permissions as case_permissions
from cases import services as case_services
from partnership.policy import PermissionPolicy
from records.services import EditConflict, RecordType

ERROR_VERSION_REQUIRED = "Send the version of the record you are changing."


class PolicyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Read endpoints of one record type: its policy decides every row."""

    policy: ClassVar[PermissionPolicy[Any]]
    lookup_value_converter = "int"
    prefetch: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def as_view(cls, *args: Any, **kwargs: Any) -> Any:
        # Token requests carry no session: the API answers 401 itself instead of the
        # sign-in redirect of LoginRequiredMiddleware (the authenticators check 2FA).
        return login_not_required(super().as_view(*args, **kwargs))

    def get_queryset(self) -> QuerySet[Any]:
        rows = self.policy.visible_to(self.request.user)
        return rows.prefetch_related(*self.prefetch) if self.prefetch else rows

    def get_object(self) -> Any:
        return self.policy.get_for_user_or_404(
            self.request.user, self.kwargs["pk"], queryset=self.policy.model._default_manager.all()
        )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        if page is None:  # every endpoint is paginated; this keeps the type checker honest
            raise exceptions.NotFound
        self._log(page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        record = self.get_object()
        self._log([record])
        return Response(self.get_serializer(record).data)

    def _log(self, records: Sequence[Model]) -> None:
        services.api_reads_record(
            actor=self.request.user, records=records, page=self.request.get_full_path()
        )


class YoungPersonViewSet(PolicyViewSet):
    policy = case_permissions.young_person_policy
    serializer_class = serializers.YoungPersonSerializer


class RiskAssessmentViewSet(PolicyViewSet):
    policy = case_permissions.risk_assessment_policy
    serializer_class = serializers.RiskAssessmentSerializer


class SupportViewSet(PolicyViewSet):
    policy = case_permissions.support_policy
    serializer_class = serializers.SupportSerializer


class ActionItemViewSet(PolicyViewSet):
    policy = action_item_policy
    serializer_class = serializers.ActionItemSerializer
    prefetch = ("lead_agencies",)


class ProgressUpdateViewSet(PolicyViewSet):
    policy = progress_update_policy
    serializer_class = serializers.ProgressUpdateSerializer


class WritableViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, PolicyViewSet):
    """Read, create and change (PATCH with the version) one record type about a young person.

    A POST with an ``external_ref`` already used by the agency answers the record made
    before (200) instead of making another (201).
    """

    record_type: ClassVar[RecordType[Any]]
    http_method_names: ClassVar[list[str]] = ["get", "post", "patch", "head", "options"]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        young_person = case_permissions.young_person_policy.get_for_user_or_404(
            request.user, serializer.validated_data["young_person_id"]
        )
        try:
            record, created = services.record_put(
                actor=request.user,
                record_type=self.record_type,
                young_person=young_person,
                values=serializer.record_values(),
                expected_version=serializer.validated_data.get("version"),
            )
        except EditConflict as conflict:
            return self._conflict(conflict)
        except DjangoValidationError as error:
            raise exceptions.ValidationError(error.message_dict) from None
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(self.get_serializer(record).data, status=code)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        record = self.get_object()  # 404 outside reach, before anything is read
        self.policy.require(request.user, "edit", record)  # visible, so 403 reveals nothing
        serializer = self.get_serializer(record, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        version = serializer.validated_data.get("version")
        if version is None:
            raise exceptions.ValidationError({"version": [ERROR_VERSION_REQUIRED]})
        try:
            record = self.record_type.update(
                actor=request.user,
                instance=record,
                expected_version=version,
                changes=serializer.record_values(),
            )
        except EditConflict as conflict:
            return self._conflict(conflict)
        except DjangoValidationError as error:
            raise exceptions.ValidationError(error.message_dict) from None
        return Response(self.get_serializer(record).data)

    def _conflict(self, conflict: EditConflict) -> Response:
        return Response(
            {
                "detail": "The record was changed since that version; here is the current one.",
                "current": self.get_serializer(conflict.current).data,
            },
            status=status.HTTP_409_CONFLICT,
        )


class ReferralViewSet(WritableViewSet):
    policy = case_permissions.referral_policy
    record_type = case_services.REFERRAL
    serializer_class = serializers.ReferralSerializer


class MissingEpisodeViewSet(WritableViewSet):
    policy = case_permissions.missing_episode_policy
    record_type = case_services.MISSING_EPISODE
    serializer_class = serializers.MissingEpisodeSerializer
