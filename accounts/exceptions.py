"""Refusals of the sign-in use cases (two-factor, API tokens), each with a stable code."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.errors import KofuError, NotAllowed, ValidationFailed


class TwoFactorCodeInvalid(ValidationFailed):
    """The code matched none of the user's devices (or the device is throttled after misses)."""

    code = "two_factor_code_invalid"

    def __init__(self) -> None:
        super().__init__(
            _(
                "That code is not valid. Enter the 6-digit code your authenticator app shows "
                "now, or one of your unused recovery codes."
            ),
            field="code",
        )


class TwoFactorNotEnrolled(NotAllowed):
    """Recovery codes back up an authenticator or a passkey; there is neither yet."""

    code = "two_factor_not_enrolled"

    def __init__(self) -> None:
        super().__init__(
            _("Set up an authenticator app or a passkey first; recovery codes back them up.")
        )


class TwoFactorRequired(NotAllowed):
    """A signed-in user who must pass the second factor has not yet."""

    code = "two_factor_required"

    def __init__(self) -> None:
        super().__init__(
            _(
                "Your role requires two-factor sign-in: finish it in the browser "
                "(the two-factor page) before using this."
            )
        )


class ApiTokenNotFound(KofuError):
    """No token of this user has that id (another user's token is not found either)."""

    code = "api_token_not_found"
    http_status = 404


class ApiTokenLifetimeInvalid(ValidationFailed):
    code = "api_token_lifetime_invalid"
