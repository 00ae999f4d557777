"""The public list of declarations, searched as a visitor types: htmx swaps the results in
place (the address follows the search), and the same form works as a plain GET without it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from declarations import services as declaration_services
from tests.browser.helpers import _
from tests.declarations.helpers import registered_declaration

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _published(member, staff, **overrides):
    declaration = registered_declaration(member, staff, **overrides)
    return declaration_services.declaration_consent_set(
        declaration_id=declaration.pk, by=member, publish=True
    )


def test_visitor_searches_declared_companies(new_page, look, people):
    first = _published(people.applicant, people.staff, goals="生成AIで見積作成を半分の時間にする")
    second = _published(people.other_applicant, people.staff, goals="全員が簿記2級を取る")

    page = new_page()
    page.goto("/declarations/")
    rows = page.get_by_test_id("declarations").locator("tbody tr")
    expect(rows).to_have_count(2)
    look(page, "public-declarations")

    # typing narrows the list in place: no new page, the address carries the search
    page.evaluate("window.kofuSamePage = true")
    page.get_by_label(_("Search by company name, kana, corporate number or goal")).fill("簿記")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(second.company.name)
    expect(page).to_have_url(re.compile(r"q=%E7%B0%BF%E8%A8%98"))
    assert page.evaluate("window.kofuSamePage") is True
    look(page, "public-declarations-search")

    # nothing found says so
    page.get_by_label(_("Search by company name, kana, corporate number or goal")).fill("該当なし")
    expect(page.get_by_role("status")).to_contain_text("0")
    expect(page.get_by_test_id("declarations")).to_contain_text(
        _("No registered declaration matches the search.")
    )

    # the address of a search is a page of its own (a plain GET, as without JavaScript)
    page.goto(f"/declarations/?q={first.company.name}")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(first.company.name)
