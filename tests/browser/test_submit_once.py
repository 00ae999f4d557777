"""A form that changes something is sent once: while the server works, its buttons are disabled
and a second click or a second Enter sends nothing (static/kofu/kofu.js)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from fixtures.demo import DEMO_PASSWORD
from tests.browser.helpers import _

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_form_is_sent_once_while_the_server_works(new_page, people):
    page = new_page()
    page.goto("/accounts/login/")
    page.get_by_label(_("Username")).fill(people.applicant.username)
    page.get_by_label(_("Password")).fill(DEMO_PASSWORD)

    # The server answers the POST with 204 No Content, so the browser stays on the page as it
    # was while the request was in flight (and as it is after a form that answers with a download).
    posts = []

    def answer(route):
        if route.request.method != "POST":
            return route.continue_()
        posts.append(route.request.post_data)
        return route.fulfill(status=204)

    page.route("**/accounts/login/**", answer)
    button = page.get_by_role("button", name=_("Log in"), exact=True)
    button.click()
    expect(button).to_be_disabled()
    expect(page.locator("form").filter(has=button)).to_have_attribute("aria-busy", "true")
    assert len(posts) == 1 and "password=" in posts[0]

    # a second Enter submits the form again: that submit is cancelled, nothing more is sent
    cancelled = page.evaluate(
        """() => !document.querySelector('form[aria-busy]')
               .dispatchEvent(new SubmitEvent('submit', {bubbles: true, cancelable: true}))"""
    )
    assert cancelled
    assert len(posts) == 1


def test_a_form_a_handler_cancels_stays_usable(new_page, people):
    """When another script cancels the submit (a confirmation answered "no"), nothing is
    disabled: the user can change their mind and send it."""
    page = new_page()
    page.goto("/accounts/login/")
    page.evaluate(
        """document.querySelector('form:not([action])')
               .addEventListener('submit', (e) => e.preventDefault(), {once: true})"""
    )
    button = page.get_by_role("button", name=_("Log in"), exact=True)
    button.click()
    expect(button).to_be_enabled()
    assert page.evaluate("document.querySelector('form:not([action])').dataset.submitted") is None
