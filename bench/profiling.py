"""cProfile over a few lifecycles, summarised by library and by Kofu function."""

from __future__ import annotations

import cProfile
import pstats
import re
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

PROJECT = str(Path(__file__).resolve().parent.parent)
_AREAS = (
    ("/psycopg", "database driver"),
    ("/django/db/", "Django ORM and SQL compiler"),
    ("/django/template/", "Django templates (notification texts)"),
    ("/django/utils/translation", "Django i18n"),
    ("/django/core/mail", "email"),
    ("/django/contrib/auth", "Django auth (permissions)"),
    ("/viewflow/", "viewflow"),
    ("/django_fsm", "django-fsm"),
    ("/celery/", "Celery"),
    ("/kombu/", "Celery"),
    ("/django/", "Django, other"),
    ("/site-packages/", "other libraries"),
)
_ADDRESS = re.compile(r" at 0x[0-9a-f]+>")
_KOFU_APPS = (
    "accounts",
    "applications",
    "audit",
    "core",
    "notifications",
    "payments",
    "screening",
    "workflows",
    "fixtures",
)


def area_of(filename: str, function: str) -> str:
    if filename == "~":
        driver = "sqlite" in function.lower() or "psycopg" in function
        return "database driver" if driver else "Python builtins"
    for marker, area in _AREAS:
        if marker in filename:
            return area
    if filename.startswith(PROJECT) and "/.venv/" not in filename:
        return "bench driver" if "/bench/" in filename else "Kofu code"
    return "Python stdlib"


def _label(filename: str, line: int, function: str) -> str:
    if filename == "~":
        return _ADDRESS.sub(">", function)
    short = filename.removeprefix(PROJECT + "/").split("site-packages/")[-1]
    return f"{short}:{line} {function}"


def _is_kofu(filename: str) -> bool:
    relative = filename.removeprefix(PROJECT + "/")
    return relative != filename and relative.split("/", 1)[0] in _KOFU_APPS


def profile_summary(work: Callable[[], Any], processes: int, top: int = 12) -> dict[str, Any]:
    """Run ``work`` under cProfile; shares of own time by area and the heaviest functions."""
    profiler = cProfile.Profile()
    profiler.enable()
    work()
    profiler.disable()
    stats: dict = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    areas: dict[str, float] = defaultdict(float)
    rows = []
    for (filename, line, function), (_cc, calls, own, cumulative, _callers) in stats.items():
        areas[area_of(filename, function)] += own
        rows.append((filename, line, function, calls, own, cumulative))
    total = sum(areas.values()) or 1.0

    def row(item: tuple) -> dict[str, Any]:
        filename, line, function, calls, own, cumulative = item
        return {
            "function": _label(filename, line, function),
            "calls": calls / processes,
            "own_ms": own * 1000 / processes,
            "cumulative_ms": cumulative * 1000 / processes,
        }

    kofu = [item for item in rows if _is_kofu(item[0])]
    return {
        "processes": processes,
        "total_ms": total * 1000 / processes,
        "areas": {
            area: seconds / total
            for area, seconds in sorted(areas.items(), key=lambda pair: -pair[1])
        },
        "own_time": [row(item) for item in sorted(rows, key=lambda r: -r[4])[:top]],
        "kofu_cumulative": [row(item) for item in sorted(kofu, key=lambda r: -r[5])[:top]],
    }
