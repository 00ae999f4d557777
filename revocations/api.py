"""Revocation endpoints: staff prepare, an approver who did not prepare decides (exactly once
under an Idempotency-Key), finance records repayments. HTTP in, one service call, HTTP out.
Every staff-side role reads; each service checks the role that may act."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from core.api import IDEMPOTENCY_HEADER, idempotent
from core.roles import is_staff_side

from . import services
from .models import Revocation
from .serializers import (
    RepaymentRecordSerializer,
    RevocationCancelSerializer,
    RevocationPrepareSerializer,
    RevocationSerializer,
)

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    IDEMPOTENCY_HEADER,
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="Repeat a request safely: the first response for this key is replayed.",
)
STATUS_PARAMETER = OpenApiParameter(
    "status",
    str,
    OpenApiParameter.QUERY,
    required=False,
    enum=Revocation.Status.values,
    description="Only revocations in this status.",
)


class StaffSide(BasePermission):
    """Prefectural staff of any role; companies and committee members are refused."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return is_staff_side(request.user)


def _valid(serializer_class: Any, data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _revocations() -> QuerySet[Revocation]:
    return Revocation.objects.select_related(
        "application__company",
        "application__round",
        "original",
        "prepared_by",
        "decided_by",
    ).prefetch_related("receipts__recorded_by")


class RevocationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Revocations of grant decisions (交付決定取消) and the repayments they order (返還命令),
    newest first, each with what is due today."""

    serializer_class = RevocationSerializer
    permission_classes = [IsAuthenticated, StaffSide]

    def get_queryset(self) -> QuerySet[Revocation]:
        revocations = _revocations()
        wanted = self.request.query_params.get("status")
        return revocations.filter(status=wanted) if wanted else revocations

    def _detail(self, revocation_id: int, code: int = status.HTTP_200_OK) -> Response:
        return Response(
            RevocationSerializer(_revocations().get(pk=revocation_id)).data, status=code
        )

    @extend_schema(parameters=[STATUS_PARAMETER])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request=RevocationPrepareSerializer,
        responses={201: RevocationSerializer},
        parameters=[IDEMPOTENCY_PARAMETER],
    )
    @idempotent
    def create(self, request: Request) -> Response:
        """Prepare the revocation of an application's grant (programme staff). When the company
        was already paid, give the repayment deadline."""
        data = _valid(RevocationPrepareSerializer, request.data)
        revocation = services.revocation_prepare(by=request.user, **data)
        return self._detail(revocation.pk, status.HTTP_201_CREATED)

    @extend_schema(
        request=None, responses={200: RevocationSerializer}, parameters=[IDEMPOTENCY_PARAMETER]
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def decide(self, request: Request, pk: str) -> Response:
        """Decide the revocation (an approver who did not prepare it): the application is
        revoked, its process ends and the notice is issued."""
        revocation = self.get_object()
        services.revocation_decide(revocation_id=revocation.pk, by=request.user)
        return self._detail(revocation.pk)

    @extend_schema(
        request=RevocationCancelSerializer,
        responses={200: RevocationSerializer},
        parameters=[IDEMPOTENCY_PARAMETER],
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def cancel(self, request: Request, pk: str) -> Response:
        """Drop a prepared revocation before it is decided (staff or approver)."""
        revocation = self.get_object()
        data = _valid(RevocationCancelSerializer, request.data)
        services.revocation_cancel(revocation_id=revocation.pk, by=request.user, **data)
        return self._detail(revocation.pk)

    @extend_schema(
        request=RepaymentRecordSerializer,
        responses={201: RevocationSerializer},
        parameters=[IDEMPOTENCY_PARAMETER],
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def repayments(self, request: Request, pk: str) -> Response:
        """Record money the company repaid (finance); the order is settled once principal and
        加算金 are covered."""
        revocation = self.get_object()
        data = _valid(RepaymentRecordSerializer, request.data)
        services.repayment_record(revocation_id=revocation.pk, by=request.user, **data)
        return self._detail(revocation.pk, status.HTTP_201_CREATED)
