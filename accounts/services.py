"""Two-factor sign-in: enrolling an authenticator app, recovery codes, checking a code."""

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
