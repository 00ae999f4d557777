from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .context import context_bind, request_id_new


class AuditContextMiddleware:
    """Give each request an id that its audit events (and row history) carry, and tell the
    client in ``X-Request-ID`` so that a support question can name it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_new()
        request.request_id = request_id  # type: ignore[attr-defined]
        with context_bind(request_id, lambda: getattr(request, "user", None)):
            response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response
