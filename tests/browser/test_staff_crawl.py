"""Every page each staff-side role reaches from its home by following links, in Japanese: each
is looked at (screenshots at 1366 and 390 px in test-artifacts/, axe-core failing on a serious
or critical finding) and shows no English the catalogue translates, no untranslated msgid and
no raw code (tests/browser/crawl.py). A list's sort orders, pages and filters count as one page.
The data is the demo's, with the crawl's own additions (tests/browser/test_crawl.py)."""

from __future__ import annotations

import pytest

from tests.browser.crawl import crawl
from tests.browser.helpers import log_in
from tests.browser.test_crawl import demo, usernames  # noqa: F401  (the fixture)


def entered() -> tuple[str, ...]:
    """Text the pages show as people entered it: usernames, and what an English-speaking
    applicant wrote in a declaration or nomination (the demo has one)."""
    from awards.models import Nomination
    from declarations.models import Declaration

    written = [
        *Declaration.objects.values_list("goals", "measures", "responsible_title"),
        *Nomination.objects.values_list("summary", "achievements", "nominator_organisation"),
    ]
    lines = {line.strip() for row in written for text in row for line in text.splitlines()}
    return (*usernames(), *sorted(filter(None, lines), key=len, reverse=True))


# How many pages each role reaches at least: its home, lists and records.
REACHES = {"staff": 15, "approver": 8, "finance": 8, "auditor": 10}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", list(REACHES))
def test_every_page_of_a_staff_role_is_accessible_and_in_japanese(
    new_page,
    live_server,
    demo,  # noqa: F811
    role,
):
    page = log_in(new_page, role)
    result = crawl(page, live_server.url, ["/"], role, data=entered(), limit=40, path_once=True)
    print(f"\n{len(result.pages)} pages: {result.pages}\ndownloads: {result.downloads}")
    assert len(result.pages) >= REACHES[role]
    if result.problems():
        pytest.fail(result.problems(), pytrace=False)
