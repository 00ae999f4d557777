"""加算金: the additional charge on a subsidy that must be repaid (補助金適正化法 §19 and the
prefectural rules that mirror it). Pure functions over whole yen and dates; no Django.

The rules, and the choices made where the law leaves room:

- The charge runs on the amount to repay, from the day the subsidy was received to the day it is
  repaid, at ``percent`` a year with a ``days_in_year``-day year (365 even in a leap year, as the
  grant rules say; both come from settings and are stored on each revocation).
- Days are counted as the difference of the dates (片落ち): the day of receipt counts, the day of
  repayment does not. ¥500,000 received on 2026-04-01 and repaid on 2026-10-01 is 183 days. The
  other reading of 「受領の日から納付の日まで」 (both ends, 両端入れ) is the same as counting from
  the day before receipt: one more day at the principal outstanding on the first day.
- A repayment reduces the principal from its own date (§19 ①: after a part is repaid the charge
  runs on the rest), and is applied to the principal first, to the charge only once the
  principal is repaid (§19 ②). No charge accrues on the charge itself, so once the principal is
  repaid the charge is fixed.
- The charge is computed exactly over all periods and rounded down to the yen once, at the end.
  The prefectural thresholds some rules add (no charge under ¥100, principal rounded to ¥1,000)
  are not applied.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction


@dataclass(frozen=True)
class Receipt:
    """Money the company repaid on a day."""

    on: dt.date
    amount: int


@dataclass(frozen=True)
class Due:
    """Where a repayment order stands on a day."""

    principal_outstanding: int
    interest_accrued: int  # the whole 加算金 so far, rounded down to the yen
    interest_paid: int
    overpaid: int  # repaid beyond principal + charge: a mistake to refuse

    @property
    def interest(self) -> int:
        """The charge still to pay."""
        return max(0, self.interest_accrued - self.interest_paid)

    @property
    def total(self) -> int:
        return self.principal_outstanding + self.interest


def interest_for(yen_days: int, *, percent: Decimal | str, days_in_year: int) -> int:
    """The charge on ``yen_days`` (yen × days), rounded down to the yen."""
    if days_in_year <= 0:
        raise ValueError("days_in_year must be positive")
    rate = Fraction(Decimal(percent)) / 100
    return math.floor(Fraction(yen_days) * rate / days_in_year)


def repayment_position(
    *,
    principal: int,
    received_on: dt.date,
    receipts: Sequence[Receipt],
    on: dt.date,
    percent: Decimal | str,
    days_in_year: int,
) -> Due:
    """Principal and 加算金 outstanding on ``on``, given the receipts up to that day."""
    if principal < 0:
        raise ValueError("principal must not be negative")
    counted = sorted((r for r in receipts if r.on <= on), key=lambda r: r.on)
    if any(r.on < received_on for r in counted):
        raise ValueError("a repayment cannot precede the receipt of the subsidy")
    if any(r.amount <= 0 for r in counted):
        raise ValueError("a repayment is a positive amount of yen")
    outstanding, yen_days, since = principal, 0, received_on
    for receipt in counted:
        if outstanding <= 0:
            break
        yen_days += outstanding * (receipt.on - since).days
        outstanding -= receipt.amount
        since = receipt.on
    if outstanding > 0:
        yen_days += outstanding * max(0, (on - since).days)
    accrued = interest_for(yen_days, percent=percent, days_in_year=days_in_year)
    repaid = sum(r.amount for r in counted)
    interest_paid = max(0, repaid - principal)
    return Due(
        principal_outstanding=max(0, principal - repaid),
        interest_accrued=accrued,
        interest_paid=min(interest_paid, accrued),
        overpaid=max(0, interest_paid - accrued),
    )
