"""The KPI dashboard for staff-side roles (programme staff, approvers, finance, auditors,
administrators; anyone else gets 403): the page, its charts as SVG, and the exports. Everything
is read from ``dashboard_report_live()``, computed on request."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.dates import JST
from core.roles import is_staff_side
from outcomes.selectors import productivity_rule
from web.templatetags.kofu import yen

from . import charts, exports
from .labels import (
    KPI_LABELS,
    KPI_UNITS,
    PERCENT_COLUMNS,
    ROUND_LABELS,
    STAGE_LABELS,
    fiscal_year_label,
    kpi_definition,
    period_note,
    rounds_note,
    stages_note,
)
from .report import DashboardReport, KpiFigures, dashboard_report_live

ROUND_PAGE_COLUMNS = (
    "submitted",
    "decided",
    "granted",
    "rejected",
    "approval_rate",
    "paid",
    "budget",
    "decided_amount",
    "decided_share",
    "paid_amount",
    "paid_share",
    "confirmed_amount",
    "unspent_amount",
    "revoked_amount",
    "repaid_amount",
    "committed_amount",
    "remaining_amount",
    "results_late",
    "results_missing",
    "lapsed",
    "outcomes_overdue",
)
ROUND_CHARTS = ("funnel", "budget", "stages")
KPI_CHARTS = {
    "declarations": "declarations",
    "commendations": "commendations",
    "productivity_gains": "productivity-gains",
    "subsidy_users": "subsidy-users",
}


def _ensure_reader(request: HttpRequest) -> None:
    if not is_staff_side(request.user):
        raise PermissionDenied(
            _("Only programme staff, approvers, finance, auditors and administrators see KPIs.")
        )


def _number(value: Any) -> str:
    return "—" if value is None else f"{value:,}"


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f}%"


def _days(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def _card(kpi: KpiFigures, report: DashboardReport, rule: str) -> dict[str, Any]:
    return {
        "key": kpi.key,
        "label": KPI_LABELS[kpi.key],
        "unit": KPI_UNITS[kpi.key],
        "definition": kpi_definition(kpi.key, since=report.subsidy_users_since, rule=rule),
        "target": kpi.target,
        "period_value": kpi.period_value,
        "percent": None if kpi.percent_of_target is None else f"{kpi.percent_of_target:.1f}%",
        "total": kpi.total,
        "years": [{**row, "label": fiscal_year_label(row["fiscal_year"])} for row in kpi.year_rows],
        "chart": reverse("kpis:chart", args=[KPI_CHARTS[kpi.key]]),
    }


# the round table's amounts of yen, written as every page writes them (187,000円)
YEN_COLUMNS = frozenset(
    column for column in ROUND_PAGE_COLUMNS if column == "budget" or column.endswith("_amount")
)


def _round_cell(column: str, value: Any) -> str:
    if column in PERCENT_COLUMNS:
        return _percent(value)
    if column in YEN_COLUMNS:
        return yen(value)
    return _number(value)


def _round_cells(row: dict[str, Any]) -> list[str]:
    return [_round_cell(column, row[column]) for column in ROUND_PAGE_COLUMNS]


def _stage_table(report: DashboardReport) -> dict[str, Any]:
    rounds = [(row["round_id"], row["name"]) for row in report.round_rows]
    per_round = {round_id: report.stage_rows(round_id) for round_id, _name in rounds}
    rows = []
    for index, overall in enumerate(report.stage_rows(0)):
        rows.append(
            {
                "label": STAGE_LABELS[overall["stage"]],
                "count": _number(overall["count"]),
                "p50": _days(overall.get("p50")),
                "p90": _days(overall.get("p90")),
                "rounds": [
                    f"{_days(per_round[rid][index].get('p50'))} / "
                    f"{_days(per_round[rid][index].get('p90'))}"
                    for rid, _name in rounds
                ],
            }
        )
    return {"rounds": [name for _rid, name in rounds], "rows": rows}


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    _ensure_reader(request)
    report = dashboard_report_live()
    rule = productivity_rule().describe()
    first, last = report.period
    context = {
        "report": report,
        "computed_at": report.computed_at.astimezone(JST),
        "period_note": period_note(first, last),
        "rule": rule,
        "cards": [_card(kpi, report, rule) for kpi in report.kpi_list],
        "round_header": [ROUND_LABELS[column] for column in ROUND_PAGE_COLUMNS],
        "round_rows": [
            {"name": row["name"], "fiscal_year": row["fiscal_year"], "cells": _round_cells(row)}
            for row in report.round_rows
        ],
        "totals": _round_cells(report.totals),
        "rounds_note": rounds_note(),
        "stages": _stage_table(report),
        "stages_note": stages_note(),
        "charts": {name: reverse("kpis:chart", args=[name]) for name in ROUND_CHARTS},
    }
    return render(request, "kpis/dashboard.html", context)


@login_required
def chart(request: HttpRequest, name: str) -> HttpResponse:
    _ensure_reader(request)
    draw = charts.CHARTS.get(name)
    if draw is None:
        raise Http404(_("There is no such chart."))
    response = HttpResponse(draw(dashboard_report_live()), content_type="image/svg+xml")
    response["Cache-Control"] = f"private, max-age={max(settings.KOFU_KPI_CACHE_SECONDS, 0)}"
    return response


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _stamp(report: DashboardReport) -> str:
    return report.computed_at.astimezone(JST).strftime("%Y%m%d-%H%M")


@login_required
def export_xlsx(request: HttpRequest) -> HttpResponse:
    _ensure_reader(request)
    report = dashboard_report_live()
    return _download(
        exports.dashboard_xlsx(report), exports.XLSX_CONTENT_TYPE, f"kpis-{_stamp(report)}.xlsx"
    )


@login_required
def export_csv(request: HttpRequest) -> HttpResponse:
    _ensure_reader(request)
    table = request.GET.get("table", "kpis")
    if table not in exports.TABLES:
        raise Http404(_("There is no such table."))
    report = dashboard_report_live()
    return _download(
        exports.dashboard_csv(report, table),
        "text/csv; charset=utf-8",
        f"kpis-{table}-{_stamp(report)}.csv",
    )
