"""The sign-in libraries' records in the admin's language.

The administrator unlocks a locked-out user (django-axes) and removes a lost authenticator or
recovery codes (django-otp) in the admin (README, "Two-factor sign-in"). Neither library ships
Japanese, and django-otp writes its names in plain strings: Kofu's catalogue translates them
(see ``core.names``). The msgids are the libraries' own English texts.
"""

from __future__ import annotations

from django.apps import apps
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.names import model_names_translate

DEVICE_FIELDS = {
    "user": _("user"),
    "name": _("name"),
    "confirmed": _("ready for use"),
    "throttling_failure_timestamp": _("throttling failure timestamp"),
    "throttling_failure_count": _("throttling failure count"),
    "created_at": _("created at"),
    "last_used_at": _("last used at"),
}
DEVICE_HELP_TEXTS = {
    "user": _("The user that this device belongs to."),
    "name": _("The human-readable name of this device."),
    "confirmed": _("Is this device ready for use?"),
    "throttling_failure_timestamp": _(
        "A timestamp of the last failed verification attempt. Null if last attempt succeeded."
    ),
    "throttling_failure_count": _("Number of successive failed attempts."),
    "created_at": _("The date and time when this device was initially created in the system."),
    "last_used_at": _("The most recent date and time this device was used."),
}
TOTP_FIELDS = {
    "key": _("secret key"),
    "step": _("step"),
    "t0": _("t0"),
    "digits": _("digits"),
    "tolerance": _("tolerance"),
    "drift": _("drift"),
    "last_t": _("last t"),
}
TOTP_HELP_TEXTS = {
    "key": _("A hex-encoded secret key of up to 40 bytes."),
    "step": _("The time step in seconds."),
    "t0": _("The Unix time at which to begin counting steps."),
    "digits": _("The number of digits to expect in a token."),
    "tolerance": _("The number of time steps in the past or future to allow."),
    "drift": _("The number of time steps the prover is known to deviate from our clock."),
    "last_t": _(
        "The t value of the latest verified token. The next token must be at a higher time step."
    ),
}

# django-axes translates these with gettext; only its app's name is a plain string.
AXES_MSGIDS = (
    _("access attempt"),
    _("access attempts"),
    _("access log"),
    _("access logs"),
    _("access failure"),
    _("access failures"),
    _("User Agent"),
    _("IP Address"),
    _("HTTP Accept"),
    _("Path"),
    _("Attempt Time"),
    _("GET Data"),
    _("POST Data"),
    _("Failed Logins"),
    _("Logout Time"),
    _("Session key hash (sha256)"),
    _("Access lock out"),
    _("access attempt expiration"),
    _("Expires At"),
    _("Form Data"),
    _("Meta Data"),
    _("Locked Out"),
    _("Attempt Remaining"),
    _("Not set"),
    _("Clean up expired attempts"),
)


def library_names_translate() -> None:
    """Give django-otp's and django-axes's apps, models and fields translatable names."""
    apps.get_app_config("otp_totp").verbose_name = _("Two-factor: authenticator apps")
    apps.get_app_config("otp_static").verbose_name = _("Two-factor: recovery codes")
    apps.get_app_config("axes").verbose_name = _("Sign-in lockouts (Axes)")
    model_names_translate(
        TOTPDevice,
        one=_("TOTP device"),
        many=_("TOTP devices"),
        fields={**DEVICE_FIELDS, **TOTP_FIELDS},
        help_texts={**DEVICE_HELP_TEXTS, **TOTP_HELP_TEXTS},
    )
    model_names_translate(
        StaticDevice,
        one=_("static device"),
        many=_("static devices"),
        fields=DEVICE_FIELDS,
        help_texts=DEVICE_HELP_TEXTS,
    )
    model_names_translate(
        StaticToken,
        one=_("static token"),
        many=_("static tokens"),
        fields={"device": _("device"), "token": _("token")},
    )
