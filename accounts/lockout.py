"""What a person locked out by django-axes is told: the login page with when to try again, or
for the API, JSON {code, message, field} with status 429 and Retry-After."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _


def locked_until(request: HttpRequest, username: str | None) -> datetime:
    """When the lock on this username from this address ends: the cool-off after its last
    failure."""
    last = (
        AccessAttempt.objects.filter(
            username=username, ip_address=getattr(request, "axes_ip_address", None)
        )
        .order_by("-attempt_time")
        .values_list("attempt_time", flat=True)
        .first()
    )
    return (last or timezone.now()) + get_cool_off(request)


def lockout_seconds_left(request: HttpRequest, username: str | None) -> int:
    left = (locked_until(request, username) - timezone.now()).total_seconds()
    return max(1, math.ceil(left))


def lockout_message(request: HttpRequest, username: str | None) -> str:
    until = timezone.localtime(locked_until(request, username))
    return _(
        "This account is temporarily locked after too many failed sign-in attempts. "
        "Try again after %(time)s."
    ) % {"time": date_format(until, "DATETIME_FORMAT")}


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: a locked attempt answers 429, never the page behind the login."""
    username = get_client_username(request, credentials)
    message = lockout_message(request, username)
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {"code": "account_locked", "message": message, "field": None}, status=429
        )
    else:
        form: Any = AuthenticationForm(request, initial={"username": username})
        context = {
            "form": form,
            "lockout_message": message,
            "next": request.POST.get("next", request.GET.get("next", "")),
        }
        response = render(request, "registration/login.html", context, status=429)
    response["Retry-After"] = str(lockout_seconds_left(request, username))
    return response
