"""Flow-moving endpoints: submit, correct, withdraw, report results, and each staff step."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from applications.api import ApplicationDraftViewSet, RoundViewSet, _valid
from applications.serializers import ActualCostInputSerializer, ApplicationSerializer
from applications.services import ActualCostInput
from core.api import IDEMPOTENCY_HEADER, idempotent
from core.roles import is_staff_side
from payments.selectors import application_trail
from payments.serializers import TrailEventSerializer

from . import services, steps

__all__ = ["ApplicationViewSet", "RoundViewSet"]

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    IDEMPOTENCY_HEADER,
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="Repeat a request safely: the first response for this key is replayed.",
)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class AnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(required=False, allow_blank=True, default="")


class ResultsSerializer(serializers.Serializer):
    costs = ActualCostInputSerializer(many=True)


class CheckDocumentsSerializer(serializers.Serializer):
    accept = serializers.BooleanField()
    items = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    message = serializers.CharField(required=False, allow_blank=True, default="")


class ScreenSerializer(serializers.Serializer):
    eligible = serializers.BooleanField()
    recommend_grant = serializers.BooleanField()
    reason = serializers.CharField()


class DecideSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    conditions = serializers.CharField(required=False, allow_blank=True, default="")


class CheckResultsSerializer(serializers.Serializer):
    accept = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ConfirmAmountSerializer(serializers.Serializer):
    expected_amount = serializers.IntegerField(
        min_value=0,
        help_text="The amount_to_confirm read from the application; if the amount is no longer "
        "this, the confirmation is refused with amount_changed.",
    )


class ClaimSerializer(serializers.Serializer):
    account_id = serializers.IntegerField(help_text="A bank account from /api/payee-accounts/.")


class ApplicationViewSet(ApplicationDraftViewSet):
    @extend_schema(request=None, responses={200: TrailEventSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None)  # the whole trail, unpaged
    def events(self, request: Request, pk: str) -> Response:
        """The application's audit trail, oldest first: its own acts with its payment claim's,
        its account's and its payment batches' (prepared, released, bank results imported),
        each with who did it, in which role, when and why. The auditor's trace reads the same."""
        application = self.get_object()
        events = application_trail(application.pk)
        context = {"staff": is_staff_side(request.user)}
        return Response(TrailEventSerializer(events, many=True, context=context).data)

    def _step(self, request: Request, pk: str, step: steps.Step, serializer_class) -> Response:
        application = self.get_object()
        data = _valid(serializer_class, request.data)
        services.step_complete(application_id=application.pk, step=step, by=request.user, data=data)
        return self._detail(application.pk)

    @extend_schema(request=None, responses={200: ApplicationSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        application = self.get_object()
        services.subsidy_submit(application_id=application.pk, by=request.user)
        return self._detail(application.pk)

    @extend_schema(request=AnswerSerializer, responses={200: ApplicationSerializer})
    @action(detail=True, methods=["post"])
    def resubmit(self, request: Request, pk: str) -> Response:
        """Answer a return for correction and submit again."""
        application = self.get_object()
        data = _valid(AnswerSerializer, request.data)
        services.subsidy_resubmit(
            application_id=application.pk, by=request.user, answer=data["answer"]
        )
        return self._detail(application.pk)

    @extend_schema(request=ReasonSerializer, responses={200: ApplicationSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        application = self.get_object()
        data = _valid(ReasonSerializer, request.data)
        services.subsidy_withdraw(
            application_id=application.pk, by=request.user, reason=data["reason"]
        )
        return self._detail(application.pk)

    @extend_schema(request=ResultsSerializer, responses={200: ApplicationSerializer})
    @action(detail=True, methods=["post"])
    def results(self, request: Request, pk: str) -> Response:
        """The results report (実績報告): actual costs with dates and completion."""
        application = self.get_object()
        data = _valid(ResultsSerializer, request.data)
        costs = [ActualCostInput(**cost) for cost in data["costs"]]
        services.subsidy_report_results(application_id=application.pk, by=request.user, costs=costs)
        return self._detail(application.pk)

    @extend_schema(request=CheckDocumentsSerializer, responses={200: ApplicationSerializer})
    @action(detail=True, methods=["post"], url_path="check-documents")
    def check_documents(self, request: Request, pk: str) -> Response:
        """Staff: accept the documents or return for correction with items to fix."""
        return self._step(request, pk, steps.CHECK_DOCUMENTS, CheckDocumentsSerializer)

    @extend_schema(request=ScreenSerializer, responses={200: ApplicationSerializer})
    @action(detail=True, methods=["post"])
    def screen(self, request: Request, pk: str) -> Response:
        """Staff: record eligibility and a recommendation with its reason."""
        return self._step(request, pk, steps.SCREEN, ScreenSerializer)

    @extend_schema(
        request=DecideSerializer,
        responses={200: ApplicationSerializer},
        parameters=[IDEMPOTENCY_PARAMETER],
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def decide(self, request: Request, pk: str) -> Response:
        """Approver: the grant decision (交付決定) or non-grant, never on a case they prepared."""
        return self._step(request, pk, steps.DECIDE, DecideSerializer)

    @extend_schema(request=CheckResultsSerializer, responses={200: ApplicationSerializer})
    @action(detail=True, methods=["post"], url_path="check-results")
    def check_results(self, request: Request, pk: str) -> Response:
        return self._step(request, pk, steps.CHECK_RESULTS, CheckResultsSerializer)

    @extend_schema(
        request=ConfirmAmountSerializer,
        responses={200: ApplicationSerializer},
        parameters=[IDEMPOTENCY_PARAMETER],
    )
    @action(detail=True, methods=["post"], url_path="confirm-amount")
    @idempotent
    def confirm_amount(self, request: Request, pk: str) -> Response:
        """Approver: 額の確定, final = min(granted, subsidy of eligible actual costs)."""
        return self._step(request, pk, steps.CONFIRM_AMOUNT, ConfirmAmountSerializer)

    @extend_schema(request=ClaimSerializer, responses={200: ApplicationSerializer})
    @action(detail=True, methods=["post"])
    def claim(self, request: Request, pk: str) -> Response:
        """The payment claim (精算払請求) into one of the company's registered bank accounts."""
        application = self.get_object()
        data = _valid(ClaimSerializer, request.data)
        services.subsidy_claim_payment(
            application_id=application.pk, by=request.user, account_id=data["account_id"]
        )
        return self._detail(application.pk)
