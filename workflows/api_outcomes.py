"""Outcome reports (効果報告) over the API: the company lists and submits its reports; staff
accept or return them (the flow's check step)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from applications.api import _valid
from outcomes.selectors import outcome_report_get_for_user, outcome_report_list_for_user
from outcomes.serializers import (
    OutcomeReportSerializer,
    OutcomeReportSubmitSerializer,
    OutcomeReturnSerializer,
)

from . import services, steps


class OutcomeReportViewSet(viewsets.ReadOnlyModelViewSet):
    """Outcome reports the user may see: their company's, or all for staff-side roles."""

    serializer_class = OutcomeReportSerializer

    def get_queryset(self):
        return outcome_report_list_for_user(self.request.user).prefetch_related(
            "application__round__outcome_measures"
        )

    def get_object(self):
        return outcome_report_get_for_user(self.request.user, int(self.kwargs["pk"]))

    def _detail(self, report_id: int) -> Response:
        report = outcome_report_get_for_user(self.request.user, report_id)
        return Response(OutcomeReportSerializer(report).data)

    def _check(self, request: Request, *, accept: bool, reason: str = "") -> Response:
        report = self.get_object()
        services.step_complete(
            application_id=report.application_id,
            step=steps.CHECK_OUTCOME_REPORT,
            by=request.user,
            data={"accept": accept, "reason": reason},
        )
        return self._detail(report.pk)

    @extend_schema(request=OutcomeReportSubmitSerializer, responses={200: OutcomeReportSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        """The company reports every measure of the round, to compare with its baselines."""
        report = self.get_object()
        data = _valid(OutcomeReportSubmitSerializer, request.data)
        services.subsidy_outcome_report_submit(
            report_id=report.pk, by=request.user, values=data["values"], comment=data["comment"]
        )
        return self._detail(report.pk)

    @extend_schema(request=None, responses={200: OutcomeReportSerializer})
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str) -> Response:
        """Staff: accept the submitted report."""
        return self._check(request, accept=True)

    @extend_schema(request=OutcomeReturnSerializer, responses={200: OutcomeReportSerializer})
    @action(detail=True, methods=["post"], url_path="return")
    def return_report(self, request: Request, pk: str) -> Response:
        """Staff: return the report to the company with what to correct."""
        data = _valid(OutcomeReturnSerializer, request.data)
        return self._check(request, accept=False, reason=data["reason"])
