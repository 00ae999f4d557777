"""Whether row history is recorded here, and the context its rows carry."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pghistory
from django.core.handlers.wsgi import WSGIRequest
from django.db import connection
from pghistory.middleware import WSGIRequest as HistoryWSGIRequest

from audit.context import current_request_id, current_user


def recording_enabled() -> bool:
    """True on PostgreSQL; SQLite (the embedded default) records no row history."""
    return connection.vendor == "postgresql"


def _user_pk(request: Any) -> Any | None:
    user = getattr(request, "user", None) if request is not None else current_user()
    return user.pk if getattr(user, "is_authenticated", False) else None


@contextlib.contextmanager
def history_context(request: Any = None) -> Iterator[None]:
    """Rows written in the block carry the current request (or job) id and user: the
    request's user, else the user bound in ``audit.context``."""
    if not recording_enabled():
        yield
        return
    with pghistory.context(request_id=current_request_id(), user=_user_pk(request)):
        if isinstance(request, WSGIRequest) and not isinstance(request, HistoryWSGIRequest):
            # pghistory's request class updates the user when DRF authenticates in the view
            request.__class__ = HistoryWSGIRequest
        yield


_task_contexts: dict[str, Any] = {}


def task_history_enter(task_id: str) -> None:
    """A job's rows carry ``task:<id>`` (bound by audit) unless it runs inside a request."""
    if recording_enabled() and current_request_id() == f"task:{task_id}":
        context = pghistory.context(request_id=current_request_id(), user=None)
        context.__enter__()
        _task_contexts[task_id] = context


def task_history_exit(task_id: str) -> None:
    context = _task_contexts.pop(task_id, None)
    if context is not None:
        context.__exit__(None, None, None)
