"""The subsidy arithmetic as a table."""

import datetime as dt
from fractions import Fraction

import pytest

from applications.calculation import (
    EXCLUDED_BEFORE_DECISION,
    EXCLUDED_COST_TYPE,
    EXCLUDED_NOT_COMPLETED,
    CostLine,
    SubsidyRule,
    subsidy_compute,
)

HALF = SubsidyRule(
    Fraction(1, 2),
    cap_per_trainee=100_000,
    cap_per_company=500_000,
    rounding_unit=1000,
    eligible_cost_types=frozenset({"tuition", "exam_fee"}),
)


def lines(*amounts_by_trainee):
    return [CostLine(trainee, "tuition", amount) for trainee, amount in amounts_by_trainee]


@pytest.mark.parametrize(
    ("rule", "cost_lines", "expected"),
    [
        # rate only: 1/2 of 150,000
        (HALF, lines(("a", 150_000)), 75_000),
        # rounded down to ¥1,000, never up
        (HALF, lines(("a", 151_998)), 75_000),
        (HALF, lines(("a", 1_999)), 0),
        # per-trainee cap: 1/2 of 300,000 = 150,000 -> 100,000
        (HALF, lines(("a", 300_000)), 100_000),
        # the cap applies per trainee, not per line: two lines of one trainee share it
        (HALF, lines(("a", 150_000), ("a", 150_000)), 100_000),
        # two trainees each under the cap
        (HALF, lines(("a", 150_000), ("b", 150_000)), 150_000),
        # per-company cap: 7 trainees at the trainee cap = 700,000 -> 500,000
        (HALF, lines(*[(f"t{i}", 200_000) for i in range(7)]), 500_000),
        # exactly at the caps
        (HALF, lines(("a", 200_000)), 100_000),
        # zero and nothing
        (HALF, lines(("a", 0)), 0),
        (HALF, [], 0),
        # odd yen: 1/2 of 1,001 = 500.5 -> 500 -> rounds down to 0
        (HALF, lines(("a", 1_001)), 0),
        # 2/3 rate is exact with fractions: 2/3 of 300,000 = 200,000 -> capped at 150,000
        (
            SubsidyRule(Fraction(2, 3), 150_000, 1_000_000, 1000, frozenset({"tuition"})),
            lines(("a", 300_000)),
            150_000,
        ),
        # 2/3 of 100,000 = 66,666.67 -> 66,666 -> 66,000
        (
            SubsidyRule(Fraction(2, 3), 150_000, 1_000_000, 1000, frozenset({"tuition"})),
            lines(("a", 100_000)),
            66_000,
        ),
        # rounding unit of ¥1 keeps yen
        (
            SubsidyRule(Fraction(1, 2), 10**9, 10**9, 1, frozenset({"tuition"})),
            lines(("a", 12_345)),
            6_172,
        ),
    ],
)
def test_subsidy_compute_table(rule, cost_lines, expected):
    assert subsidy_compute(cost_lines, rule).amount == expected


def test_subsidy_compute_ineligible_cost_type_excluded_with_reason():
    result = subsidy_compute(
        [CostLine("a", "tuition", 100_000), CostLine("a", "travel", 80_000)], HALF
    )
    assert result.amount == 50_000
    assert result.eligible_cost == 100_000
    assert [reason for _, reason in result.excluded] == [EXCLUDED_COST_TYPE]


def test_subsidy_compute_costs_before_decision_excluded():
    decided = dt.date(2026, 6, 1)
    result = subsidy_compute(
        [
            CostLine("a", "tuition", 100_000, dt.date(2026, 5, 31)),  # the day before
            CostLine("a", "tuition", 60_000, dt.date(2026, 6, 1)),  # the day itself counts
            CostLine("b", "exam_fee", 40_000, None),  # undated: cannot be shown eligible
        ],
        HALF,
        not_before=decided,
    )
    assert result.eligible_cost == 60_000
    assert result.amount == 30_000
    assert sorted(reason for _, reason in result.excluded) == [
        EXCLUDED_BEFORE_DECISION,
        EXCLUDED_BEFORE_DECISION,
    ]


def test_subsidy_compute_uncompleted_course_excluded():
    result = subsidy_compute([CostLine("a", "tuition", 100_000, completed=False)], HALF)
    assert result.amount == 0
    assert result.excluded[0][1] == EXCLUDED_NOT_COMPLETED


def test_subsidy_compute_breakdown_shows_each_cap():
    result = subsidy_compute(lines(*[(f"t{i}", 300_000) for i in range(6)]), HALF)
    assert [share.subsidy_before_cap for share in result.trainees] == [150_000] * 6
    assert [share.subsidy for share in result.trainees] == [100_000] * 6
    assert result.total_before_company_cap == 600_000
    assert result.total_after_company_cap == 500_000


def test_subsidy_compute_negative_amount_refused():
    with pytest.raises(ValueError):
        subsidy_compute([CostLine("a", "tuition", -1)], HALF)


@pytest.mark.parametrize("rate", [Fraction(-1, 2), Fraction(3, 2)])
def test_subsidy_rule_rate_outside_zero_to_one_refused(rate):
    with pytest.raises(ValueError):
        SubsidyRule(rate, 1, 1, 1000, frozenset())
