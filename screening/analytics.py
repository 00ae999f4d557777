"""Committee screening arithmetic: from reviewers' rubric scores to a ranked, decided list.

Pure functions on plain data that return pandas DataFrames: no models, no database. The steps
run in order ``scores_frame`` → ``weighted_totals`` → ``normalised`` → ``application_summary``
→ ``ranking`` → ``ranked_table_export``. Which choices of the chair depart from the ranking is
the committee's rule, ``screening.committee.departures_from_ranking``, applied to this ranking.
``criterion_agreement`` reads the scores frame alongside them.

Choices made once and used throughout:

* A weighted total is the weighted mean Σ wᵢ·sᵢ / Σ wᵢ. It stays on the rubric's scale (scores
  of 1–5 give a total of 1–5), so spreads and thresholds can be read in scale points.
* Every standard deviation is the population one (ddof=0). A reviewer's applications, or an
  application's reviewers, are the whole group being described, not a sample from a larger one.
* Arithmetic is done in floats. Scores are shown rounded to ``DISPLAY_DECIMALS`` (2 dp). Ties,
  thresholds and "no spread" compare values rounded to ``COMPARE_DECIMALS`` (6 dp), so float
  noise (0.1 + 0.2 ≠ 0.3) can neither break a real tie nor create a false one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Literal

import pandas as pd

DISPLAY_DECIMALS = 2
COMPARE_DECIMALS = 6
DEFAULT_DISAGREEMENT_RANGE = 2.0

RankBy = Literal["mean_z", "mean_raw"]
ExportFormat = Literal["xlsx", "csv"]

SCORE_COLUMNS = ["application_id", "reviewer_id", "criterion", "value"]
SCORE_DTYPES = {
    "application_id": "int64",
    "reviewer_id": "int64",
    "criterion": "str",
    "value": "float64",
}

EXPORT_HEADERS = {
    "rank": "順位",
    "application_id": "申請番号",
    "label": "対象",
    "reviewers": "審査員数",
    "mean_raw": "平均点",
    "std_raw": "標準偏差",
    "min_raw": "最低点",
    "max_raw": "最高点",
    "mean_z": "平均zスコア",
    "disagreement": "評価の乖離",
    "tied_at_quota": "同点(要審議)",
    "proposed": "順位による選定",
    "selected": "選定",
    "departure": "順位からの変更",
    "rationale": "理由",
}
EXPORT_SHEET = "順位表"
EXPORT_MARK = "○"


@dataclass(frozen=True)
class Score:
    """One reviewer's score for one criterion of one application."""

    application_id: int
    reviewer_id: int
    criterion: str
    value: Decimal | int


@dataclass(frozen=True)
class Rubric:
    """Criteria with their weights (name → weight), and the score scale every criterion shares."""

    criteria: Mapping[str, Decimal]
    scale_min: Decimal | int
    scale_max: Decimal | int

    def __post_init__(self) -> None:
        if not self.criteria:
            raise ValueError("a rubric needs at least one criterion")
        for name, weight in self.criteria.items():
            if not weight > 0:
                raise ValueError(f"criterion {name!r}: the weight must be positive, not {weight}")
        if not self.scale_min < self.scale_max:
            raise ValueError(
                f"the scale minimum {self.scale_min} must be below the maximum {self.scale_max}"
            )


@dataclass(frozen=True, eq=False)
class Ranking:
    """A ranked table (see ``ranking``) and the quota it was cut at."""

    table: pd.DataFrame
    quota: int
    by: RankBy

    @property
    def tied_at_quota(self) -> list[int]:
        """Applications tied across the quota boundary: the committee chooses among them."""
        return [int(i) for i in self.table.loc[self.table["tied_at_quota"], "application_id"]]

    @property
    def places_left(self) -> int:
        """Places the ranking left open, to fill from ``tied_at_quota`` or leave empty."""
        return self.quota - int(self.table["selected"].sum())


def _describe(position: int, score: Score) -> str:
    return (
        f"score {position} (application {score.application_id}, reviewer {score.reviewer_id}, "
        f"criterion {score.criterion!r})"
    )


def _check_score(score: Score, position: int, rubric: Rubric) -> None:
    if score.criterion not in rubric.criteria:
        known = ", ".join(repr(name) for name in sorted(rubric.criteria))
        raise ValueError(f"{_describe(position, score)}: unknown criterion; the rubric has {known}")
    value = score.value
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise ValueError(f"{_describe(position, score)}: the value must be a Decimal or an int")
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError(f"{_describe(position, score)}: the value {value} is not a number")
    if not rubric.scale_min <= value <= rubric.scale_max:
        raise ValueError(
            f"{_describe(position, score)}: the value {value} is outside the scale "
            f"{rubric.scale_min}–{rubric.scale_max}"
        )


def scores_frame(scores: Iterable[Score], rubric: Rubric) -> pd.DataFrame:
    """One row per score: application_id, reviewer_id, criterion, value, checked by the rubric.

    Raises ValueError naming the score (its 1-based position, application, reviewer and
    criterion) for an unknown criterion, a value outside [scale_min, scale_max], or a second
    score for the same (application, reviewer, criterion).
    """
    first_seen: dict[tuple[int, int, str], int] = {}
    rows = []
    for position, score in enumerate(scores, start=1):
        _check_score(score, position, rubric)
        key = (score.application_id, score.reviewer_id, score.criterion)
        if key in first_seen:
            raise ValueError(f"{_describe(position, score)} duplicates score {first_seen[key]}")
        first_seen[key] = position
        rows.append((*key, float(score.value)))
    return pd.DataFrame(rows, columns=SCORE_COLUMNS).astype(SCORE_DTYPES)


def _require_complete(wide: pd.DataFrame) -> None:
    missing = wide.isna().stack()
    missing = missing[missing]
    if missing.empty:
        return
    gaps = "; ".join(
        f"application {application}, reviewer {reviewer}: no score for {criterion!r}"
        for application, reviewer, criterion in missing.index
    )
    raise ValueError(f"incomplete scoring, a total needs every criterion: {gaps}")


def weighted_totals(frame: pd.DataFrame, rubric: Rubric) -> pd.DataFrame:
    """Each reviewer's weighted total per application: Σ wᵢ·sᵢ / Σ wᵢ over the rubric's criteria.

    Columns: application_id, reviewer_id, total (not rounded). Raises ValueError, naming the
    application, reviewer and criterion, when a reviewer scored only some criteria of an
    application: a partial total is never computed.
    """
    weights = pd.Series({name: float(weight) for name, weight in rubric.criteria.items()})
    wide = frame.pivot(
        index=["application_id", "reviewer_id"], columns="criterion", values="value"
    ).reindex(columns=weights.index)
    _require_complete(wide)
    total = wide.mul(weights).sum(axis=1) / float(sum(rubric.criteria.values()))
    return total.rename("total").reset_index()


def normalised(totals: pd.DataFrame) -> pd.DataFrame:
    """The totals with z added: each total standardised within its reviewer, z = (total − μᵣ) / σᵣ.

    μᵣ and σᵣ are the mean and population standard deviation (ddof=0) of reviewer r's totals over
    the applications r scored. Where σᵣ rounds to 0 at 6 dp (r scored one application, or gave
    every application the same total), z is 0, never NaN or ±inf. Such a reviewer then pulls an
    application's mean z towards 0, which is why the raw total stays beside it.
    """
    by_reviewer = totals.groupby("reviewer_id")["total"]
    mean = by_reviewer.transform("mean")
    spread = by_reviewer.transform("std", ddof=0)
    z = (totals["total"] - mean) / spread.where(spread.round(COMPARE_DECIMALS) > 0)
    return totals.assign(z=z.fillna(0.0))


def _population_std(values: pd.Series) -> float:
    return float(values.std(ddof=0))


def application_summary(
    totals_with_z: pd.DataFrame, *, disagreement_range: float = DEFAULT_DISAGREEMENT_RANGE
) -> pd.DataFrame:
    """One row per application, summarising its reviewers' weighted totals.

    Columns: application_id; reviewers (how many); mean_raw; std_raw (population standard
    deviation, ddof=0); min_raw; max_raw; range_raw = max_raw − min_raw; mean_z (mean of the
    reviewers' z); disagreement, True when range_raw ≥ ``disagreement_range`` (2.0 scale points by
    default, compared at 6 dp). The flag uses the range, not the standard deviation, so a
    committee can check it at a glance: two reviewers are at least that far apart.
    """
    summary = totals_with_z.groupby("application_id").agg(
        reviewers=("reviewer_id", "nunique"),
        mean_raw=("total", "mean"),
        std_raw=("total", _population_std),
        min_raw=("total", "min"),
        max_raw=("total", "max"),
        mean_z=("z", "mean"),
    )
    summary["range_raw"] = summary["max_raw"] - summary["min_raw"]
    threshold = round(disagreement_range, COMPARE_DECIMALS)
    summary["disagreement"] = summary["range_raw"].round(COMPARE_DECIMALS) >= threshold
    return summary.reset_index()


def criterion_agreement(frame: pd.DataFrame) -> pd.DataFrame:
    """How closely reviewers agree on each criterion when they score the same application.

    Take every pair of reviewers who both scored the same application on the criterion, pooled
    over applications (an application with 4 reviewers gives 6 pairs, one with 2 gives 1). With
    dᵢ = |one reviewer's score − the other's| for pair i of n:

    * pairs = n
    * mean_abs_diff = Σ dᵢ / n: on average, two reviewers differ by this many scale points
    * max_abs_diff = max dᵢ
    * exact_share = (pairs with dᵢ = 0) / n: the share of pairs that gave the same score

    One row per criterion in the frame, sorted by name. A criterion with no application scored
    by two reviewers has pairs = 0 and NaN for the rest.
    """
    columns = ["application_id", "criterion", "reviewer_id", "value"]
    pairs = frame[columns].merge(
        frame[columns], on=["application_id", "criterion"], suffixes=("_a", "_b")
    )
    pairs = pairs[pairs["reviewer_id_a"] < pairs["reviewer_id_b"]]
    diff = (pairs["value_a"] - pairs["value_b"]).abs().round(COMPARE_DECIMALS)
    agreement = (
        pairs.assign(diff=diff, same=diff == 0)
        .groupby("criterion")
        .agg(
            pairs=("diff", "size"),
            mean_abs_diff=("diff", "mean"),
            max_abs_diff=("diff", "max"),
            exact_share=("same", "mean"),
        )
        .reindex(sorted(frame["criterion"].unique()))
    )
    agreement["pairs"] = agreement["pairs"].fillna(0).astype("int64")
    return agreement.rename_axis("criterion").reset_index()


def ranking(summary: pd.DataFrame, quota: int, *, by: RankBy = "mean_z") -> Ranking:
    """Rank the applications best first, and select those the quota clearly covers.

    rank is a competition ranking on ``by`` (higher is better), compared at 6 dp. Equal values
    share the best rank of their group and the next rank skips: 1, 2, 2, 4. A tie group starting
    at rank r with k members fills places r … r+k−1, and is

    * selected when r+k−1 ≤ quota: the whole group fits;
    * tied_at_quota when r ≤ quota < r+k−1: the group straddles the boundary. None of it is
      selected automatically; the committee chooses, and gives a reason for its choice (see
      ``screening.committee.departures_from_ranking``);
    * neither, otherwise.

    The table keeps the summary's columns, with rank first. Rows are in rank order, then by
    application_id.
    """
    if by not in ("mean_z", "mean_raw"):
        raise ValueError(f"rank by 'mean_z' or 'mean_raw', not {by!r}")
    if isinstance(quota, bool) or not isinstance(quota, int) or quota < 0:
        raise ValueError(f"the quota must be a whole number of places, 0 or more, not {quota!r}")
    unranked = summary.loc[summary[by].isna(), "application_id"].tolist()
    if unranked:
        raise ValueError(f"no {by} for applications {unranked}: they cannot be ranked")
    key = summary[by].round(COMPARE_DECIMALS)
    table = summary.assign(_key=key).sort_values(
        ["_key", "application_id"], ascending=[False, True]
    )
    rank = table["_key"].rank(method="min", ascending=False).astype("int64")
    last_place = rank + rank.groupby(rank).transform("size") - 1
    table = table.drop(columns="_key").assign(
        selected=last_place <= quota, tied_at_quota=(rank <= quota) & (last_place > quota)
    )
    table.insert(0, "rank", rank)
    return Ranking(table=table.reset_index(drop=True), quota=quota, by=by)


def _export_frame(table: pd.DataFrame) -> pd.DataFrame:
    columns = [column for column in EXPORT_HEADERS if column in table.columns]
    sheet = table[columns].copy()
    for column in columns:
        if sheet[column].dtype == bool:
            sheet[column] = sheet[column].map({True: EXPORT_MARK, False: ""})
        elif sheet[column].dtype.kind == "f":
            sheet[column] = sheet[column].round(DISPLAY_DECIMALS)
    return sheet.rename(columns=EXPORT_HEADERS)


def ranked_table_export(
    table: pd.DataFrame,
    path_or_buffer: str | Path | IO[bytes],
    *,
    format: ExportFormat = "xlsx",
) -> None:
    """Write a ranked or decided table with Japanese headers (``EXPORT_HEADERS``).

    The columns are those of ``EXPORT_HEADERS`` that the table has, in that order. Scores are
    rounded to 2 dp, and flags are written as ○ or left blank. xlsx is written through openpyxl
    on a sheet named 順位表. CSV is written as UTF-8 with a BOM (utf-8-sig), so that Excel reads
    the Japanese correctly.
    """
    sheet = _export_frame(table)
    if format == "xlsx":
        sheet.to_excel(path_or_buffer, index=False, sheet_name=EXPORT_SHEET, engine="openpyxl")
    elif format == "csv":
        sheet.to_csv(path_or_buffer, index=False, encoding="utf-8-sig")
    else:
        raise ValueError(f"export as 'xlsx' or 'csv', not {format!r}")
