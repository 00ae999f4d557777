"""Committee screening arithmetic, checked against numbers worked out by hand.

The worked example: rubric impact (weight 3) and feasibility (weight 1), scale 1–5, so a
weighted total is (3·impact + feasibility) / 4. Reviewer 30 gives every application the same
total, and reviewer 40 scores a single application.

    (application, reviewer): (impact, feasibility) → total
    (1, 10): (4, 4) → 16/4 = 4.0      (1, 20): (5, 3) → 18/4 = 4.5      (1, 30): (4, 2) → 3.5
    (2, 10): (5, 1) → 16/4 = 4.0      (2, 20): (3, 5) → 14/4 = 3.5      (2, 30): (3, 5) → 3.5
    (3, 10): (2, 2) →  8/4 = 2.0      (3, 20): (2, 4) → 10/4 = 2.5
    (4, 10): (1, 5) →  8/4 = 2.0      (4, 20): (1, 3) →  6/4 = 1.5      (4, 30): (4, 2) → 3.5
                                                                          (4, 40): (5, 5) → 5.0
"""

import io
from decimal import Decimal

import pandas as pd
import pytest

from screening.analytics import (
    Rubric,
    Score,
    application_summary,
    criterion_agreement,
    normalised,
    ranked_table_export,
    ranking,
    scores_frame,
    weighted_totals,
)

RUBRIC = Rubric(
    criteria={"impact": Decimal(3), "feasibility": Decimal(1)}, scale_min=1, scale_max=5
)

EXAMPLE = {
    (1, 10): (4, 4),
    (2, 10): (5, 1),
    (3, 10): (2, 2),
    (4, 10): (1, 5),
    (1, 20): (5, 3),
    (2, 20): (3, 5),
    (3, 20): (2, 4),
    (4, 20): (1, 3),
    (1, 30): (4, 2),
    (2, 30): (3, 5),
    (4, 30): (4, 2),
    (4, 40): (5, 5),
}


def example_scores() -> list[Score]:
    return [
        score
        for (application, reviewer), (impact, feasibility) in EXAMPLE.items()
        for score in (
            Score(application, reviewer, "impact", impact),
            Score(application, reviewer, "feasibility", feasibility),
        )
    ]


def example_totals() -> pd.DataFrame:
    return normalised(weighted_totals(scores_frame(example_scores(), RUBRIC), RUBRIC))


def by_key(frame: pd.DataFrame, key: list[str], column: str) -> dict:
    return {
        (tuple(row[key]) if len(key) > 1 else row[key[0]]): row[column]
        for _, row in frame.iterrows()
    }


# -- validation -------------------------------------------------------------------------------


def test_scores_frame_valid_scores_one_row_per_score():
    frame = scores_frame(example_scores(), RUBRIC)

    assert len(frame) == 24
    row = frame[(frame.application_id == 2) & (frame.reviewer_id == 10)]
    assert dict(zip(row.criterion, row.value, strict=True)) == {"impact": 5.0, "feasibility": 1.0}


def test_scores_frame_duplicate_score_names_both_rows():
    scores = [
        Score(1, 10, "impact", 4),
        Score(1, 10, "feasibility", 4),
        Score(1, 10, "impact", 5),
    ]

    with pytest.raises(
        ValueError,
        match=r"score 3 \(application 1, reviewer 10, criterion 'impact'\) duplicates score 1",
    ):
        scores_frame(scores, RUBRIC)


@pytest.mark.parametrize("value", [0, 6, Decimal("5.5"), Decimal("0.99")])
def test_scores_frame_value_outside_scale_names_row(value):
    scores = [Score(1, 10, "impact", 3), Score(2, 20, "feasibility", value)]

    with pytest.raises(
        ValueError,
        match=r"score 2 \(application 2, reviewer 20, criterion 'feasibility'\): "
        r"the value .* is outside the scale 1–5",
    ):
        scores_frame(scores, RUBRIC)


@pytest.mark.parametrize("value", [1, 5, Decimal("4.5")])
def test_scores_frame_value_on_or_inside_scale_accepted(value):
    frame = scores_frame([Score(1, 10, "impact", value)], RUBRIC)

    assert frame.value.tolist() == [float(value)]


def test_scores_frame_unknown_criterion_names_row_and_known_criteria():
    with pytest.raises(
        ValueError,
        match=r"score 1 \(application 1, reviewer 10, criterion 'impcat'\): unknown criterion; "
        r"the rubric has 'feasibility', 'impact'",
    ):
        scores_frame([Score(1, 10, "impcat", 3)], RUBRIC)


def test_scores_frame_non_number_value_refused():
    with pytest.raises(ValueError, match=r"score 1 .* is not a number"):
        scores_frame([Score(1, 10, "impact", Decimal("NaN"))], RUBRIC)


@pytest.mark.parametrize(
    ("criteria", "scale", "message"),
    [
        ({}, (1, 5), "at least one criterion"),
        ({"impact": Decimal(0)}, (1, 5), "'impact': the weight must be positive"),
        ({"impact": Decimal(1)}, (5, 5), "minimum 5 must be below the maximum 5"),
    ],
)
def test_rubric_invalid_definition_refused(criteria, scale, message):
    with pytest.raises(ValueError, match=message):
        Rubric(criteria=criteria, scale_min=scale[0], scale_max=scale[1])


# -- weighted totals --------------------------------------------------------------------------


def test_weighted_totals_example_is_weighted_mean_on_the_scale():
    totals = weighted_totals(scores_frame(example_scores(), RUBRIC), RUBRIC)

    # the table in the module docstring
    assert by_key(totals, ["application_id", "reviewer_id"], "total") == {
        (1, 10): 4.0,
        (2, 10): 4.0,
        (3, 10): 2.0,
        (4, 10): 2.0,
        (1, 20): 4.5,
        (2, 20): 3.5,
        (3, 20): 2.5,
        (4, 20): 1.5,
        (1, 30): 3.5,
        (2, 30): 3.5,
        (4, 30): 3.5,
        (4, 40): 5.0,
    }


def test_weighted_totals_decimal_weights_divide_by_their_sum():
    rubric = Rubric(
        criteria={"a": Decimal("0.7"), "b": Decimal("0.2"), "c": Decimal("0.6")},
        scale_min=1,
        scale_max=5,
    )
    scores = [Score(1, 10, "a", 5), Score(1, 10, "b", 2), Score(1, 10, "c", 1)]

    totals = weighted_totals(scores_frame(scores, rubric), rubric)

    # (0.7·5 + 0.2·2 + 0.6·1) / (0.7 + 0.2 + 0.6) = (3.5 + 0.4 + 0.6) / 1.5 = 4.5 / 1.5 = 3.0
    assert totals.total.tolist() == pytest.approx([3.0])


def test_weighted_totals_missing_criterion_names_application_reviewer_and_criterion():
    scores = [*example_scores(), Score(5, 10, "impact", 3)]

    with pytest.raises(ValueError, match="application 5, reviewer 10: no score for 'feasibility'"):
        weighted_totals(scores_frame(scores, RUBRIC), RUBRIC)


# -- normalisation ----------------------------------------------------------------------------


def test_normalised_example_z_per_reviewer_population_std():
    totals = example_totals()

    # reviewer 10: totals 4, 4, 2, 2; μ = 3; σ² = (1 + 1 + 1 + 1)/4 = 1 → z = ±1
    # reviewer 20: totals 4.5, 3.5, 2.5, 1.5; μ = 3; σ² = (2.25 + .25 + .25 + 2.25)/4 = 1.25,
    #   σ = 1.118034 → z = ±1.5/1.118034 = ±1.341641 and ±0.5/1.118034 = ±0.447214
    # reviewer 30: 3.5 everywhere, σ = 0 → z = 0;  reviewer 40: one application → z = 0
    z = by_key(totals, ["application_id", "reviewer_id"], "z")
    assert z == pytest.approx(
        {
            (1, 10): 1.0,
            (2, 10): 1.0,
            (3, 10): -1.0,
            (4, 10): -1.0,
            (1, 20): 1.341641,
            (2, 20): 0.447214,
            (3, 20): -0.447214,
            (4, 20): -1.341641,
            (1, 30): 0.0,
            (2, 30): 0.0,
            (4, 30): 0.0,
            (4, 40): 0.0,
        },
        abs=1e-6,
    )


def test_normalised_keeps_raw_total_beside_z():
    totals = example_totals()

    assert list(totals.columns) == ["application_id", "reviewer_id", "total", "z"]
    assert by_key(totals, ["application_id", "reviewer_id"], "total")[(4, 40)] == 5.0


def test_normalised_equal_totals_differing_by_float_noise_give_zero_not_huge_z():
    # 0.1 + 0.2 = 0.30000000000000004: σ ≈ 4.5e-17, which unrounded would give z ≈ ±1.41
    totals = pd.DataFrame(
        {"application_id": [1, 2, 3], "reviewer_id": 7, "total": [0.1 + 0.2, 0.3, 0.3]}
    )

    assert normalised(totals).z.tolist() == [0.0, 0.0, 0.0]


# -- per-application summary ------------------------------------------------------------------


def test_application_summary_example_counts_means_spreads():
    summary = application_summary(example_totals()).set_index("application_id")

    # 1: 4.0, 4.5, 3.5 → mean 4.0; σ² = (0 + .25 + .25)/3 = 0.166667, σ = 0.408248
    #    z 1, 1.341641, 0 → mean 2.341641/3 = 0.780547
    # 2: 4.0, 3.5, 3.5 → mean 11/3 = 3.666667; σ² = (.111111 + .027778 + .027778)/3
    #    = 0.055556, σ = 0.235702; z 1, 0.447214, 0 → mean 0.482405
    # 3: 2.0, 2.5 → mean 2.25, σ = 0.25; z −1, −0.447214 → mean −0.723607
    # 4: 2.0, 1.5, 3.5, 5.0 → mean 3.0; σ² = (1 + 2.25 + .25 + 4)/4 = 1.875, σ = 1.369306
    #    z −1, −1.341641, 0, 0 → mean −0.585410
    assert summary.reviewers.to_dict() == {1: 3, 2: 3, 3: 2, 4: 4}
    assert summary.mean_raw.to_dict() == pytest.approx(
        {1: 4.0, 2: 3.666667, 3: 2.25, 4: 3.0}, abs=1e-6
    )
    assert summary.std_raw.to_dict() == pytest.approx(
        {1: 0.408248, 2: 0.235702, 3: 0.25, 4: 1.369306}, abs=1e-6
    )
    assert summary.min_raw.to_dict() == {1: 3.5, 2: 3.5, 3: 2.0, 4: 1.5}
    assert summary.max_raw.to_dict() == {1: 4.5, 2: 4.0, 3: 2.5, 4: 5.0}
    assert summary.range_raw.to_dict() == {1: 1.0, 2: 0.5, 3: 0.5, 4: 3.5}
    assert summary.mean_z.to_dict() == pytest.approx(
        {1: 0.780547, 2: 0.482405, 3: -0.723607, 4: -0.585410}, abs=1e-6
    )


def test_application_summary_default_threshold_flags_range_of_two_points():
    summary = application_summary(example_totals())

    # ranges 1.0, 0.5, 0.5, 3.5: only application 4 reaches 2.0
    assert by_key(summary, ["application_id"], "disagreement") == {
        1: False,
        2: False,
        3: False,
        4: True,
    }


def test_application_summary_threshold_reached_exactly_flags():
    summary = application_summary(example_totals(), disagreement_range=1.0)

    # application 1's range is exactly 1.0
    assert by_key(summary, ["application_id"], "disagreement") == {
        1: True,
        2: False,
        3: False,
        4: True,
    }


# -- agreement per criterion ------------------------------------------------------------------


def test_criterion_agreement_example_mean_pairwise_difference():
    agreement = criterion_agreement(scores_frame(example_scores(), RUBRIC)).set_index("criterion")

    # impact      1: 4,5,4 → |d| 1,0,1      2: 5,3,3 → 2,2,0      3: 2,2 → 0
    #             4: 1,1,4,5 → 0,3,4,3,4,1
    #   13 pairs, Σ = 2 + 4 + 0 + 15 = 21 → 21/13 = 1.615385; same score 4/13 = 0.307692; max 4
    # feasibility 1: 4,3,2 → 1,2,1          2: 1,5,5 → 4,4,0      3: 2,4 → 2
    #             4: 5,3,2,5 → 2,3,0,1,2,3
    #   13 pairs, Σ = 4 + 8 + 2 + 11 = 25 → 25/13 = 1.923077; same score 2/13 = 0.153846; max 4
    assert list(agreement.index) == ["feasibility", "impact"]
    assert agreement.pairs.to_dict() == {"feasibility": 13, "impact": 13}
    assert agreement.mean_abs_diff.to_dict() == pytest.approx(
        {"feasibility": 1.923077, "impact": 1.615385}, abs=1e-6
    )
    assert agreement.exact_share.to_dict() == pytest.approx(
        {"feasibility": 0.153846, "impact": 0.307692}, abs=1e-6
    )
    assert agreement.max_abs_diff.to_dict() == {"feasibility": 4.0, "impact": 4.0}


def test_criterion_agreement_single_reviewer_per_application_has_no_pairs():
    scores = [Score(1, 10, "impact", 3), Score(2, 20, "impact", 5)]

    agreement = criterion_agreement(scores_frame(scores, RUBRIC))

    assert agreement.pairs.tolist() == [0]
    assert agreement.mean_abs_diff.isna().all()


# -- ranking and quota ------------------------------------------------------------------------

# mean_z: 101 1.5 · 102 0.1+0.2 (= 0.30000000000000004) · 103 0.3 · 104 0.3 · 105 −0.2 · 106 −0.7
# mean_raw: 105 4.5 · 101 4.0 · 103 3.5 · 102 1.1·3 (= 3.3000000000000003) · 104 3.3 · 106 2.0
SUMMARY = pd.DataFrame(
    {
        "application_id": [101, 102, 103, 104, 105, 106],
        "mean_z": [1.5, 0.1 + 0.2, 0.3, 0.3, -0.2, -0.7],
        "mean_raw": [4.0, 1.1 * 3, 3.5, 3.3, 4.5, 2.0],
    }
)


def ranked_rows(table: pd.DataFrame) -> list[tuple]:
    return list(
        zip(table["rank"], table.application_id, table.selected, table.tied_at_quota, strict=True)
    )


def test_ranking_competition_ranks_treat_float_noise_as_tie():
    ranked = ranking(SUMMARY, quota=6)

    assert list(zip(ranked.table.application_id, ranked.table["rank"], strict=True)) == [
        (101, 1),
        (102, 2),
        (103, 2),
        (104, 2),
        (105, 5),
        (106, 6),
    ]


def test_ranking_by_mean_raw_orders_by_raw_mean():
    ranked = ranking(SUMMARY, quota=6, by="mean_raw")

    assert list(zip(ranked.table.application_id, ranked.table["rank"], strict=True)) == [
        (105, 1),
        (101, 2),
        (103, 3),
        (102, 4),
        (104, 4),
        (106, 6),
    ]


def test_ranking_tie_straddling_quota_is_flagged_and_not_selected():
    ranked = ranking(SUMMARY, quota=3)

    # the tie at rank 2 fills places 2–4; the quota ends at 3
    assert ranked_rows(ranked.table) == [
        (1, 101, True, False),
        (2, 102, False, True),
        (2, 103, False, True),
        (2, 104, False, True),
        (5, 105, False, False),
        (6, 106, False, False),
    ]
    assert ranked.tied_at_quota == [102, 103, 104]
    assert ranked.places_left == 2


def test_ranking_tie_fitting_within_quota_is_selected():
    ranked = ranking(SUMMARY, quota=4)

    assert ranked.table.selected.tolist() == [True, True, True, True, False, False]
    assert ranked.tied_at_quota == []
    assert ranked.places_left == 0


def test_ranking_tie_just_after_quota_is_neither_selected_nor_flagged():
    ranked = ranking(SUMMARY, quota=1)

    assert ranked.table.selected.tolist() == [True, False, False, False, False, False]
    assert ranked.tied_at_quota == []


def test_ranking_tie_at_first_place_with_quota_one_selects_nobody():
    summary = pd.DataFrame({"application_id": [1, 2, 3], "mean_z": [0.5, 0.5, -1.0]})

    ranked = ranking(summary, quota=1)

    assert ranked_rows(ranked.table) == [
        (1, 1, False, True),
        (1, 2, False, True),
        (3, 3, False, False),
    ]


def test_ranking_example_keeps_summary_columns_in_rank_order():
    ranked = ranking(application_summary(example_totals()), quota=2, by="mean_raw")

    # mean_raw 4.0, 3.666667, 3.0, 2.25 for applications 1, 2, 4, 3
    assert ranked_rows(ranked.table) == [
        (1, 1, True, False),
        (2, 2, True, False),
        (3, 4, False, False),
        (4, 3, False, False),
    ]
    assert ranked.table.reviewers.tolist() == [3, 3, 4, 2]


@pytest.mark.parametrize(
    ("quota", "by", "message"),
    [
        (-1, "mean_z", "the quota must be"),
        (2.5, "mean_z", "the quota must be"),
        (2, "total", "rank by"),
    ],
)
def test_ranking_invalid_arguments_refused(quota, by, message):
    with pytest.raises(ValueError, match=message):
        ranking(SUMMARY, quota=quota, by=by)


# -- export -----------------------------------------------------------------------------------

HEADERS = [
    "順位",
    "申請番号",
    "審査員数",
    "平均点",
    "標準偏差",
    "最低点",
    "最高点",
    "平均zスコア",
    "評価の乖離",
    "同点(要審議)",
    "順位による選定",
    "選定",
    "順位からの変更",
    "理由",
]
# the example by mean_z, quota 2: application 4 chosen over 2, which withdrew
EXPECTED_ROWS = [
    [1, 1, 3, 4.0, 0.41, 3.5, 4.5, 0.78, "", "", "○", "○", "", ""],
    [2, 2, 3, 3.67, 0.24, 3.5, 4.0, 0.48, "", "", "○", "", "○", "申請者が辞退"],
    [3, 4, 4, 3.0, 1.37, 1.5, 5.0, -0.59, "○", "", "", "○", "○", "繰り上げ"],
    [4, 3, 2, 2.25, 0.25, 2.0, 2.5, -0.72, "", "", "", "", "", ""],
]


def decided_example() -> pd.DataFrame:
    table = ranking(application_summary(example_totals()), quota=2).table
    reasons = {2: "申請者が辞退", 4: "繰り上げ"}
    return table.assign(
        proposed=table.selected,
        selected=table.application_id.isin([1, 4]),
        departure=table.application_id.isin([2, 4]),
        rationale=table.application_id.map(lambda i: reasons.get(i, "")),
    )


def test_ranked_table_export_xlsx_round_trip_japanese_headers():
    buffer = io.BytesIO()

    ranked_table_export(decided_example(), buffer, format="xlsx")

    buffer.seek(0)
    sheet = pd.read_excel(buffer, sheet_name="順位表", na_filter=False)
    assert list(sheet.columns) == HEADERS
    assert sheet.values.tolist() == EXPECTED_ROWS


def test_ranked_table_export_csv_has_bom_and_round_trips(tmp_path):
    path = tmp_path / "ranking.csv"

    ranked_table_export(decided_example(), path, format="csv")

    assert path.read_bytes().startswith(b"\xef\xbb\xbf" + "順位,申請番号".encode())
    sheet = pd.read_csv(path, encoding="utf-8-sig", na_filter=False)
    assert list(sheet.columns) == HEADERS
    assert sheet.values.tolist() == EXPECTED_ROWS


def test_ranked_table_export_unknown_format_refused():
    with pytest.raises(ValueError, match="export as 'xlsx' or 'csv', not 'pdf'"):
        ranked_table_export(decided_example(), io.BytesIO(), format="pdf")
