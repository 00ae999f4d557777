from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .recording import history_context


class HistoryContextMiddleware:
    """Tie the request's row history to its request id and user (after
    ``audit.middleware.AuditContextMiddleware``, which gives the id)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with history_context(request):
            return self.get_response(request)
