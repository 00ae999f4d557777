import datetime as dt

import pytest

from core.dates import add_business_days, end_of_day_jst, is_business_day


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (dt.date(2026, 11, 24), 1, dt.date(2026, 11, 25)),  # Tue -> Wed
        (dt.date(2026, 11, 20), 1, dt.date(2026, 11, 24)),  # Fri -> Tue: 11/23 勤労感謝の日 (Mon)
        (dt.date(2026, 11, 24), 10, dt.date(2026, 12, 8)),
        (dt.date(2026, 12, 25), 1, dt.date(2026, 12, 28)),  # Fri -> Mon
        (dt.date(2026, 12, 28), 1, dt.date(2027, 1, 4)),  # year-end closure 12/29-1/3
        (dt.date(2026, 4, 28), 3, dt.date(2026, 5, 7)),  # Golden Week
        (dt.date(2026, 11, 24), 0, dt.date(2026, 11, 24)),
    ],
)
def test_add_business_days_skips_weekends_holidays_and_closure(start, days, expected):
    assert add_business_days(start, days) == expected


def test_add_business_days_without_closure_counts_december_29():
    assert add_business_days(dt.date(2026, 12, 28), 1, year_end_closure=False) == dt.date(
        2026, 12, 29
    )


def test_is_business_day_holiday_false():
    assert not is_business_day(dt.date(2026, 11, 23))
    assert is_business_day(dt.date(2026, 11, 24))


def test_add_business_days_negative_refused():
    with pytest.raises(ValueError):
        add_business_days(dt.date(2026, 11, 24), -1)


def test_end_of_day_jst_is_1459_utc():
    moment = end_of_day_jst(dt.date(2026, 12, 8))
    assert moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S") == "2026-12-08 14:59:59"
