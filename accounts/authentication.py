"""How programs authenticate to the API: a bearer token, or HTTP Basic when it is turned on."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import (
    BaseAuthentication,
    BasicAuthentication,
    get_authorization_header,
)
from rest_framework.request import Request

from .lockout import lockout_message, lockout_seconds_left
from .services import api_token_authenticate


class AccountLocked(exceptions.APIException):
    """Too many wrong passwords for this username from this address (django-axes)."""

    status_code = 429
    default_code = "account_locked"

    def __init__(self, message: str, *, wait: int):
        super().__init__(message, code=self.default_code)
        self.wait = wait  # DRF sends it as Retry-After


class ApiTokenAuthentication(BaseAuthentication):
    """``Authorization: Bearer kofu_…`` with a token of accounts.ApiToken."""

    keyword = b"bearer"

    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("The Bearer header takes one token."))
        try:
            token = parts[1].decode()
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(
                _("Invalid, expired or revoked API token.")
            ) from None
        user = api_token_authenticate(token=token)
        if user is None:
            raise exceptions.AuthenticationFailed(_("Invalid, expired or revoked API token."))
        return user, None

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


class LockoutBasicAuthentication(BasicAuthentication):
    """HTTP Basic, only when KOFU_API_BASIC_AUTH is on: it hashes the password on every request.

    Wrong passwords count toward the same lockout as the login page; a locked username and
    address get 429 with {code: "account_locked"} and Retry-After, even with the right password.
    """

    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        if not settings.KOFU_API_BASIC_AUTH:
            return None
        return super().authenticate(request)

    def authenticate_credentials(
        self, userid: str, password: str, request: Request | None = None
    ) -> tuple[Any, None]:
        try:
            return super().authenticate_credentials(userid, password, request)
        except exceptions.AuthenticationFailed as failed:
            # axes marks the request it was given (DRF's) when this failure locks or is locked
            if request is not None and getattr(request, "axes_locked_out", False):
                raise AccountLocked(
                    lockout_message(request, userid), wait=lockout_seconds_left(request, userid)
                ) from failed
            raise
