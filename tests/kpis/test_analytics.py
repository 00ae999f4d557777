"""KPI arithmetic on hand-built frames, the expected values worked out by hand."""

import math

import pandas as pd
import pytest

from kpis import analytics


def _pairs(rows):
    return pd.DataFrame(rows, columns=["entity", "fiscal_year"])


def test_first_year_counts_counts_each_year():
    counts = analytics.first_year_counts([2024, 2023, 2024, 2025, 2024])
    assert counts.to_dict() == {2023: 1, 2024: 3, 2025: 1}


def test_distinct_by_year_entity_again_counts_that_year_but_not_as_new():
    pairs = _pairs([(1, 2023), (2, 2023), (1, 2024), (3, 2025), (3, 2025)])
    frame = analytics.distinct_by_year(pairs)
    assert frame["count"].to_dict() == {2023: 2, 2024: 1, 2025: 1}
    assert frame["new"].to_dict() == {2023: 2, 2024: 0, 2025: 1}


def test_year_table_cumulative_includes_years_before_the_table():
    counts = pd.Series({2022: 4, 2024: 1, 2025: 2})
    table = analytics.year_table(counts, [2023, 2024, 2025, 2026])
    assert table.to_dict("list") == {
        "fiscal_year": [2023, 2024, 2025, 2026],
        "count": [0, 1, 2, 0],
        "cumulative": [4, 5, 7, 7],
    }


def test_year_table_cumulative_follows_new_not_count():
    pairs = _pairs([(1, 2023), (2, 2023), (1, 2024), (3, 2025)])
    frame = analytics.distinct_by_year(pairs)
    table = analytics.year_table(frame["count"], [2023, 2024, 2025], new=frame["new"])
    assert table["count"].tolist() == [2, 1, 1]
    assert table["cumulative"].tolist() == [2, 2, 3]


def test_in_period_counts_both_ends():
    counts = pd.Series({2025: 5, 2026: 3, 2027: 4, 2028: 9})
    assert analytics.in_period(counts, (2026, 2027)) == 7


def test_distinct_in_period_counts_a_company_twice_commended_once():
    pairs = _pairs([(1, 2026), (1, 2027), (2, 2027), (3, 2025)])
    assert analytics.distinct_in_period(pairs, (2026, 2027)) == 2


def _rounds(**overrides):
    row = {
        "round_id": 1,
        "name": "R",
        "fiscal_year": 2025,
        "budget": 10_000_000,
        "submitted": 7,
        "withdrawn": 1,
        "lapsed": 1,
        "decided": 5,
        "granted": 4,
        "rejected": 1,
        "revoked": 1,
        "paid": 2,
        "decided_amount": 1_000_000,
        "paid_amount": 680_000,
        "results_late": 1,
        "results_missing": 1,
    }
    row.update(overrides)
    return pd.DataFrame([row])


def test_round_funnel_rates_and_shares():
    row = analytics.round_funnel(_rounds()).iloc[0]
    assert row["approval_rate"] == pytest.approx(0.8)
    assert row["decided_share"] == pytest.approx(0.1)
    assert row["paid_share"] == pytest.approx(0.068)
    assert row["breaches"] == 3


def test_round_funnel_nothing_decided_has_no_approval_rate():
    row = analytics.round_funnel(_rounds(decided=0, granted=0, rejected=0)).iloc[0]
    assert math.isnan(row["approval_rate"])


def test_funnel_totals_sum_rounds_and_recompute_rates():
    rounds = analytics.round_funnel(
        pd.concat([_rounds(), _rounds(round_id=2, decided=5, granted=1, budget=0)])
    )
    totals = analytics.funnel_totals(rounds)
    assert totals["decided"] == 10
    assert totals["granted"] == 5
    assert totals["approval_rate"] == pytest.approx(0.5)
    assert totals["budget"] == 10_000_000
    assert totals["paid_share"] == pytest.approx(1_360_000 / 10_000_000)


def test_stage_percentiles_by_round_and_overall():
    nan = float("nan")
    durations = pd.DataFrame(
        {
            "round_id": [1, 1, 1, 1, 1, 2, 2],
            "a": [2.0, 2.0, 4.0, 6.0, 10.0, 20.0, -1.0],  # -1: out of order, dropped
            "b": [1.0, nan, nan, nan, nan, nan, nan],
        }
    )
    table = analytics.stage_percentiles(durations, ["a", "b"]).set_index(["round_id", "stage"])
    # round 1, a: 2 2 4 6 10 → median 4; 90th: rank 0.9·4 = 3.6 → 6 + 0.6·(10 − 6) = 8.4
    assert table.loc[(1, "a"), "count"] == 5
    assert table.loc[(1, "a"), "p50"] == pytest.approx(4.0)
    assert table.loc[(1, "a"), "p90"] == pytest.approx(8.4)
    # round 2, a: only 20 (the negative duration is dropped)
    assert table.loc[(2, "a"), "count"] == 1
    assert table.loc[(2, "a"), "p50"] == pytest.approx(20.0)
    # all rounds (0), a: 2 2 4 6 10 20 → median 5; 90th: rank 4.5 → 10 + 0.5·10 = 15
    assert table.loc[(0, "a"), "count"] == 6
    assert table.loc[(0, "a"), "p50"] == pytest.approx(5.0)
    assert table.loc[(0, "a"), "p90"] == pytest.approx(15.0)
    # round 2 never reached stage b
    assert table.loc[(2, "b"), "count"] == 0
    assert math.isnan(table.loc[(2, "b"), "p50"])
    assert table.loc[(1, "b"), "p90"] == pytest.approx(1.0)


def test_stage_percentiles_no_applications_gives_no_rows():
    empty = pd.DataFrame({"round_id": pd.Series(dtype="int64"), "a": pd.Series(dtype="float32")})
    assert analytics.stage_percentiles(empty, ["a"]).empty
