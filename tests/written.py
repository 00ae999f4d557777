"""How pages and notifications write a day, spelled out independently of the code under test
(config/formats): 2026年12月2日 in Japanese, 2 December 2026 in English."""

from __future__ import annotations

import datetime as dt


def day_written(day: dt.date, language: str = "ja") -> str:
    if language == "en":
        return f"{day.day} {day:%B} {day.year}"
    return f"{day.year}年{day.month}月{day.day}日"
