"""A committee's results to take away: the ranked table (Excel, CSV) and a draft of the
minutes (議事録案, PDF) with the members, the ranking, the selection, departures and rationale."""

from __future__ import annotations

import io
from typing import Any

import pandas as pd

from core.dates import JST, today_jst
from letters.rendering import letter_pdf

from . import analytics
from .committee import departures_from_ranking
from .models import CommitteeDecision, ReviewPanel
from .selectors import PanelResults, decision_standing, panel_results

MINUTES = "committee_minutes"


def _person(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def _decided(results: PanelResults, decision: CommitteeDecision | None) -> pd.DataFrame:
    """The ranked table, with the decision's selection, departures and reasons when there is one."""
    table = results.table.copy()
    if decision is None:
        return table.assign(selected=False, departure=False, rationale="")
    entries = {entry.item_id: entry for entry in decision.entries.all()}
    selected = {pk for pk, entry in entries.items() if entry.selected}
    departed = set(departures_from_ranking(table, selected, decision.quota))
    return table.assign(
        selected=table["item_id"].isin(selected),
        departure=table["item_id"].isin(departed),
        rationale=table["item_id"].map(
            lambda pk: entries[pk].departure_reason if pk in entries else ""
        ),
    )


def export_table(panel: ReviewPanel) -> pd.DataFrame:
    """The table the downloads carry: ranking columns, then the standing decision's columns."""
    decision = decision_standing(panel)
    table = _decided(panel_results(panel), decision).rename(columns={"within_quota": "proposed"})
    if decision is None:
        table = table.drop(columns=["selected", "departure", "rationale"])
    return table.drop(columns="item_id")


def ranked_table_bytes(panel: ReviewPanel, format: analytics.ExportFormat = "xlsx") -> bytes:
    """The ranked table as an Excel workbook or a CSV file (UTF-8 with BOM), Japanese headers."""
    buffer = io.BytesIO()
    analytics.ranked_table_export(export_table(panel), buffer, format=format)
    return buffer.getvalue()


def _row(row: Any) -> dict[str, Any]:
    return {
        "rank": int(row.rank),
        "label": row.label,
        "reviewers": int(row.reviewers),
        "mean_raw": f"{row.mean_raw:.{analytics.DISPLAY_DECIMALS}f}",
        "mean_z": f"{row.mean_z:+.{analytics.DISPLAY_DECIMALS}f}",
        "disagreement": bool(row.disagreement),
        "proposed": bool(row.within_quota),
        "tied": bool(row.tied_at_quota),
        "selected": bool(row.selected),
        "departure": bool(row.departure),
        "reason": row.rationale,
    }


def minutes_context(panel: ReviewPanel) -> dict[str, Any]:
    """What the minutes print: the committee, its members, the ranking and the decision."""
    decision = decision_standing(panel)
    results = panel_results(panel)
    rows = [_row(row) for row in _decided(results, decision).itertuples()]
    return {
        "issued_on": today_jst().isoformat(),
        "committee": panel.name,
        "round": str(panel.round),
        "chair": _person(panel.chair),
        "members": [_person(user) for user in panel.reviewers.order_by("pk")],
        "quota": panel.quota,
        "deadline": panel.review_deadline.astimezone(JST).date().isoformat(),
        "rows": rows,
        "unscored": [item.label for item in results.unscored],
        "selected": [row for row in rows if row["selected"]],
        "departures": [row for row in rows if row["departure"]],
        "decision": _decision_context(decision),
    }


def _decision_context(decision: CommitteeDecision | None) -> dict[str, Any] | None:
    if decision is None:
        return None
    return {
        "status": decision.status,
        "rationale": decision.rationale,
        "recorded_by": _person(decision.recorded_by),
        "recorded_on": decision.recorded_at.astimezone(JST).date().isoformat(),
        "approved_by": _person(decision.approved_by),
        "approved_on": (
            decision.approved_at.astimezone(JST).date().isoformat() if decision.approved_at else ""
        ),
    }


def minutes_pdf(panel: ReviewPanel, language: str = "ja") -> bytes:
    """The minutes draft as PDF, laid out like the prefecture's letters
    (templates: screening/templates/letters/committee_minutes.<language>.xml)."""
    return letter_pdf(MINUTES, language, minutes_context(panel))
