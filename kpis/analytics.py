"""KPI arithmetic over plain DataFrames and Series: no models, no database.

Choices made once and used throughout:

* A KPI counts entities (companies, trainees) by fiscal year. "By year" is how many were counted
  in that year; "cumulative" is how many distinct ones were counted up to and including it, so
  an entity counted again in a later year (a company commended twice) adds to that year's count
  but not again to the cumulative one.
* Percentiles interpolate linearly between the closest ranks (pandas' default, Excel's
  PERCENTILE.INC): the median of 1, 2, 3, 10 days is 2.5 days.
* A duration below zero (a milestone backfilled out of order) is not a duration: it is dropped,
  as is a stage without both milestones.
* Rates are floats in 0..1 (NaN when there is nothing to divide by); amounts stay integer yen.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

YEAR_COLUMNS = ["fiscal_year", "count", "cumulative"]
PERCENTILES = {"p50": 0.5, "p90": 0.9}


def first_year_counts(first_years: Iterable[int]) -> pd.Series:
    """Entities by the fiscal year they were first counted in (one year per entity)."""
    years = pd.Series(list(first_years), dtype="int64")
    return years.value_counts().sort_index().rename_axis("fiscal_year").rename("count")


def distinct_by_year(pairs: pd.DataFrame) -> pd.DataFrame:
    """From (entity, fiscal_year) rows, per fiscal year: ``count``, the distinct entities that
    year, and ``new``, those counted for the first time."""
    pairs = pairs.drop_duplicates(["entity", "fiscal_year"])
    count = pairs.groupby("fiscal_year")["entity"].nunique()
    new = pairs.groupby("entity")["fiscal_year"].min().value_counts()
    frame = pd.DataFrame({"count": count, "new": new}).fillna(0).astype("int64")
    return frame.rename_axis("fiscal_year").sort_index()


def year_table(
    counts: pd.Series, years: Sequence[int], new: pd.Series | None = None
) -> pd.DataFrame:
    """One row per fiscal year in ``years``: the count that year and the cumulative count.

    ``new`` (entities counted for the first time, by year) drives the cumulative count; it is
    ``counts`` itself for KPIs that count each entity once. Years before ``years[0]`` still add
    to the cumulative count.
    """
    new = counts if new is None else new
    index = pd.Index(list(years), dtype="int64", name="fiscal_year")
    yearly = counts.reindex(index, fill_value=0).astype("int64")
    before = int(new[new.index < index.min()].sum()) if len(index) else 0
    cumulative = new.reindex(index, fill_value=0).astype("int64").cumsum() + before
    return pd.DataFrame(
        {"fiscal_year": index, "count": yearly.to_numpy(), "cumulative": cumulative.to_numpy()}
    )


def total(new: pd.Series) -> int:
    return int(new.sum())


def in_period(counts: pd.Series, period: tuple[int, int]) -> int:
    """Entities counted in the fiscal years of ``period`` (both ends included), for KPIs that
    count each entity once."""
    first, last = period
    return int(counts[(counts.index >= first) & (counts.index <= last)].sum())


def distinct_in_period(pairs: pd.DataFrame, period: tuple[int, int]) -> int:
    """Distinct entities with a row in the fiscal years of ``period``."""
    first, last = period
    inside = pairs[(pairs["fiscal_year"] >= first) & (pairs["fiscal_year"] <= last)]
    return int(inside["entity"].nunique())


def share(part: float, whole: float) -> float:
    """``part / whole``; NaN when ``whole`` is zero."""
    return part / whole if whole else float("nan")


def _ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    return numerator.astype("float64") / denominator.where(denominator != 0).astype("float64")


def round_funnel(rounds: pd.DataFrame) -> pd.DataFrame:
    """Per round, adds the approval rate (granted / decided) and the shares of the budget
    decided and paid. (What the budget still has is the budget ledger's ``remaining_amount``.)"""
    frame = rounds.copy()
    frame["approval_rate"] = _ratio(frame["granted"], frame["decided"])
    frame["decided_share"] = _ratio(frame["decided_amount"], frame["budget"])
    frame["paid_share"] = _ratio(frame["paid_amount"], frame["budget"])
    frame["breaches"] = frame["results_late"] + frame["results_missing"] + frame["lapsed"]
    return frame


def funnel_totals(rounds: pd.DataFrame) -> dict[str, float]:
    """The funnel over all rounds: sums of the count and amount columns, and the rates."""
    summed = {
        column: int(rounds[column].sum())
        for column in rounds.columns
        if column not in ("round_id", "name", "fiscal_year", "results_report_deadline")
        and pd.api.types.is_integer_dtype(rounds[column])
    }
    summed["approval_rate"] = share(summed.get("granted", 0), summed.get("decided", 0))
    summed["decided_share"] = share(summed.get("decided_amount", 0), summed.get("budget", 0))
    summed["paid_share"] = share(summed.get("paid_amount", 0), summed.get("budget", 0))
    return summed


def stage_percentiles(durations: pd.DataFrame, stages: Sequence[str]) -> pd.DataFrame:
    """Median and 90th percentile (days) of each stage, per round and over all rounds.

    ``durations`` has a ``round_id`` column and one column of days per stage (NaN: no such
    stage). The result has one row per (round_id, stage); ``round_id`` 0 is all rounds.
    """
    days = durations[list(stages)].where(durations[list(stages)] >= 0)
    days = days.astype("float64")
    days.insert(0, "round_id", durations["round_id"].to_numpy())
    per_round = _percentile_rows(days.groupby("round_id"), stages)
    overall = _percentile_rows(days.assign(round_id=0).groupby("round_id"), stages)
    return pd.concat([per_round, overall], ignore_index=True)


def _percentile_rows(
    groups: pd.core.groupby.DataFrameGroupBy, stages: Sequence[str]
) -> pd.DataFrame:
    counts = groups[list(stages)].count()
    if counts.empty:
        return pd.DataFrame(columns=["round_id", "stage", "count", *PERCENTILES])
    # one pass for both percentiles: rows (round_id, q), a column per stage
    quantiles = groups[list(stages)].quantile(list(PERCENTILES.values()))
    frames = []
    for stage in stages:
        by_q = quantiles[stage].unstack()
        frames.append(
            pd.DataFrame(
                {
                    "round_id": counts.index.to_numpy(dtype=np.int64),
                    "stage": stage,
                    "count": counts[stage].to_numpy(dtype=np.int64),
                    **{
                        name: by_q[q].reindex(counts.index).to_numpy(dtype=np.float64)
                        for name, q in PERCENTILES.items()
                    },
                }
            )
        )
    return pd.concat(frames, ignore_index=True)
