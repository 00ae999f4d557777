"""Finance endpoints (payables, payment batches) and the applicant's payee accounts: HTTP in,
one service call, HTTP out. Finance users act; auditors read."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.selectors import company_id_of_user
from core.api import IDEMPOTENCY_HEADER, idempotent
from core.roles import Role, has_role

from . import services
from .models import BatchItem, PaymentBatch
from .selectors import batch_list, payables_awaiting_batch, payee_accounts_for_user
from .serializers import (
    BatchCancelSerializer,
    BatchPrepareSerializer,
    PayableSerializer,
    PayeeAccountInputSerializer,
    PayeeAccountRetireSerializer,
    PayeeAccountSerializer,
    PaymentBatchDetailSerializer,
    PaymentBatchSerializer,
    ReconcileSerializer,
    ReconciliationSummarySerializer,
)
from .views import bank_file_response

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    IDEMPOTENCY_HEADER,
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="Repeat a request safely: the first response for this key is replayed.",
)


class FinanceOrAuditorReading(BasePermission):
    """Finance users may do anything here; auditors may only read."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if has_role(request.user, Role.FINANCE):
            return True
        return request.method in SAFE_METHODS and has_role(request.user, Role.AUDITOR)


class CompanyApplicant(BasePermission):
    """An applicant registered for a company."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return (
            has_role(request.user, Role.APPLICANT) and company_id_of_user(request.user) is not None
        )


def _valid(serializer_class: Any, data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class PayableViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Payment claims (精算払請求) awaiting a batch, oldest first."""

    serializer_class = PayableSerializer
    permission_classes = [IsAuthenticated, FinanceOrAuditorReading]

    def get_queryset(self) -> QuerySet:
        return payables_awaiting_batch()


def _batches_with_items() -> QuerySet[PaymentBatch]:
    items = BatchItem.objects.select_related(
        "payable__application__round", "payable__company"
    ).order_by("pk")
    return batch_list().prefetch_related(Prefetch("items", queryset=items))


class PaymentBatchViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Payment batches: prepared by one finance user, released by another (and a third above
    the threshold), sent to the bank as a Zengin file, reconciled with the bank's results."""

    permission_classes = [IsAuthenticated, FinanceOrAuditorReading]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self) -> QuerySet[PaymentBatch]:
        if self.action == "list":
            return batch_list().order_by("-transfer_date", "-pk")  # annotate drops Meta.ordering
        return _batches_with_items()

    def get_serializer_class(self) -> type:
        return PaymentBatchSerializer if self.action == "list" else PaymentBatchDetailSerializer

    def _detail(self, batch_id: int, code: int = status.HTTP_200_OK) -> Response:
        batch = _batches_with_items().get(pk=batch_id)
        return Response(PaymentBatchDetailSerializer(batch).data, status=code)

    @extend_schema(
        request=BatchPrepareSerializer,
        responses={201: PaymentBatchDetailSerializer},
        parameters=[IDEMPOTENCY_PARAMETER],
    )
    @idempotent
    def create(self, request: Request) -> Response:
        """Prepare a batch of payables for a transfer date (a business day)."""
        data = _valid(BatchPrepareSerializer, request.data)
        batch = services.batch_prepare(
            by=request.user, transfer_date=data["transfer_date"], payable_ids=data["payable_ids"]
        )
        return self._detail(batch.pk, status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses={200: PaymentBatchDetailSerializer},
        parameters=[IDEMPOTENCY_PARAMETER],
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def release(self, request: Request, pk: str) -> Response:
        """Release to the bank, never by the preparer. Above the threshold the first release
        leaves the batch awaiting a second, different finance user (awaiting_second_releaser)."""
        batch = self.get_object()
        services.batch_release(batch_id=batch.pk, by=request.user)
        return self._detail(batch.pk)

    @extend_schema(
        request=BatchCancelSerializer,
        responses={200: PaymentBatchDetailSerializer},
        parameters=[IDEMPOTENCY_PARAMETER],
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def cancel(self, request: Request, pk: str) -> Response:
        """Cancel before release; the payables return to the list for another batch."""
        batch = self.get_object()
        data = _valid(BatchCancelSerializer, request.data)
        services.batch_cancel(batch_id=batch.pk, by=request.user, reason=data["reason"])
        return self._detail(batch.pk)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def file(self, request: Request, pk: str) -> HttpResponse:
        """The Zengin 総合振込 file as built at release (cp932, 120-byte records); its SHA-256
        is in the X-Content-SHA256 header. 409 before release or while it is being built."""
        return bank_file_response(self.get_object())

    @extend_schema(request=ReconcileSerializer, responses={200: ReconciliationSummarySerializer})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def reconcile(self, request: Request, pk: str) -> Response:
        """Import the bank's result file: paid items end their applications as paid, failed
        ones return to the payables with the bank's reason. Importing it again changes nothing."""
        batch = self.get_object()
        data = _valid(ReconcileSerializer, request.data)
        summary = services.reconciliation_import(
            batch_id=batch.pk, by=request.user, data=data["file"].read()
        )
        return Response(ReconciliationSummarySerializer(summary).data)


class PayeeAccountViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """The bank accounts of the user's company that payment claims can name (retired ones
    with ?retired=1)."""

    serializer_class = PayeeAccountSerializer
    permission_classes = [IsAuthenticated, CompanyApplicant]

    def get_queryset(self) -> QuerySet:
        retired = self.action != "list" or self.request.query_params.get("retired") == "1"
        return payee_accounts_for_user(self.request.user, retired=retired)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "retired", int, description="1: list retired accounts too.", required=False
            )
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=PayeeAccountRetireSerializer, responses={200: PayeeAccountSerializer})
    @action(detail=True, methods=["post"])
    def retire(self, request: Request, pk: str) -> Response:
        """Retire an account: no new claim can name it; claims and batches that used it keep
        their copy. 409 account_retired if it already is."""
        account = self.get_object()
        data = _valid(PayeeAccountRetireSerializer, request.data)
        account = services.payee_account_retire(
            account_id=account.pk, by=request.user, reason=data["reason"]
        )
        return Response(PayeeAccountSerializer(account).data)

    @extend_schema(request=PayeeAccountInputSerializer, responses={201: PayeeAccountSerializer})
    def create(self, request: Request) -> Response:
        """Register an account; bank and branch codes are checked against the Zengin code list
        and the holder's name must be one the transfer file can carry."""
        data = _valid(PayeeAccountInputSerializer, request.data)
        account = services.payee_account_register(by=request.user, **data)
        return Response(PayeeAccountSerializer(account).data, status=status.HTTP_201_CREATED)
