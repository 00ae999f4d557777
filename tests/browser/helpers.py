"""What every browser walkthrough needs: the Japanese a user sees, form labels as Django prints
them, and signing in through the login page."""

from __future__ import annotations

import re

from django.utils import translation
from playwright.sync_api import Page, expect

from fixtures.demo import DEMO_PASSWORD

from .two_factor import second_factor_pass


def _(message: str) -> str:
    """``message`` as a Japanese user's browser shows it."""
    with translation.override("ja"):
        return translation.gettext(message)


def field(label: str) -> re.Pattern[str]:
    """A form label exactly, with or without Django's label suffix."""
    return re.compile(rf"^\s*{re.escape(label)}\s*[:：]?\s*$")


def sign_in(page: Page, username: str) -> Page:
    """Sign ``page`` in through the login page (and the second step, with a code from the user's
    authenticator, where Kofu asks for one)."""
    page.goto("/accounts/login/")
    page.get_by_label(_("Username")).fill(username)
    page.get_by_label(_("Password")).fill(DEMO_PASSWORD)
    page.get_by_role("button", name=_("Log in"), exact=True).click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
    second_factor_pass(page, username)
    return page


def log_in(new_page, username: str) -> Page:
    """A browser of the user's own, signed in."""
    return sign_in(new_page(), username)
