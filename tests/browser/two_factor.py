"""The second sign-in step in the browser, with codes computed from the user's authenticator."""

from __future__ import annotations

import re
import time

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

VERIFY_URL = re.compile(r"/accounts/two-factor/verify/")


def totp_code(username: str) -> str:
    """The code the user's authenticator app shows now; if that one was already used (the same
    user signing in twice within one 30-second step), the next step's code, which the device
    still accepts (its tolerance is one step)."""
    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if totp.t() <= device.last_t:
        totp.time = device.t0 + (device.last_t + 1) * device.step
    return f"{totp.token():0{device.digits}d}"


def second_factor_pass(page: Page, username: str) -> None:
    """After the password: enter the authenticator code if Kofu asks for one."""
    page.wait_for_load_state()
    if not VERIFY_URL.search(page.url):
        return
    page.locator("#id_code").fill(totp_code(username))
    page.locator("form:has(#id_code) button[type=submit]").click()
    expect(page).not_to_have_url(VERIFY_URL)
