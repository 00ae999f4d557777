"""Refusals of the sign-in and API token use cases."""

from __future__ import annotations

from core.errors import KofuError, ValidationFailed


class ApiTokenNotFound(KofuError):
    """No token of this user has that id (another user's token is not found either)."""

    code = "api_token_not_found"
    http_status = 404


class ApiTokenLifetimeInvalid(ValidationFailed):
    code = "api_token_lifetime_invalid"
