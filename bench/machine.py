"""The machine and the software versions, for the header of the results."""

from __future__ import annotations

import os
import platform
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

PACKAGES = ("Django", "django-viewflow", "django-fsm-2", "celery", "psycopg")


def _proc_field(path: str, key: str) -> str:
    try:
        lines = Path(path).read_text().splitlines()
    except OSError:
        return "unknown"
    for line in lines:
        name, _sep, value = line.partition(":")
        if name.strip() == key:
            return value.strip()
    return "unknown"


def _memory() -> str:
    total = _proc_field("/proc/meminfo", "MemTotal")
    if total.endswith(" kB"):
        return f"{int(total.removesuffix(' kB')) / 1024**2:.1f} GiB"
    return total


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "not installed"


def machine_info() -> dict[str, str]:
    return {
        "cpus": str(os.cpu_count()),
        "cpu_model": _proc_field("/proc/cpuinfo", "model name"),
        "memory": _memory(),
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        **{package: _version(package) for package in PACKAGES},
    }
