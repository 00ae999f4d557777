"""Calendar rules: business days skip weekends, Japanese public holidays and, optionally,
the year-end closure of public offices (12/29–1/3)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import jpholiday

JST = ZoneInfo("Asia/Tokyo")


def is_year_end_closure(day: dt.date) -> bool:
    return (day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3)


def is_business_day(day: dt.date, *, year_end_closure: bool = True) -> bool:
    if day.weekday() >= 5 or jpholiday.is_holiday(day):
        return False
    return not (year_end_closure and is_year_end_closure(day))


def add_business_days(start: dt.date, days: int, *, year_end_closure: bool = True) -> dt.date:
    """The date ``days`` business days after ``start`` (``start`` itself never counts)."""
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    remaining = days
    while remaining:
        day += dt.timedelta(days=1)
        if is_business_day(day, year_end_closure=year_end_closure):
            remaining -= 1
    return day


def business_days_between(start: dt.date, end: dt.date, *, year_end_closure: bool = True) -> int:
    """How many business days follow ``start`` up to and including ``end`` (0 if end <= start)."""
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if is_business_day(day, year_end_closure=year_end_closure):
            count += 1
    return count


def end_of_day_jst(day: dt.date) -> dt.datetime:
    """The last moment of ``day`` in Japan, as an aware datetime (deadlines run to 23:59:59 JST)."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=JST) - dt.timedelta(
        microseconds=1
    )


def fiscal_year_of(day: dt.date) -> int:
    """The Japanese fiscal year (April to March) a day belongs to: 2027-03-31 is in 2026."""
    return day.year if day.month >= 4 else day.year - 1


def today_jst() -> dt.date:
    from django.utils import timezone

    return timezone.now().astimezone(JST).date()


ERAS = (
    (dt.date(2019, 5, 1), "令和"),
    (dt.date(1989, 1, 8), "平成"),
    (dt.date(1926, 12, 25), "昭和"),
    (dt.date(1912, 7, 30), "大正"),
    (dt.date(1868, 10, 23), "明治"),
)


def wareki(day: dt.date) -> str:
    """``day`` in the Japanese era calendar, e.g. 令和8年11月24日; the first year is 元年.

    Before 1873 Japan kept the lunisolar calendar: early Meiji days are given as Gregorian days.
    """
    for start, era in ERAS:
        if day >= start:
            year = day.year - start.year + 1
            return f"{era}{'元' if year == 1 else year}年{day.month}月{day.day}日"
    raise ValueError(f"{day.isoformat()} is before the Meiji era")
