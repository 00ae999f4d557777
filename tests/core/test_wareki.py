import datetime as dt

import pytest

from core.dates import wareki


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 11, 24), "令和8年11月24日"),
        (dt.date(2019, 5, 1), "令和元年5月1日"),
        (dt.date(2019, 4, 30), "平成31年4月30日"),
        (dt.date(2020, 1, 1), "令和2年1月1日"),
        (dt.date(1989, 1, 8), "平成元年1月8日"),
        (dt.date(1989, 1, 7), "昭和64年1月7日"),
        (dt.date(1926, 12, 25), "昭和元年12月25日"),
        (dt.date(1926, 12, 24), "大正15年12月24日"),
        (dt.date(1912, 7, 30), "大正元年7月30日"),
        (dt.date(1912, 7, 29), "明治45年7月29日"),
        (dt.date(1868, 10, 23), "明治元年10月23日"),
    ],
)
def test_wareki_era_boundaries_give_the_official_year(day, expected):
    assert wareki(day) == expected


def test_wareki_before_meiji_is_refused():
    with pytest.raises(ValueError, match="before the Meiji era"):
        wareki(dt.date(1868, 10, 22))
