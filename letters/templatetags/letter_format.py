"""Template filters for letters: yen, era and English dates, subsidy rates, exclusion reasons.

Values arrive as the JSON a Letter stores: amounts as int (or a Decimal / its string), dates as
ISO strings. A value that cannot be shown exactly raises instead of printing something wrong.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from django import template

from core.dates import JST
from core.dates import wareki as era_date

register = template.Library()

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
WEEKDAYS_JA = "月火水木金土日"
WEEKDAYS_EN = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
EXCLUSION_REASONS = {
    "cost_type_not_eligible": ("補助対象外の経費区分", "cost type not eligible"),
    "incurred_before_grant_decision": (
        "交付決定日前に発生した経費",
        "incurred before the grant decision",
    ),
    "course_not_completed": ("講座未修了", "course not completed"),
}


def as_yen(value: object) -> int:
    """A whole number of yen from an int, a Decimal or a numeric string; anything else raises."""
    if isinstance(value, (bool, float)):
        raise TypeError(f"yen amounts are whole numbers, not {value!r}")
    if isinstance(value, int):
        return value
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(f"not an amount of yen: {value!r}") from None
    if amount != amount.to_integral_value():
        raise ValueError(f"yen amounts are whole numbers, not {value!r}")
    return int(amount)


def as_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.astimezone(JST).date() if value.tzinfo else value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip())


@register.filter
def yen(value: object, language: str = "ja") -> str:
    """1234000 → "1,234,000円" (ja) or "¥1,234,000" (en)."""
    amount = as_yen(value)
    sign = "-" if amount < 0 else ""
    digits = f"{abs(amount):,}"
    return f"{sign}¥{digits}" if language == "en" else f"{sign}{digits}円"


@register.filter
def wareki(value: object) -> str:
    """ "2026-11-24" → "令和8年11月24日"."""
    return era_date(as_date(value))


@register.filter
def english_date(value: object) -> str:
    """ "2026-11-24" → "24 November 2026"."""
    day = as_date(value)
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


@register.filter
def weekday(value: object, language: str = "ja") -> str:
    """ "2026-11-24" → "火" (ja) or "Tuesday" (en)."""
    index = as_date(value).weekday()
    return WEEKDAYS_EN[index] if language == "en" else WEEKDAYS_JA[index]


@register.filter
def rate(value: object, language: str = "ja") -> str:
    """ "1/2" → "2分の1" (ja) or "1/2" (en); "2/3" → "3分の2"."""
    fraction = Fraction(str(value).strip())
    if fraction == 1:
        return "100%" if language == "en" else "10分の10"
    if language == "en":
        return f"{fraction.numerator}/{fraction.denominator}"
    return f"{fraction.denominator}分の{fraction.numerator}"


@register.filter
def lines(value: object) -> list[str]:
    """A text's non-blank lines, or a list's non-blank items, stripped."""
    if value is None or value == "":
        return []
    items = value.splitlines() if isinstance(value, str) else [str(item) for item in value]
    return [item.strip() for item in items if item.strip()]


@register.filter
def exclusion_reason(code: str, language: str = "ja") -> str:
    """A reason code of applications.calculation, in words; an unknown code raises rather than
    print the code on a letter."""
    from letters.rendering import LetterContextError

    if code not in EXCLUSION_REASONS:
        raise LetterContextError(f"no words for the exclusion reason {code!r}")
    ja, en = EXCLUSION_REASONS[code]
    return en if language == "en" else ja
