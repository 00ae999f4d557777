"""The productivity rule, by hand-computed cases: which way is better, the threshold itself,
a baseline of 0, and how many measures must improve."""

from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

from outcomes.rule import (
    HIGHER,
    LOWER,
    Change,
    ProductivityRule,
    gain,
    improved_count,
    improvement_percent,
    is_improved,
    meets_rule,
)

FIVE_PERCENT = ProductivityRule(min_improved_measures=1, min_improvement_percent=Decimal("5"))


def change(better: str, baseline: str | None, value: str) -> Change:
    return Change(better, None if baseline is None else Decimal(baseline), Decimal(value))


# (better, baseline, value, improved under 5%)
CASES = [
    # higher is better: 5% of 100 is 5
    (HIGHER, "100", "105", True),  # exactly the threshold counts
    (HIGHER, "100", "104.99", False),  # a hair below it does not
    (HIGHER, "100", "150", True),
    (HIGHER, "100", "95", False),  # worse
    (HIGHER, "100", "100", False),  # unchanged
    # lower is better: 5% of 20 hours is 1 hour
    (LOWER, "20.0", "19.0", True),
    (LOWER, "20.0", "19.1", False),
    (LOWER, "20.0", "21.0", False),  # more overtime is worse
    (LOWER, "2.40", "2.28", True),  # defect rate: 0.12 is exactly 5% of 2.40
    (LOWER, "2.40", "2.29", False),
    # a baseline of 0: any move the better way counts, none is possible downwards
    (HIGHER, "0", "1", True),
    (HIGHER, "0", "0", False),
    (LOWER, "0", "0", False),
    # no baseline (the measure was added to the round later): cannot count
    (HIGHER, None, "10", False),
]


@pytest.mark.parametrize(("better", "baseline", "value", "improved"), CASES)
def test_is_improved_cases(better, baseline, value, improved):
    assert is_improved(FIVE_PERCENT, change(better, baseline, value)) is improved


FLOAT_TRAP = (HIGHER, "2.2", "2.31", True)


def test_is_improved_exact_decimal_threshold_where_floats_would_miss():
    # 2.31 - 2.2 in binary floats is 0.10999…, below 5% of 2.2 (0.11); in Decimal it is 0.11
    assert is_improved(FIVE_PERCENT, change(*FLOAT_TRAP[:3]))


def test_is_improved_zero_percent_counts_any_strict_improvement():
    rule = ProductivityRule(min_improved_measures=1, min_improvement_percent=Decimal("0"))
    assert is_improved(rule, change(HIGHER, "100", "100.01"))
    assert not is_improved(rule, change(HIGHER, "100", "100"))
    assert is_improved(rule, change(LOWER, "3", "2"))


def test_gain_and_percent_point_the_better_way():
    overtime = change(LOWER, "24.5", "18.0")
    assert gain(overtime) == Decimal("6.5")
    assert improvement_percent(overtime) == Decimal("26.5")  # 6.5 / 24.5 = 26.53…%
    wage = change(HIGHER, "312000", "318000")
    assert improvement_percent(wage) == Decimal("1.9")  # 6000 / 312000 = 1.92…%
    assert gain(change(HIGHER, "10", "8")) == Decimal("-2")
    assert improvement_percent(change(HIGHER, "0", "4")) is None


def test_meets_rule_needs_n_improved_measures():
    changes = [
        change(LOWER, "24.5", "18.0"),  # improved 26.5%
        change(HIGHER, "480000000", "500000000"),  # 4.2%: below 5%
        change(HIGHER, "3", "9"),  # improved 200%
        change(HIGHER, "312000", "300000"),  # worse
    ]
    assert improved_count(FIVE_PERCENT, changes) == 2
    two = ProductivityRule(min_improved_measures=2, min_improvement_percent=Decimal("5"))
    three = ProductivityRule(min_improved_measures=3, min_improvement_percent=Decimal("5"))
    assert meets_rule(two, changes)
    assert not meets_rule(three, changes)
    four_percent = ProductivityRule(min_improved_measures=3, min_improvement_percent=Decimal("4"))
    assert meets_rule(four_percent, changes)  # sales' 4.2% now counts too


def test_meets_rule_no_measures_never_meets():
    assert not meets_rule(FIVE_PERCENT, [])


def test_from_setting_reads_text_and_numbers():
    rule = ProductivityRule.from_setting(
        {"min_improved_measures": "2", "min_improvement_percent": "7.5"}
    )
    assert rule == ProductivityRule(2, Decimal("7.5"))


@pytest.mark.parametrize(
    "setting",
    [
        {"min_improved_measures": 0, "min_improvement_percent": "5"},
        {"min_improved_measures": 1, "min_improvement_percent": "-1"},
        {"min_improved_measures": 1, "min_improvement_percent": "five"},
        {"min_improved_measures": "one", "min_improvement_percent": "5"},
    ],
)
def test_from_setting_nonsense_refused(setting):
    with pytest.raises(ImproperlyConfigured):
        ProductivityRule.from_setting(setting)


def test_describe_names_the_numbers_in_the_reader_language():
    rule = ProductivityRule(min_improved_measures=2, min_improvement_percent=Decimal("7.50"))
    with translation.override("en"):
        text = rule.describe()
    assert "at least 2 outcome measures" in text
    assert "7.5%" in text
    with translation.override("en"):
        assert "at least 1 outcome measure " in FIVE_PERCENT.describe()
