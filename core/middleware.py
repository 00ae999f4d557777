"""Answer 503 with Retry-After while the database is unreachable, instead of a 500."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

DATABASE_ERRORS = (OperationalError, InterfaceError)


def is_database_unavailable(exc: BaseException | None) -> bool:
    return isinstance(exc, DATABASE_ERRORS)


def database_unavailable_response(request: HttpRequest) -> HttpResponse:
    """JSON {code, message, field} under /api/, a short page elsewhere; both with Retry-After."""
    from .api import error_json, is_api

    message = _("The service is briefly unavailable. Try again in a minute.")
    if is_api(request):
        response: HttpResponse = error_json("service_unavailable", message, 503)
    else:
        # Rendered without the request: context processors and the base layout read the database.
        html = render_to_string("503.html", {"message": message})
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(settings.KOFU_RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    """Turns a lost or refused database connection during a view into 503 + Retry-After.

    Errors raised in other middleware (loading the session or the user) reach handler500,
    which gives the same answer.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if is_database_unavailable(exception):
            return database_unavailable_response(request)
        return None
