"""API plumbing shared by every app: errors as {code, message, field}, and Idempotency-Key."""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import KofuError
from .models import IdempotencyRecord

IDEMPOTENCY_HEADER = "Idempotency-Key"


class IdempotencyKeyReused(KofuError):
    code = "idempotency_key_reused"
    http_status = 422


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Turn domain errors and DRF errors into one JSON shape: {code, message, field}."""
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
    """Replay the first response for a repeated Idempotency-Key from the same user.

    The action and the record are written in one transaction, so a request that fails leaves
    no record and may be retried with the same key. The same key with a different body is refused.
    """

    @functools.wraps(view_method)
    def wrapper(self: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        key = request.headers.get(IDEMPOTENCY_HEADER)
        if not key:
            return view_method(self, request, *args, **kwargs)
        fingerprint = _fingerprint(request)
        replay = _replay(request, key, fingerprint)
        if replay is not None:
            return replay
        try:
            with transaction.atomic():
                response = view_method(self, request, *args, **kwargs)
                if status.is_success(response.status_code):
                    IdempotencyRecord.objects.create(
                        user=request.user,
                        key=key,
                        endpoint=request.path,
                        request_fingerprint=fingerprint,
                        response_status=response.status_code,
                        response_body=json.loads(json.dumps(response.data, default=str)),
                    )
        except IntegrityError:
            # A concurrent request with the same key committed first: answer as it did.
            replay = _replay(request, key, fingerprint)
            if replay is None:
                raise
            return replay
        return response

    return wrapper


def _replay(request: Request, key: str, fingerprint: str) -> Response | None:
    record = IdempotencyRecord.objects.filter(user=request.user, key=key).first()
    if record is None:
        return None
    if record.request_fingerprint != fingerprint:
        raise IdempotencyKeyReused(
            _("This Idempotency-Key was already used for a different request: use a new key.")
        )
    response = Response(record.response_body, status=record.response_status)
    response["Idempotent-Replayed"] = "true"
    return response
