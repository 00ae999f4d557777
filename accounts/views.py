"""The two-factor pages: overview, verify after the password, set up an authenticator app,
recovery codes, passkeys. Rules live in accounts.services and accounts.selectors."""

from __future__ import annotations

from base64 import b32encode

import segno
from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from core.errors import KofuError

from . import services
from .selectors import recovery_codes_left, two_factor_enrolled, two_factor_required


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return "/"


def _signed_in_with(request: HttpRequest, device) -> None:
    """Mark the session as having passed the second factor, under a new session key."""
    request.session.cycle_key()
    otp_login(request, device)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from django_otp_webauthn.models import WebAuthnCredential

    user = request.user
    return render(
        request,
        "two_factor/index.html",
        {
            "required": two_factor_required(user),
            "enrolled": two_factor_enrolled(user),
            "has_authenticator": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
            "passkey_count": WebAuthnCredential.objects.filter(user=user, confirmed=True).count(),
            "recovery_left": recovery_codes_left(user),
            "next": _next_url(request),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    next_url = _next_url(request)
    if request.user.is_verified() or not two_factor_enrolled(request.user):
        return redirect(next_url)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        try:
            device = services.two_factor_verify(user=request.user, code=form.cleaned_data["code"])
        except KofuError as error:
            form.add_error(error.field, error.message)
        else:
            _signed_in_with(request, device)
            return redirect(next_url)
    from django_otp_webauthn.models import WebAuthnCredential

    has_passkey = WebAuthnCredential.objects.filter(user=request.user, confirmed=True).exists()
    return render(
        request,
        "two_factor/verify.html",
        {"form": form, "next": next_url, "has_passkey": has_passkey},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def totp_setup(request: HttpRequest) -> HttpResponse:
    next_url = _next_url(request)
    device = services.totp_device_start(user=request.user)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        try:
            device = services.totp_device_confirm(
                user=request.user, device_id=device.pk, code=form.cleaned_data["code"]
            )
        except KofuError as error:
            form.add_error(error.field, error.message)
        else:
            _signed_in_with(request, device)
            if recovery_codes_left(request.user):
                return redirect(next_url)
            codes = services.recovery_codes_regenerate(user=request.user)
            return _recovery_page(request, codes=codes, next_url=next_url)
    secret = b32encode(device.bin_key).decode()
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "two_factor/totp_setup.html",
        {
            "form": form,
            "next": next_url,
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "qr_svg": qr.svg_inline(scale=4, border=2, title=str(_("QR code of the secret"))),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    codes = None
    error = None
    if request.method == "POST":
        try:
            codes = services.recovery_codes_regenerate(user=request.user)
        except KofuError as refused:
            error = refused.message
    return _recovery_page(request, codes=codes, next_url=_next_url(request), error=error)


def _recovery_page(request, *, codes, next_url, error=None) -> HttpResponse:
    return render(
        request,
        "two_factor/recovery_codes.html",
        {
            "codes": codes,
            "left": recovery_codes_left(request.user),
            "next": next_url,
            "error": error,
        },
        status=403 if error else 200,
    )


@login_required
def passkeys(request: HttpRequest) -> HttpResponse:
    from django_otp_webauthn.models import WebAuthnCredential

    credentials = WebAuthnCredential.objects.filter(user=request.user, confirmed=True).order_by(
        "pk"
    )
    return render(
        request,
        "two_factor/passkeys.html",
        {"credentials": credentials, "next": _next_url(request)},
    )


urlpatterns = [
    path("", index, name="index"),
    path("verify/", verify, name="verify"),
    path("authenticator/", totp_setup, name="totp_setup"),
    path("recovery-codes/", recovery_codes, name="recovery_codes"),
    path("passkeys/", passkeys, name="passkeys"),
]
