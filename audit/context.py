"""Where the current work came from: an HTTP request, a background job, or nowhere in
particular. Audit events (and the data-change history) carry its id and its user."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class WorkContext:
    """``request_id`` names the request (a uuid4 hex) or job (``task:<id>``); ``user`` is read
    lazily, because DRF authenticates a request only once its view runs."""

    request_id: str
    user_source: Callable[[], Any] | None = None

    @property
    def user(self) -> Any | None:
        user = self.user_source() if self.user_source else None
        return user if getattr(user, "is_authenticated", False) else None


_current: ContextVar[WorkContext | None] = ContextVar("kofu_work_context", default=None)


def request_id_new() -> str:
    return uuid.uuid4().hex


def context_current() -> WorkContext | None:
    return _current.get()


def current_request_id() -> str:
    context = _current.get()
    return context.request_id if context else ""


def current_user() -> Any | None:
    context = _current.get()
    return context.user if context else None


@contextlib.contextmanager
def context_bind(
    request_id: str, user_source: Callable[[], Any] | None = None
) -> Iterator[WorkContext]:
    """Run the block as this request or job."""
    token = _current.set(WorkContext(request_id, user_source))
    try:
        yield _current.get()  # type: ignore[misc]
    finally:
        _current.reset(token)


# Celery: a task runs as "task:<id>" unless it runs inside other work (an eager task started
# by a request after its commit belongs to that request).
_task_tokens: dict[str, Any] = {}


def task_context_enter(task_id: str) -> bool:
    """Bind ``task:<id>`` for a task about to run; False when other work is already bound."""
    if _current.get() is not None:
        return False
    _task_tokens[task_id] = _current.set(WorkContext(f"task:{task_id}"))
    return True


def task_context_exit(task_id: str) -> None:
    token = _task_tokens.pop(task_id, None)
    if token is not None:
        _current.reset(token)
