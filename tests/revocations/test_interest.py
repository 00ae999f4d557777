"""加算金 by hand: 10.95% a year on a 365-day year is exactly ¥0.0003 per yen per day."""

import datetime as dt
from decimal import Decimal

import pytest

from revocations.interest import Receipt, interest_for, repayment_position

D = dt.date
RATE = {"percent": Decimal("10.95"), "days_in_year": 365}
RECEIVED = D(2026, 4, 1)


def position(principal, receipts, on, received_on=RECEIVED, **terms):
    return repayment_position(
        principal=principal,
        received_on=received_on,
        receipts=[Receipt(on=day, amount=amount) for day, amount in receipts],
        on=on,
        **{**RATE, **terms},
    )


def test_interest_counts_the_day_of_receipt_not_the_day_of_repayment():
    # 2026-04-01 → 2026-10-01: 30+31+30+31+31+30 = 183 days; 500,000 × 183 × 0.0003 = 27,450
    due = position(500_000, [], D(2026, 10, 1))

    assert due.interest_accrued == 27_450
    assert due.principal_outstanding == 500_000
    assert due.total == 527_450


def test_interest_on_the_day_of_receipt_is_nothing_and_the_next_day_one_day():
    assert position(500_000, [], D(2026, 4, 1)).interest == 0
    assert position(500_000, [], D(2026, 4, 2)).interest == 150


def test_interest_is_rounded_down_to_the_yen_once():
    # 333,333 × 10 × 0.0003 = 999.999 → 999
    assert position(333_333, [], D(2026, 4, 11)).interest == 999
    # ¥1 repaid after 5 days: 333,333 × 5 × 0.0003 = 499.9995 and 333,332 × 5 × 0.0003 =
    # 499.998; rounding each period would give 998, rounding their sum 999.9975 gives 999
    due = position(333_333, [(D(2026, 4, 6), 1)], D(2026, 4, 11))
    assert due.interest_accrued == 999


def test_partial_repayment_reduces_the_principal_from_its_date():
    # 200,000 repaid on 07-01 (91 days at 500,000), 300,000 on 10-01 (92 days at 300,000):
    # 500,000 × 91 × 0.0003 = 13,650; 300,000 × 92 × 0.0003 = 8,280; together 21,930
    receipts = [(D(2026, 7, 1), 200_000), (D(2026, 10, 1), 300_000)]

    due = position(500_000, receipts, D(2026, 10, 1))

    assert due.principal_outstanding == 0
    assert due.interest_accrued == 21_930
    assert due.interest == 21_930
    assert due.total == 21_930


def test_repayment_goes_to_the_principal_before_the_charge():
    # 13,650 of charge has accrued on 07-01, but 300,000 paid then is all principal
    due = position(500_000, [(D(2026, 7, 1), 300_000)], D(2026, 7, 1))

    assert due.principal_outstanding == 200_000
    assert due.interest_paid == 0
    assert due.interest == 13_650


def test_charge_stops_once_the_principal_is_repaid():
    due = position(500_000, [(D(2026, 7, 1), 500_000)], D(2027, 1, 1))

    assert due.principal_outstanding == 0
    assert due.interest == 13_650


def test_paying_principal_and_charge_settles_and_more_is_overpaid():
    settled = position(500_000, [(D(2026, 7, 1), 513_650)], D(2026, 7, 1))
    over = position(500_000, [(D(2026, 7, 1), 513_651)], D(2026, 7, 1))

    assert settled.total == 0
    assert settled.overpaid == 0
    assert over.total == 0
    assert over.overpaid == 1


def test_receipts_after_the_day_asked_about_do_not_count():
    due = position(500_000, [(D(2026, 7, 1), 500_000)], D(2026, 6, 30))

    assert due.principal_outstanding == 500_000
    assert due.interest == 500_000 * 90 * 3 // 10_000  # 13,500


def test_leap_year_still_counts_a_365_day_year():
    # 2028-02-01 → 2028-03-01 is 29 days; 100,000 × 29 × 0.0003 = 870
    due = position(100_000, [], D(2028, 3, 1), received_on=D(2028, 2, 1))

    assert due.interest == 870


def test_rate_and_year_length_are_parameters():
    # 366,000 × 10 days × 5% / 366 = 500
    assert interest_for(3_660_000, percent="5", days_in_year=366) == 500
    assert interest_for(3_660_000, percent=Decimal("10.95"), days_in_year=365) == 1_098


def test_repayment_before_receipt_is_refused():
    with pytest.raises(ValueError):
        position(500_000, [(D(2026, 3, 31), 1)], D(2026, 10, 1))


def test_nothing_to_repay_accrues_nothing():
    assert position(0, [], D(2027, 4, 1)).total == 0
