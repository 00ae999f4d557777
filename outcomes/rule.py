"""The productivity rule: when a company counts toward the KPI "companies that achieved
productivity gains" (生産性向上を実現した企業). Pure functions over Decimals; the selectors feed
them the accepted reports.

A measure improves when it moved in its better direction by at least ``min_improvement_percent``
of its baseline; from a baseline of 0 any move in the better direction counts (no percentage of
0 exists, and going from no sales to some is a gain). A report meets the rule when at least
``min_improved_measures`` of its measures improved.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

HIGHER, LOWER = "higher", "lower"
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Change:
    """One measure of one report: which way is better, the baseline (None when the application
    gave none) and the reported value."""

    better: str
    baseline: Decimal | None
    value: Decimal


@dataclass(frozen=True)
class ProductivityRule:
    min_improved_measures: int
    min_improvement_percent: Decimal

    @classmethod
    def from_setting(cls, setting: Mapping[str, Any]) -> ProductivityRule:
        """The rule of ``KOFU_PRODUCTIVITY_RULE``; a setting that makes no sense stops startup
        of the caller rather than counting companies by a rule nobody meant."""
        try:
            measures = int(setting.get("min_improved_measures", 1))
            percent = Decimal(str(setting.get("min_improvement_percent", "5")))
        except (ArithmeticError, TypeError, ValueError) as error:
            raise ImproperlyConfigured(f"KOFU_PRODUCTIVITY_RULE: {error}") from error
        if measures < 1 or not percent.is_finite() or percent < 0:
            raise ImproperlyConfigured(
                "KOFU_PRODUCTIVITY_RULE needs min_improved_measures >= 1 and "
                "min_improvement_percent >= 0"
            )
        return cls(min_improved_measures=measures, min_improvement_percent=percent)

    def describe(self) -> str:
        """The rule in the reader's language, for the KPI dashboard."""
        measures = ngettext(
            "at least %(count)s outcome measure",
            "at least %(count)s outcome measures",
            self.min_improved_measures,
        ) % {"count": self.min_improved_measures}
        return _(
            "A company counts as having achieved productivity gains once an accepted outcome "
            "report of one of its applications shows %(measures)s improved by at least "
            "%(percent)s%% of its baseline, in the direction the measure counts as better "
            "(e.g. less overtime, higher wages). From a baseline of 0, any improvement counts. "
            "The company is counted in the fiscal year (April–March) in which the first such "
            "report was accepted."
        ) % {"measures": measures, "percent": format(self.min_improvement_percent.normalize(), "f")}


def gain(change: Change) -> Decimal | None:
    """How far the value moved in the better direction (negative: it got worse)."""
    if change.baseline is None:
        return None
    moved = change.value - change.baseline
    return moved if change.better == HIGHER else -moved


def improvement_percent(change: Change) -> Decimal | None:
    """The gain as a percentage of the baseline, to one decimal; None without a baseline or
    from a baseline of 0."""
    moved = gain(change)
    if moved is None or change.baseline == 0:
        return None
    return (moved * HUNDRED / change.baseline).quantize(Decimal("0.1"))


def is_improved(rule: ProductivityRule, change: Change) -> bool:
    """Moved the better way by at least the rule's percentage of the baseline (exactly, without
    rounding: the threshold itself counts)."""
    moved = gain(change)
    if moved is None or change.baseline is None:
        return False
    return moved > 0 and moved * HUNDRED >= rule.min_improvement_percent * change.baseline


def improved_count(rule: ProductivityRule, changes: Iterable[Change]) -> int:
    return sum(1 for change in changes if is_improved(rule, change))


def meets_rule(rule: ProductivityRule, changes: Iterable[Change]) -> bool:
    return improved_count(rule, changes) >= rule.min_improved_measures
