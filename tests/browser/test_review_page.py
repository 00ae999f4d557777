"""A committee reviewer scores an award nomination on the review page, in Japanese, at a laptop's
and a phone's width: the nomination beside the rubric (one above the other on a phone), a
refused score beside its criterion with what was entered kept, then scores that are taken."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.awards.helpers import SUMMARY
from tests.browser.crawl import OPEN_DETAILS, VISIBLE_TEXT, english_of_catalogue, untranslated
from tests.browser.helpers import _, log_in
from tests.screening.nomination_review import (
    CRITERIA,
    DESCRIPTORS,
    DOCUMENT,
    assignment_of,
    nomination_before_committee,
    paid_subsidy_create,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COMMENT = "経営層の関与が明確で、残業の削減が数値で示されている。"


@pytest.fixture
def nomination(reference, people, reviewers, run_on_commit):
    return nomination_before_committee(
        people, reviewers, cite=paid_subsidy_create(people, run_on_commit)
    )


def english_shown(page, *data: str) -> list[str]:
    """English the Japanese page shows (its <details> opened), but for ``data`` as entered."""
    page.evaluate(OPEN_DETAILS)
    return untranslated(page.evaluate(VISIBLE_TEXT), english_of_catalogue(), data)


def boxes(page) -> tuple[dict, dict]:
    subject = page.locator(".k-review__subject").bounding_box()
    rubric = page.locator(".k-review__rubric").bounding_box()
    assert subject is not None and rubric is not None
    return subject, rubric


def test_reviewer_scores_a_nomination_beside_it(new_page, nomination, reviewers, look):
    mine = assignment_of(nomination, reviewers[0])
    page = log_in(new_page, reviewers[0].username)
    page.goto(f"/reviews/{mine.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(nomination.company.name)
    expect(page.get_by_test_id("summary")).to_contain_text(SUMMARY)
    expect(page.get_by_role("link", name=DOCUMENT)).to_have_attribute("download", "")
    expect(page.get_by_test_id("cited-subsidy")).to_contain_text(
        nomination.cited_applications.get().reference
    )
    strategy = page.get_by_role("group", name=CRITERIA["strategy"])
    expect(strategy.get_by_role("radio", name=DESCRIPTORS["strategy"][0])).to_be_visible()

    # side by side on a laptop, one above the other on a phone
    page.set_viewport_size({"width": 1366, "height": 900})
    subject, rubric = boxes(page)
    assert rubric["x"] >= subject["x"] + subject["width"] and abs(rubric["y"] - subject["y"]) < 2
    page.set_viewport_size({"width": 390, "height": 844})
    subject, rubric = boxes(page)
    assert rubric["y"] >= subject["y"] + subject["height"] and abs(rubric["x"] - subject["x"]) < 2
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    look(page, "review-page")
    assert english_shown(page, reviewers[0].username) == []

    # a score left out: the page comes back with the error beside that criterion, input kept
    page.set_viewport_size({"width": 1366, "height": 900})
    strategy.get_by_label("4", exact=True).check()
    page.get_by_label(_("Comment")).fill(COMMENT)
    page.get_by_role("button", name=_("Submit scores"), exact=True).click()
    message = _("Choose a score from %(low)s to %(high)s.") % {"low": 1, "high": 5}
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name=re.compile(CRITERIA["results"]))).to_have_attribute(
        "href", "#id_score_results_0"
    )
    results = page.get_by_role("group", name=CRITERIA["results"])
    expect(results.locator(".errorlist")).to_have_text(message)
    expect(results).to_have_accessible_description(re.compile(re.escape(message)))
    expect(
        page.get_by_role("group", name=CRITERIA["strategy"]).get_by_label("4", exact=True)
    ).to_be_checked()
    expect(page.get_by_label(_("Comment"))).to_have_value(COMMENT)
    mine.refresh_from_db()
    assert not mine.scores.exists()
    look(page, "review-page-error")

    # every criterion scored: the scores are taken and the reviewer's own row is shown
    results.get_by_role("radio", name=re.compile(f"^5 {DESCRIPTORS['results'][4]}")).check()
    page.get_by_role("button", name=_("Submit scores"), exact=True).click()
    expect(page.get_by_text(_("Scores submitted."))).to_be_visible()
    expect(page.get_by_test_id("score-row")).to_have_count(1)
    expect(page.get_by_test_id("score-row")).to_contain_text(COMMENT)
    assert dict(mine.scores.values_list("criterion__code", "value")) == {
        "strategy": 4,
        "results": 5,
    }
    look(page, "review-page-scored")
    assert english_shown(page, reviewers[0].username) == []
