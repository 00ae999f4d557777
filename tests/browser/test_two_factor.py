"""Two-factor sign-in in chromium: a staff user enrols an authenticator from the page's secret,
and a staff user with one signs in with its code after a wrong one."""

from __future__ import annotations

import re
import time
from base64 import b32decode

import pytest
from django.utils import translation
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from fixtures.demo import DEMO_PASSWORD

from .two_factor import second_factor_pass, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _(message: str) -> str:
    with translation.override("ja"):
        return translation.gettext(message)


def password_step(new_page, username: str, next_url: str = "/workspace/"):
    page = new_page()
    page.goto(f"/accounts/login/?next={next_url}")
    page.get_by_label(_("Username")).fill(username)
    page.get_by_label(_("Password")).fill(DEMO_PASSWORD)
    page.get_by_role("button", name=_("Log in"), exact=True).click()
    page.wait_for_load_state()
    return page


def test_staff_signs_in_with_a_code_after_a_wrong_one(new_page, look, people, settings):
    # a miss makes the device wait a second before the next try; the test does not wait
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    page = password_step(new_page, "approver")
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/verify/\?next=%2Fworkspace%2F$"))
    look(page, "two-factor-verify")
    # a wrong code: the error stands next to the field, and the staff pages stay shut
    right = totp_code("approver")
    page.get_by_label(_("Code"), exact=True).fill(f"{(int(right) + 500_000) % 1_000_000:06d}")
    page.get_by_role("button", name=_("Verify"), exact=True).click()
    error = page.get_by_test_id("code-error")
    expect(error).to_have_text(
        _(
            "That code is not valid. Enter the 6-digit code your authenticator app shows now, "
            "or one of your unused recovery codes."
        )
    )
    expect(page.locator("#id_code + br + #code-error")).to_be_visible()
    look(page, "two-factor-verify-wrong-code")
    page.goto("/kpis/")
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/verify/"))
    # the right code
    page.get_by_label(_("Code"), exact=True).fill(totp_code("approver"))
    page.get_by_role("button", name=_("Verify"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/kpis/$"))
    expect(page.get_by_test_id("kpis-link")).to_be_visible()


def test_staff_without_device_enrols_from_the_secret_on_the_page(new_page, look, people):
    TOTPDevice.objects.filter(user=people.finance).delete()
    page = password_step(new_page, "finance", next_url="/finance/")
    expect(page.get_by_test_id("enrol-required")).to_be_visible()
    look(page, "two-factor-enrol")
    page.get_by_role("link", name=_("Set up an authenticator app")).click()
    expect(page.locator("figure svg")).to_be_visible()
    look(page, "two-factor-authenticator-setup")
    # the authenticator app: the secret as typed by hand
    secret = page.get_by_test_id("totp-secret").inner_text().replace(" ", "")
    totp = TOTP(b32decode(secret))
    totp.time = time.time()
    page.get_by_label(_("Code"), exact=True).fill(f"{totp.token():06d}")
    page.get_by_role("button", name=_("Confirm"), exact=True).click()
    codes = page.get_by_test_id("recovery-codes").locator("code")
    expect(codes).to_have_count(10)
    shown = set(codes.all_inner_texts())
    assert shown == set(
        StaticToken.objects.filter(device__user=people.finance).values_list("token", flat=True)
    )
    look(page, "two-factor-recovery-codes")
    page.get_by_role("link", name=_("Continue"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/finance/$"))
    expect(page.get_by_test_id("finance-link")).to_be_visible()


def test_staff_registers_a_passkey_and_signs_in_with_it(
    new_page, look, people, settings, live_server
):
    """Chromium's virtual authenticator stands in for a security key (WebAuthn through CDP)."""
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    assert live_server.url.startswith("http://localhost:")
    page = password_step(new_page, "staff2", next_url="/accounts/two-factor/passkeys/")
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    second_factor_pass(page, "staff2")
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/passkeys/$"))
    # when: the passkey is registered
    page.get_by_role("button", name=_("Register a passkey")).click()
    expect(page.locator("table tbody tr")).to_have_count(1)
    look(page, "two-factor-passkeys")
    # then: the next sign-in may use it instead of a code
    page.get_by_role("button", name=_("Log out")).click()
    page.goto("/accounts/login/?next=/workspace/")
    page.get_by_label(_("Username")).fill("staff2")
    page.get_by_label(_("Password")).fill(DEMO_PASSWORD)
    page.get_by_role("button", name=_("Log in"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/verify/"))
    page.get_by_role("button", name=_("Verify with a passkey")).click()
    expect(page).to_have_url(re.compile(r"/workspace/"))
    expect(page).not_to_have_url(re.compile(r"/accounts/"))
