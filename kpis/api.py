"""``/api/kpis/``: the KPI dashboard as JSON, for staff-side roles."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.roles import is_staff_side
from outcomes.selectors import productivity_rule

from .labels import KPI_LABELS, KPI_UNITS, STAGE_LABELS, kpi_definition
from .report import DashboardReport, dashboard_report_live
from .serializers import DashboardSerializer


class StaffSide(BasePermission):
    """Programme staff, approvers, finance, auditors and administrators."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return is_staff_side(request.user)


def dashboard_payload(report: DashboardReport) -> dict[str, Any]:
    rule = productivity_rule().describe()
    since = report.subsidy_users_since
    return {
        "computed_at": report.computed_at,
        "today": report.today,
        "period": {"first": report.period[0], "last": report.period[1]},
        "productivity_rule": rule,
        "kpis": [
            {
                "key": kpi.key,
                "label": str(KPI_LABELS[kpi.key]),
                "unit": str(KPI_UNITS[kpi.key]),
                "definition": kpi_definition(kpi.key, since=since, rule=rule),
                "total": kpi.total,
                "target": kpi.target,
                "period_value": kpi.period_value,
                "percent_of_target": kpi.percent_of_target,
                "years": kpi.year_rows,
            }
            for kpi in report.kpi_list
        ],
        "rounds": report.round_rows,
        "stages": [
            {**row, "label": str(STAGE_LABELS[row["stage"]])}
            for round_id in [*(row["round_id"] for row in report.round_rows), 0]
            for row in report.stage_rows(round_id)
        ],
    }


# A plain view, not a viewset: a viewset's ``list`` action made the schema call this one object
# an array.
class KpiDashboardView(APIView):
    """The programme's KPIs against their targets, the funnel and budget per subsidy round, and
    processing times per stage, computed from the records on request."""

    permission_classes = [IsAuthenticated, StaffSide]

    @extend_schema(responses=DashboardSerializer)
    def get(self, request: Request) -> Response:
        payload = dashboard_payload(dashboard_report_live())
        return Response(DashboardSerializer(payload).data)
