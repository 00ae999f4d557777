"""Writes of the accounts app: two-factor sign-in (enrolling an authenticator app, recovery
codes, checking a code) and API tokens."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .exceptions import TwoFactorCodeInvalid, TwoFactorNotEnrolled

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser
    from django_otp.models import Device
import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from .exceptions import ApiTokenLifetimeInvalid, ApiTokenNotFound
from .models import ApiToken

AUTHENTICATOR_NAME = "authenticator"
RECOVERY_NAME = "recovery"


@transaction.atomic
def totp_device_start(*, user: AbstractBaseUser) -> TOTPDevice:
    """The authenticator being set up: an unconfirmed TOTP device with a fresh secret, the same
    one on each visit until it is confirmed with a code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


@transaction.atomic
def totp_device_confirm(*, user: AbstractBaseUser, device_id: int, code: str) -> TOTPDevice:
    """Confirm the authenticator being set up with a code it shows; it replaces any earlier
    authenticator of the user. Refuses a wrong code."""
    device = (
        TOTPDevice.objects.select_for_update()
        .filter(user=user, pk=device_id, confirmed=False)
        .first()
    )
    if device is None or not device.verify_token(code.strip()):
        raise TwoFactorCodeInvalid()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    return device


@transaction.atomic
def recovery_codes_regenerate(*, user: AbstractBaseUser) -> list[str]:
    """A new set of one-time recovery codes; the earlier ones stop working. The codes are
    returned once, to be shown once."""
    has_other_factor = TOTPDevice.objects.filter(user=user, confirmed=True).exists() or (
        _passkeys(user).exists()
    )
    if not has_other_factor:
        raise TwoFactorNotEnrolled()
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(settings.KOFU_TWO_FACTOR_RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def two_factor_verify(*, user: AbstractBaseUser, code: str) -> Device:
    """The device that accepts this code: six digits are asked of the authenticator, anything
    else of the recovery codes (a used one is deleted). Refuses a code no device accepts.

    The devices' throttling (a growing wait after each miss) must survive the refusal, so the
    check commits before the error is raised rather than rolling back with it."""
    code = "".join(code.split()).lower()
    model = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    accepted = None
    if code:
        with transaction.atomic():
            devices = model.objects.devices_for_user(user, confirmed=True).select_for_update()
            accepted = next((device for device in devices if device.verify_token(code)), None)
    if accepted is None:
        raise TwoFactorCodeInvalid()
    return accepted


def _passkeys(user: AbstractBaseUser):
    from django_otp_webauthn.models import WebAuthnCredential

    return WebAuthnCredential.objects.filter(user=user, confirmed=True)


TOKEN_PREFIX = "kofu_"  # noqa: S105 - marks Kofu tokens, not a secret


def api_token_digest(token: str) -> str:
    """The token's SHA-256: it carries 256 random bits, so a fast hash suffices to store it."""
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: Any, name: str, lifetime_days: int) -> tuple[ApiToken, str]:
    """Create a named token expiring after ``lifetime_days``; return it with the plain token,
    which is not stored and cannot be shown again."""
    maximum = settings.KOFU_API_TOKEN_MAX_DAYS
    if not 1 <= lifetime_days <= maximum:
        raise ApiTokenLifetimeInvalid(
            _("A token lasts from 1 to %(max)d days.") % {"max": maximum}, field="lifetime_days"
        )
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        name=name.strip(),
        prefix=plain[: len(TOKEN_PREFIX) + 6],
        digest=api_token_digest(plain),
        created_at=now,
        expires_at=now + timedelta(days=lifetime_days),
    )
    return token, plain


@transaction.atomic
def api_token_revoke(*, token_id: int, by: Any) -> ApiToken:
    """Revoke one of the user's own tokens; revoking it again changes nothing."""
    token = ApiToken.objects.select_for_update().filter(pk=token_id, user=by).first()
    if token is None:
        raise ApiTokenNotFound(_("You have no API token with this id."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_authenticate(*, token: str) -> Any | None:
    """The active user a live token belongs to, or None (unknown, revoked, expired)."""
    now = timezone.now()
    found = (
        ApiToken.objects.select_related("user")
        .filter(digest=api_token_digest(token), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if found is None or not found.user.is_active:
        return None
    # one write a minute at most, not one per request
    if found.last_used_at is None or now - found.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
    return found.user
