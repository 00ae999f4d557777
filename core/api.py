"""API plumbing shared by every app: errors as {code, message, field}, and Idempotency-Key."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import json
import sys
from collections.abc import Callable
from typing import Any

import django_fsm
import viewflow.fsm
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import DatabaseError, IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.views import exception_handler as drf_exception_handler
from viewflow.workflow.exceptions import FlowLockFailed

from .errors import Conflict, KofuError
from .models import IdempotencyRecord

IDEMPOTENCY_HEADER = "Idempotency-Key"
API_PREFIX = "/api/"

# A state machine refusing a transition the record was in a moment ago: another request
# (often the same person's double click) moved it first.
CONCURRENT_CHANGE_ERRORS = (
    django_fsm.TransitionNotAllowed,
    django_fsm.ConcurrentTransition,
    viewflow.fsm.TransitionNotAllowed,
    FlowLockFailed,
)


class Router(DefaultRouter):
    """Object ids in API paths are integer keys: anything else is a 404 before a view runs."""

    def __init__(self) -> None:
        super().__init__()
        self._default_value_pattern = "[0-9]+"


class IdempotencyKeyReused(KofuError):
    code = "idempotency_key_reused"
    http_status = 422


class RequestInProgress(KofuError):
    code = "request_in_progress"
    http_status = 409


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Turn domain errors and DRF errors into one JSON shape: {code, message, field}."""
    if isinstance(exc, CONCURRENT_CHANGE_ERRORS):
        exc = Conflict(_("This record was changed by another request just now: reload it."))
    if isinstance(exc, KofuError):
        return Response(exc.as_dict(), status=exc.http_status)
    if isinstance(exc, ObjectDoesNotExist):  # a record named in the request does not exist
        exc = Http404()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        field, message = _first_validation_message(exc.detail)
        response.data = {
            "code": "invalid",
            "message": message,
            "field": field,
            "errors": exc.detail,
        }
    elif isinstance(exc, Http404):
        response.data = {"code": "not_found", "message": _("Not found."), "field": None}
    elif isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        response.data = {
            "code": codes if isinstance(codes, str) else "error",
            "message": str(exc.detail),
            "field": None,
        }
    return response


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def error_json(code: str, message: str, status_code: int) -> JsonResponse:
    return JsonResponse(
        {"code": code, "message": message, "field": None},
        status=status_code,
        json_dumps_params={"ensure_ascii": False},
    )


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler404: JSON under /api/ (an unknown path or id), Django's page elsewhere."""
    if is_api(request):
        return error_json("not_found", _("Not found."), status.HTTP_404_NOT_FOUND)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: JSON under /api/, Django's page elsewhere; 503 if the database is down."""
    from .middleware import database_unavailable_response, is_database_unavailable

    if is_database_unavailable(sys.exc_info()[1]):
        return database_unavailable_response(request)
    if is_api(request):
        return error_json(
            "server_error",
            _("Something went wrong on our side. Try again later."),
            status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    return defaults.server_error(request)


def _first_validation_message(detail: Any, field: str | None = None) -> tuple[str | None, str]:
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = None if key == "non_field_errors" else key
            return _first_validation_message(value, name if field is None else f"{field}.{key}")
    if isinstance(detail, list) and detail:
        return _first_validation_message(detail[0], field)
    return field, str(detail)


def _fingerprint(request: Request) -> str:
    body = json.dumps(request.data, sort_keys=True, default=str) if request.data else ""
    return hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()


def idempotent(view_method: Callable[..., Response]) -> Callable[..., Response]:
    """Run a request under an Idempotency-Key at most once per user.

    The key is recorded (committed) before the work starts: a repeat while the first request
    runs is refused with 409 ``request_in_progress``. The work and the recorded response are
    written in one transaction, so a repeat afterwards replays the first response; a request
    that fails forgets its key, so it may be retried with the same key. The same key with a
    different method, path or body is refused with 422 ``idempotency_key_reused``.
    """

    @functools.wraps(view_method)
    def wrapper(self: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        key = request.headers.get(IDEMPOTENCY_HEADER)
        if not key:
            return view_method(self, request, *args, **kwargs)
        record = _claim(request, key, _fingerprint(request))
        if not isinstance(record, IdempotencyRecord):
            return record
        try:
            with transaction.atomic():
                response = view_method(self, request, *args, **kwargs)
                if status.is_success(response.status_code):
                    record.response_status = response.status_code
                    record.response_body = json.loads(json.dumps(response.data, default=str))
                    record.save(update_fields=["response_status", "response_body"])
        except BaseException:
            _forget(record)
            raise
        if not status.is_success(response.status_code):
            _forget(record)
        return response

    return wrapper


def _forget(record: IdempotencyRecord) -> None:
    """A failed request releases its key; if the database is gone, the key expires instead."""
    with contextlib.suppress(DatabaseError):
        record.delete()


def _claim(request: Request, key: str, fingerprint: str) -> IdempotencyRecord | Response:
    """Record the key as in flight, or answer as the earlier request with this key allows."""
    expired = timezone.now() - dt.timedelta(hours=settings.KOFU_IDEMPOTENCY_KEY_HOURS)
    IdempotencyRecord.objects.filter(user=request.user, key=key, created_at__lt=expired).delete()
    try:
        with transaction.atomic():
            return IdempotencyRecord.objects.create(
                user=request.user,
                key=key,
                method=request.method,
                endpoint=request.path,
                request_fingerprint=fingerprint,
            )
    except IntegrityError:
        earlier = IdempotencyRecord.objects.filter(user=request.user, key=key).first()
        if earlier is None:  # it failed and forgot its key meanwhile: this one may run
            return _claim(request, key, fingerprint)
    if earlier.request_fingerprint != fingerprint:
        raise IdempotencyKeyReused(
            _("This Idempotency-Key was already used for a different request: use a new key.")
        )
    if earlier.in_flight:
        raise RequestInProgress(
            _("A request with this Idempotency-Key is still being processed: try again shortly.")
        )
    response = Response(earlier.response_body, status=earlier.response_status)
    response["Idempotent-Replayed"] = "true"
    return response
