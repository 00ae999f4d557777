"""The KPI dashboard as one object: the programme's KPIs by fiscal year against their targets,
the funnel and budget of each subsidy round, and processing times per stage.

``dashboard_report()`` computes it from the database on every call (a few SQL statements, see
``kpis.selectors``); ``dashboard_report_live()`` shares one result between the page and its
charts for ``KOFU_KPI_CACHE_SECONDS`` at most.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from core.dates import fiscal_year_of, today_jst
from outcomes.selectors import gain_first_fiscal_years

from . import analytics, selectors

DECLARATIONS, COMMENDATIONS, GAINS, SUBSIDY_USERS = (
    "declarations",
    "commendations",
    "productivity_gains",
    "subsidy_users",
)
KPI_KEYS = (DECLARATIONS, COMMENDATIONS, GAINS, SUBSIDY_USERS)
CACHE_KEY = "kpis:dashboard"


@dataclass(frozen=True)
class KpiFigures:
    """One KPI: by fiscal year (``years``: fiscal_year, count, cumulative), all-time total, and
    the count in the target period against its target (None when the KPI has no target)."""

    key: str
    years: pd.DataFrame
    total: int
    target: int | None = None
    period_value: int | None = None

    @property
    def percent_of_target(self) -> float | None:
        if not self.target or self.period_value is None:
            return None
        return 100.0 * self.period_value / self.target

    @property
    def year_rows(self) -> list[dict[str, int]]:
        return [
            {key: int(value) for key, value in row.items()} for row in self.years.to_dict("records")
        ]


@dataclass(frozen=True)
class DashboardReport:
    computed_at: dt.datetime
    today: dt.date
    period: tuple[int, int]
    subsidy_users_since: int
    kpis: dict[str, KpiFigures]
    rounds: pd.DataFrame
    totals: dict[str, Any]
    stages: pd.DataFrame
    stage_keys: tuple[str, ...] = field(default=tuple(stage.key for stage in selectors.STAGES))

    @property
    def kpi_list(self) -> list[KpiFigures]:
        return [self.kpis[key] for key in KPI_KEYS]

    @property
    def round_rows(self) -> list[dict[str, Any]]:
        return [_plain(row) for row in self.rounds.to_dict("records")]

    def stage_rows(self, round_id: int = 0) -> list[dict[str, Any]]:
        """Percentiles per stage for one round (0: all rounds), in stage order."""
        rows = self.stages[self.stages["round_id"] == round_id]
        by_stage = {row["stage"]: _plain(row) for row in rows.to_dict("records")}
        return [
            by_stage.get(
                key, {"round_id": round_id, "stage": key, "count": 0, "p50": None, "p90": None}
            )
            for key in self.stage_keys
        ]


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    """numpy scalars as Python ones and NaN as None, for templates, JSON and spreadsheets."""
    plain = {}
    for key, value in row.items():
        if hasattr(value, "item"):
            value = value.item()
        if isinstance(value, float) and math.isnan(value):
            value = None
        plain[key] = value
    return plain


def _years(series: list[pd.Series], period: tuple[int, int], today: dt.date) -> list[int]:
    """The fiscal years every KPI table shows: from the first with data (or the period) to the
    end of the target period or the current fiscal year, whichever is later."""
    current = fiscal_year_of(today)
    known = [int(year) for counts in series for year in counts.index]
    first = min([*known, period[0], current])
    last = max([*known, period[1], current])
    return list(range(first, last + 1))


def _targets() -> dict[str, int]:
    return dict(settings.KOFU_KPI_TARGETS)


def _kpis(today: dt.date, period: tuple[int, int], since: int) -> dict[str, KpiFigures]:
    declarations = selectors.declarations_first_registered()
    pairs = selectors.commended_pairs()
    commended = analytics.distinct_by_year(pairs)
    gains = analytics.first_year_counts(gain_first_fiscal_years().values())
    users = selectors.subsidy_users_first_paid(since)
    years = _years([declarations, commended["count"], gains, users], period, today)
    targets = _targets()

    def once(key: str, counts: pd.Series, *, target: bool = True) -> KpiFigures:
        return KpiFigures(
            key=key,
            years=analytics.year_table(counts, years),
            total=analytics.total(counts),
            target=targets.get(key) if target else None,
            period_value=analytics.in_period(counts, period) if target else None,
        )

    return {
        DECLARATIONS: once(DECLARATIONS, declarations),
        COMMENDATIONS: KpiFigures(
            key=COMMENDATIONS,
            years=analytics.year_table(commended["count"], years, new=commended["new"]),
            total=analytics.total(commended["new"]),
            target=targets.get(COMMENDATIONS),
            period_value=analytics.distinct_in_period(pairs, period),
        ),
        GAINS: once(GAINS, gains),
        SUBSIDY_USERS: once(SUBSIDY_USERS, users, target=False),
    }


def _rounds(today: dt.date) -> pd.DataFrame:
    rounds = analytics.round_funnel(selectors.round_figures(today))
    overdue = selectors.outcome_reports_overdue_by_round(today)
    rounds["outcomes_overdue"] = (
        rounds["round_id"].map(overdue).fillna(0).astype("int64")
        if len(rounds)
        else pd.Series(dtype="int64")
    )
    rounds["breaches"] = rounds["breaches"] + rounds["outcomes_overdue"]
    return rounds


def dashboard_report(*, today: dt.date | None = None) -> DashboardReport:
    """Compute the whole dashboard now, from the database."""
    today = today or today_jst()
    period = tuple(settings.KOFU_KPI_PERIOD)
    since = settings.KOFU_KPI_SUBSIDY_USERS_SINCE
    rounds = _rounds(today)
    stage_keys = tuple(stage.key for stage in selectors.STAGES)
    return DashboardReport(
        computed_at=timezone.now(),
        today=today,
        period=(int(period[0]), int(period[1])),
        subsidy_users_since=since,
        kpis=_kpis(today, (int(period[0]), int(period[1])), since),
        rounds=rounds,
        totals=_plain(analytics.funnel_totals(rounds)),
        stages=analytics.stage_percentiles(selectors.stage_durations(), stage_keys),
        stage_keys=stage_keys,
    )


def dashboard_report_live() -> DashboardReport:
    """The dashboard as of at most ``KOFU_KPI_CACHE_SECONDS`` ago (0: computed on every call),
    so that a page and its charts, requested together, compute it once."""
    seconds = settings.KOFU_KPI_CACHE_SECONDS
    if seconds <= 0:
        return dashboard_report()
    report = cache.get(CACHE_KEY)
    if report is None:
        report = dashboard_report()
        cache.set(CACHE_KEY, report, seconds)
    return report
