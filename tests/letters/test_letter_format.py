import datetime as dt
from decimal import Decimal

import pytest

from letters.templatetags.letter_format import (
    english_date,
    exclusion_reason,
    lines,
    rate,
    wareki,
    weekday,
    yen,
)


@pytest.mark.parametrize(
    ("value", "language", "expected"),
    [
        (1_234_000, "ja", "1,234,000円"),
        (1_234_000, "en", "¥1,234,000"),
        (Decimal("1000"), "ja", "1,000円"),
        ("378000", "en", "¥378,000"),
        (0, "ja", "0円"),
    ],
)
def test_yen_whole_amounts_get_separators(value, language, expected):
    assert yen(value, language) == expected


@pytest.mark.parametrize("value", [1000.0, Decimal("10.5"), "12.5", True, "abc"])
def test_yen_refuses_anything_but_whole_yen(value):
    with pytest.raises((TypeError, ValueError)):
        yen(value)


def test_dates_from_iso_strings_and_dates():
    assert wareki("2026-11-24") == "令和8年11月24日"
    assert wareki(dt.date(2019, 5, 1)) == "令和元年5月1日"
    assert english_date("2026-11-24") == "24 November 2026"
    assert weekday("2026-11-24") == "火"
    assert weekday("2026-11-24", "en") == "Tuesday"


def test_aware_datetime_is_shown_on_its_tokyo_date():
    moment = dt.datetime(2026, 11, 23, 16, 0, tzinfo=dt.UTC)
    assert wareki(moment) == "令和8年11月24日"


def test_rate_in_japanese_words():
    assert rate("1/2") == "2分の1"
    assert rate("2/3") == "3分の2"
    assert rate("1/2", "en") == "1/2"
    assert rate("1") == "10分の10"


def test_lines_of_text_or_lists():
    assert lines("一行目\n\n  二行目 \n") == ["一行目", "二行目"]
    assert lines(["a", " ", "b"]) == ["a", "b"]
    assert lines("") == []


def test_exclusion_reason_in_words():
    assert exclusion_reason("incurred_before_grant_decision") == "交付決定日前に発生した経費"
    assert exclusion_reason("course_not_completed", "en") == "course not completed"


def test_exclusion_reason_unknown_code_raises_instead_of_printing_it():
    from letters.rendering import LetterContextError

    with pytest.raises(LetterContextError, match="not_a_reason"):
        exclusion_reason("not_a_reason")
