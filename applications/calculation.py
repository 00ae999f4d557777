"""The subsidy arithmetic, as one pure function.

Per trainee: eligible cost × rate, rounded down to the yen, capped per trainee. Summed over
trainees, capped per company, then rounded down to the round's unit (¥1,000). Costs of a type
the round does not fund, costs dated before the grant decision and courses not completed
are excluded, each with its reason. Amounts exclude consumption tax.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from fractions import Fraction


@dataclass(frozen=True)
class SubsidyRule:
    rate: Fraction
    cap_per_trainee: int
    cap_per_company: int
    rounding_unit: int
    eligible_cost_types: frozenset[str]

    def __post_init__(self) -> None:
        if not 0 <= self.rate <= 1:
            raise ValueError("rate must be between 0 and 1")
        if self.rounding_unit <= 0 or self.cap_per_trainee < 0 or self.cap_per_company < 0:
            raise ValueError("caps must be non-negative and the rounding unit positive")

    def as_terms(self) -> dict:
        """The rule as JSON, frozen on a grant decision (交付決定) so that confirming its amount
        later applies the terms granted, whatever the round says by then."""
        return {
            "rate_numerator": self.rate.numerator,
            "rate_denominator": self.rate.denominator,
            "cap_per_trainee": self.cap_per_trainee,
            "cap_per_company": self.cap_per_company,
            "rounding_unit": self.rounding_unit,
            "eligible_cost_types": sorted(self.eligible_cost_types),
        }

    @classmethod
    def from_terms(cls, terms: dict) -> SubsidyRule:
        return cls(
            rate=Fraction(terms["rate_numerator"], terms["rate_denominator"]),
            cap_per_trainee=int(terms["cap_per_trainee"]),
            cap_per_company=int(terms["cap_per_company"]),
            rounding_unit=int(terms["rounding_unit"]),
            eligible_cost_types=frozenset(terms["eligible_cost_types"]),
        )


@dataclass(frozen=True)
class CostLine:
    trainee: str
    cost_type: str
    amount: int
    incurred_on: dt.date | None = None
    completed: bool = True


@dataclass(frozen=True)
class TraineeShare:
    trainee: str
    eligible_cost: int
    subsidy_before_cap: int
    subsidy: int


@dataclass(frozen=True)
class SubsidyComputation:
    eligible_cost: int
    trainees: tuple[TraineeShare, ...]
    total_before_company_cap: int
    total_after_company_cap: int
    amount: int
    excluded: tuple[tuple[CostLine, str], ...] = field(default=())

    def as_dict(self) -> dict:
        data = asdict(self)
        data["excluded"] = [
            {**asdict(line), "incurred_on": str(line.incurred_on or ""), "reason": reason}
            for line, reason in self.excluded
        ]
        return data


EXCLUDED_COST_TYPE = "cost_type_not_eligible"
EXCLUDED_BEFORE_DECISION = "incurred_before_grant_decision"
EXCLUDED_NOT_COMPLETED = "course_not_completed"


def _exclusion(line: CostLine, rule: SubsidyRule, not_before: dt.date | None) -> str | None:
    if line.amount < 0:
        raise ValueError("a cost amount cannot be negative")
    if line.cost_type not in rule.eligible_cost_types:
        return EXCLUDED_COST_TYPE
    if not_before is not None and (line.incurred_on is None or line.incurred_on < not_before):
        return EXCLUDED_BEFORE_DECISION
    if not line.completed:
        return EXCLUDED_NOT_COMPLETED
    return None


def subsidy_compute(
    lines: Iterable[CostLine], rule: SubsidyRule, *, not_before: dt.date | None = None
) -> SubsidyComputation:
    """The subsidy for ``lines``; with ``not_before``, costs dated earlier are ineligible."""
    per_trainee: dict[str, int] = defaultdict(int)
    excluded: list[tuple[CostLine, str]] = []
    for line in lines:
        reason = _exclusion(line, rule, not_before)
        if reason:
            excluded.append((line, reason))
        else:
            per_trainee[line.trainee] += line.amount

    shares = []
    for trainee, eligible in sorted(per_trainee.items()):
        before_cap = math.floor(eligible * rule.rate)
        shares.append(
            TraineeShare(trainee, eligible, before_cap, min(before_cap, rule.cap_per_trainee))
        )

    total = sum(share.subsidy for share in shares)
    capped = min(total, rule.cap_per_company)
    return SubsidyComputation(
        eligible_cost=sum(per_trainee.values()),
        trainees=tuple(shares),
        total_before_company_cap=total,
        total_after_company_cap=capped,
        amount=capped // rule.rounding_unit * rule.rounding_unit,
        excluded=tuple(excluded),
    )
