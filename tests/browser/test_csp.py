"""The main pages of each kind under the Content-Security-Policy, in chromium: the login page,
the applicant's portal, the staff workspace and viewflow's pages, the finance pages.
`new_page` fails the test on any violation the browser reports; this test also shows that a
violation is seen."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from fixtures.demo import advance, draft_create
from tests.browser.helpers import _, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_csp_main_pages_of_each_kind_load_without_violations(new_page, look, subsidy_round, people):
    advance(draft_create(subsidy_round, people.applicant), "submitted", vars(people))

    # the login page and the applicant's portal, under a policy that allows no inline script
    applicant = new_page()
    response = applicant.goto("/accounts/login/")
    policy = response.headers["content-security-policy"]
    directives = dict(
        directive.strip().split(" ", 1) for directive in policy.split(";") if directive.strip()
    )
    assert directives["script-src"] == "'self'"
    look(applicant, "csp-login")
    sign_in(applicant, people.applicant.username)
    expect(applicant).to_have_url(re.compile(r"/portal/$"))
    look(applicant, "csp-portal")

    # the language switch submits itself from the static script, not an inline handler
    applicant.get_by_label(_("Language")).select_option("en")
    expect(applicant.locator("html")).to_have_attribute("lang", "en")

    # the staff workspace: home, the task list, a task page; and viewflow's own pages
    staff = sign_in(new_page(), people.staff.username)
    expect(staff).to_have_url(re.compile(r"/workspace/$"))
    staff.get_by_test_id("tasks-link").click()
    staff.get_by_test_id("task-link").first.click()
    expect(staff.get_by_test_id("claim")).to_be_visible()
    look(staff, "csp-workspace-task")
    staff.goto("/staff/")
    staff.wait_for_load_state("networkidle")

    # the finance pages
    finance = sign_in(new_page(), people.finance.username)
    finance.goto("/finance/")
    expect(finance.get_by_test_id("finance-link")).to_be_visible()
    look(finance, "csp-finance")
    finance.goto("/finance/batches/")
    expect(finance.get_by_role("heading", level=1)).to_be_visible()


def test_csp_inline_script_blocked_and_reported(new_page, people):
    # the check above can fail: an inline script on a page is blocked and reported
    page = new_page()
    page.goto("/accounts/login/")
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.ran = true'; document.body.append(s); }"
    )
    expect(page.locator("body")).to_be_visible()
    page.wait_for_function("() => true")
    assert page.evaluate("() => window.ran === undefined")
    assert any("script-src" in violation for violation in new_page.csp_violations)
    new_page.csp_violations.clear()
