"""The dashboard as tables: an Excel workbook (sheets KPIs, rounds, stages) and CSV (one table
per file, UTF-8 with a BOM so that Excel reads the Japanese). Amounts are integer yen, rates
percentages with one decimal, durations days with one decimal."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Font

from .labels import KPI_LABELS, KPI_UNITS, PERCENT_COLUMNS, ROUND_LABELS, STAGE_LABELS
from .report import DashboardReport

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TABLES = ("kpis", "rounds", "stages")
ROUND_EXPORT_COLUMNS = (
    "name",
    "fiscal_year",
    "submitted",
    "withdrawn",
    "lapsed",
    "decided",
    "granted",
    "rejected",
    "approval_rate",
    "revoked",
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
    "results_report_deadline",
    "results_late",
    "results_missing",
    "outcomes_overdue",
    "breaches",
)

Table = tuple[list[str], list[list[Any]]]


def _one_decimal(value: float | None, scale: float = 1.0) -> float | None:
    return None if value is None else round(value * scale, 1)


def kpi_table(report: DashboardReport) -> Table:
    """One row per KPI and fiscal year, with the KPI's target-period figures on each row."""
    first, last = report.period
    header = [
        _("KPI"),
        _("Unit"),
        _("Fiscal year"),
        _("Count"),
        _("Cumulative"),
        _("Target (FY%(first)s–%(last)s)") % {"first": first, "last": last},
        _("In the target period"),
        _("Share of target (%)"),
    ]
    rows = [
        [
            str(KPI_LABELS[kpi.key]),
            str(KPI_UNITS[kpi.key]),
            year["fiscal_year"],
            year["count"],
            year["cumulative"],
            kpi.target,
            kpi.period_value,
            _one_decimal(kpi.percent_of_target),
        ]
        for kpi in report.kpi_list
        for year in kpi.year_rows
    ]
    return header, rows


def _round_cell(row: dict[str, Any], column: str) -> Any:
    if column in PERCENT_COLUMNS:
        return _one_decimal(row[column], 100)
    return row[column]


def rounds_table(report: DashboardReport) -> Table:
    """One row per subsidy round: funnel, budget and deadline breaches."""
    columns = ROUND_EXPORT_COLUMNS
    header = [str(ROUND_LABELS[column]) for column in columns]
    rows = [[_round_cell(row, column) for column in columns] for row in report.round_rows]
    return header, rows


def stages_table(report: DashboardReport) -> Table:
    """Processing time per stage and round (and over all rounds): count, median, 90th pct."""
    names = {row["round_id"]: row["name"] for row in report.round_rows}
    names[0] = _("All rounds")
    header = [
        _("Round"),
        _("Stage"),
        pgettext("KPI", "Applications"),
        _("Median (days)"),
        _("90th pct (days)"),
    ]
    rows = [
        [
            names[round_id],
            str(STAGE_LABELS[row["stage"]]),
            row["count"],
            _one_decimal(row.get("p50")),
            _one_decimal(row.get("p90")),
        ]
        for round_id in [*(row["round_id"] for row in report.round_rows), 0]
        for row in report.stage_rows(round_id)
    ]
    return header, rows


TABLE_BUILDERS = {"kpis": kpi_table, "rounds": rounds_table, "stages": stages_table}
SHEETS = {"kpis": "KPIs", "rounds": "rounds", "stages": "stages"}


def _sheet(workbook: Workbook, title: str, table: Table, first: bool) -> None:
    sheet = workbook.active if first else workbook.create_sheet()
    sheet.title = title
    header, rows = table
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "A2"


def dashboard_xlsx(report: DashboardReport) -> bytes:
    """The workbook: sheets "KPIs", "rounds" and "stages"."""
    workbook = Workbook()
    for index, name in enumerate(TABLES):
        _sheet(workbook, SHEETS[name], TABLE_BUILDERS[name](report), first=index == 0)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _csv(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(["" if value is None else value for value in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def dashboard_csv(report: DashboardReport, table: str = "kpis") -> bytes:
    """One table of the dashboard (``kpis``, ``rounds`` or ``stages``) as CSV."""
    if table not in TABLE_BUILDERS:
        raise ValueError(f"no such table: {table!r}")
    return _csv(*TABLE_BUILDERS[table](report))
