"""Record every SQL statement a block of code sends, labelled with the step that sent it."""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

from django.db import connection

PROJECT = str(Path(__file__).resolve().parent.parent)
_TABLE = re.compile(r'\b(?:FROM|INTO|UPDATE)\s+"?([\w.]+)"?', re.IGNORECASE)
_SAVEPOINT = ("SAVEPOINT", "RELEASE", "ROLLBACK")
_TRANSACTION = ("BEGIN", "COMMIT")


class QueryLog:
    """An execute wrapper that keeps (step, sql) pairs; classification happens afterwards."""

    def __init__(self) -> None:
        self.step = "setup"
        self.statements: list[tuple[str, str]] = []

    def __call__(self, execute: Callable, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.statements.append((self.step, sql))
        return execute(sql, params, many, context)

    @contextmanager
    def installed(self) -> Iterator[QueryLog]:
        """Log every statement of the default connection while the block runs."""
        with connection.execute_wrapper(self):
            yield self

    def count(self, step: str | None = None) -> int:
        return sum(1 for label, _sql in self.statements if step is None or label == step)

    def by_step(self) -> Counter[str]:
        return Counter(label for label, _sql in self.statements)

    def by_kind(self) -> Counter[tuple[str, str]]:
        return Counter((label, statement_kind(sql)) for label, sql in self.statements)

    def clear(self) -> None:
        self.statements.clear()


def statement_kind(sql: str) -> str:
    """``SELECT workflow_task``, ``UPDATE applications_application``, ``SAVEPOINT``…"""
    head = sql.lstrip().split(None, 1)[0].upper()
    if head in _SAVEPOINT:
        return "SAVEPOINT / RELEASE"
    if head in _TRANSACTION:
        return "BEGIN / COMMIT"
    match = _TABLE.search(sql)
    table = match.group(1) if match else "?"
    lock = " … FOR UPDATE" if head == "SELECT" and "FOR UPDATE" in sql.upper() else ""
    return f"{head} {table}{lock}"


_NOT_ORIGINS = (
    "/django/db/",
    "/django/utils/",
    "/bench/",
    "/contextlib.py",
    "/viewflow/workflow/managers.py",
)


def origin_of(frame: FrameType | None) -> str:
    """The innermost caller outside Django's ORM, transaction helpers and this package."""
    while frame is not None:
        filename = frame.f_code.co_filename
        if not any(marker in filename for marker in _NOT_ORIGINS):
            short = filename.split("site-packages/")[-1].removeprefix(f"{PROJECT}/")
            return f"{short} {frame.f_code.co_name}"
        frame = frame.f_back
    return "?"


class OriginLog(QueryLog):
    """Labels each statement with the code that sent it instead of the lifecycle step."""

    def __call__(self, execute: Callable, sql: str, params: Any, many: bool, context: Any) -> Any:
        kind = statement_kind(sql)
        if kind == "BEGIN / COMMIT":
            origin = "outermost transaction.atomic"
        else:
            origin = origin_of(sys._getframe(1))
            origin = f"savepoint: {origin}" if kind == "SAVEPOINT / RELEASE" else origin
        self.statements.append((origin, sql))
        return execute(sql, params, many, context)
