"""The reviewer's review page of an award nomination: the nomination in full (what the nominator
wrote, its documents, the subsidies it cites and their reported outcomes) beside the rubric and
its descriptors; blind to the other reviewers' scores; nothing at all for a recused or
conflicted reviewer; a refused score comes back beside its criterion with the input kept."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from outcomes.models import OutcomeReport
from screening import committee
from screening.models import ConflictOfInterest, Descriptor, ReviewAssignment
from screening.selectors import review_item_for
from tests.awards.helpers import ACHIEVEMENTS, SUMMARY

from .helpers import deadline_passes
from .nomination_review import (
    DESCRIPTORS,
    DOCUMENT,
    DOCUMENT_DESCRIPTION,
    assignment_of,
    award_rubric_create,
    nomination_before_committee,
    paid_subsidy_create,
)

pytestmark = pytest.mark.django_db
S = ReviewAssignment.Status
OTHER_COMMENT = "他の委員だけが知る講評"


@pytest.fixture
def paid_subsidy(reference, people, run_on_commit):
    return paid_subsidy_create(people, run_on_commit)


@pytest.fixture
def nomination(paid_subsidy, people, reviewers):
    return nomination_before_committee(people, reviewers, cite=paid_subsidy)


@pytest.fixture
def mine(nomination, reviewers):
    """Reviewer 1's assignment: the reviewer these tests open the page as."""
    return assignment_of(nomination, reviewers[0])


@pytest.fixture
def theirs(nomination, reviewers):
    """Reviewer 2's assignment on the same nomination."""
    return assignment_of(nomination, reviewers[1])


def page_of(client, user, assignment) -> str:
    client.force_login(user)
    response = client.get(f"/reviews/{assignment.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def between(html: str, start: str, end: str) -> str:
    """The part of the page from ``start`` up to the next ``end``."""
    part = html[html.index(start) :]
    return part[: part.index(end)]


def nomination_traces(nomination) -> list[str]:
    """What only the nomination's page may show: its text, its document, the cited subsidy."""
    return [SUMMARY, ACHIEVEMENTS, DOCUMENT, DOCUMENT_DESCRIPTION, *reported_references()]


def reported_references() -> list[str]:
    return [report.application.reference for report in OutcomeReport.objects.all()]


# --- what the reviewer reads -------------------------------------------------------------------


def test_review_page_shows_what_the_nominator_wrote(nomination, mine, client):
    html = page_of(client, mine.reviewer, mine)

    nominee = nomination.company
    assert SUMMARY in html and ACHIEVEMENTS in html
    assert nomination.round.name in html
    assert nominee.name in html and nominee.corporate_number in html
    assert "自薦" in between(html, 'data-testid="nominator"', "</dd>")
    received = timezone.localtime(nomination.received_at)
    assert f"{received.year}年{received.month}月{received.day}日" in html


def test_review_page_links_each_document_to_its_download(nomination, mine, client):
    html = page_of(client, mine.reviewer, mine)

    document = nomination.documents.get()
    url = reverse("documents:nomination", args=[document.pk])
    link = between(html, 'data-testid="document-link"', "</a>")
    assert DOCUMENT in link
    assert f'<a href="{url}" download data-testid="document-link">' in html
    assert DOCUMENT_DESCRIPTION in between(html, 'data-testid="documents"', "</ul>")

    download = client.get(url)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")


def test_review_page_shows_cited_subsidies_with_their_reported_outcomes(
    nomination, paid_subsidy, mine, client
):
    html = page_of(client, mine.reviewer, mine)

    card = between(html, 'data-testid="cited-subsidy"', "</article>")
    assert paid_subsidy.reference in card
    assert f"{paid_subsidy.confirmed_amount:,}円" in card
    assert "提出済み" in between(card, 'data-testid="outcome-status"', "</dd>")
    overtime = between(card, 'data-measure="overtime_hours"', "</li>")
    assert "従業員1人当たり月平均残業時間" in overtime
    assert "24.5" in overtime and "18.5" in overtime  # the baseline beside the reported value
    sales = between(card, 'data-measure="annual_sales"', "</li>")
    assert "480,000,000" in sales and "520,000,000" in sales


def test_review_page_cited_subsidy_without_a_report_says_so(nomination, paid_subsidy, mine, client):
    OutcomeReport.objects.filter(application=paid_subsidy).delete()

    card = between(
        page_of(client, mine.reviewer, mine), 'data-testid="cited-subsidy"', "</article>"
    )

    assert paid_subsidy.reference in card
    assert 'data-testid="outcomes"' not in card
    assert "まだ求められていません" in card


def test_review_page_rubric_gives_each_score_its_descriptor(mine, client):
    html = page_of(client, mine.reviewer, mine)

    group = between(html, "<fieldset", "</fieldset>")
    assert re.search(r"<legend>経営戦略", group)
    for score, text in enumerate(DESCRIPTORS["strategy"], start=1):
        option = between(group, f'<label for="id_score_strategy_{score - 1}">', "</label>")
        assert f'value="{score}"' in option
        assert text in option  # empty for 2 and 4, which have no descriptor
    assert '<label for="id_comment">' in html


# --- blind review ------------------------------------------------------------------------------


def test_review_page_never_shows_another_reviewers_scores_before_ones_own(mine, theirs, client):
    committee.scores_submit(
        assignment_id=theirs.pk,
        by=theirs.reviewer,
        scores={"strategy": 2, "results": 5},
        comment=OTHER_COMMENT,
    )

    shown = page_of(client, mine.reviewer, mine)
    refused = client.post(f"/reviews/{mine.pk}/scores/", {"score_strategy": "4"}).content.decode()

    for html in (shown, refused):
        assert OTHER_COMMENT not in html
        assert 'data-testid="score-row"' not in html
        assert theirs.reviewer.get_username() not in html
    # nothing is chosen for the reviewer but what they sent themselves
    assert shown.count(" checked") == 0
    assert refused.count(" checked") == 1
    assert "checked" in between(refused, '<label for="id_score_strategy_3">', "</label>")


# --- recused and conflicted reviewers ------------------------------------------------------------


def test_recused_reviewer_gets_nothing_of_the_nomination(nomination, mine, client):
    client.force_login(mine.reviewer)
    recused = client.post(f"/reviews/{mine.pk}/recuse/", {"reason": "取引先の役員を兼ねている"})
    assert recused.status_code == 302
    mine.refresh_from_db()
    assert mine.status == S.RECUSED

    document = nomination.documents.get()
    responses = [
        client.get(f"/reviews/{mine.pk}/"),
        client.post(f"/reviews/{mine.pk}/scores/", {"score_strategy": "5", "score_results": "5"}),
        client.get(reverse("documents:nomination", args=[document.pk])),
    ]
    assert [response.status_code for response in responses] == [404, 404, 404]
    for response in [*responses, client.get("/reviews/")]:
        html = response.content.decode()
        for trace in [*nomination_traces(nomination), nomination.reference]:
            assert trace not in html


def test_conflicted_reviewer_gets_nothing_of_the_nomination(nomination, mine, client):
    ConflictOfInterest.objects.create(
        reviewer=mine.reviewer, company=nomination.company, reason="株主", source="declared"
    )

    client.force_login(mine.reviewer)
    response = client.get(f"/reviews/{mine.pk}/")

    assert response.status_code == 404
    for trace in nomination_traces(nomination):
        assert trace not in response.content.decode()


# --- a score that comes back ---------------------------------------------------------------------


def test_invalid_score_comes_back_with_the_error_beside_it_and_the_input_kept(mine, client):
    client.force_login(mine.reviewer)

    response = client.post(
        f"/reviews/{mine.pk}/scores/",
        {"score_strategy": "4", "score_results": "9", "comment": "現場主導の改善が具体的"},
    )

    assert response.status_code == 400
    html = response.content.decode()
    summary = between(html, 'class="k-error-summary"', "</div>")
    assert 'href="#id_score_results_0"' in summary
    assert "9" in summary and "1" in summary and "5" in summary
    results = between(
        html, '<fieldset class="k-field" aria-describedby="id_score_results_error"', "</fieldset>"
    )
    error = between(results, '<ul class="errorlist" id="id_score_results_error">', "</ul>")
    assert "9" in error
    assert results.index("id_score_results_error") < results.index('type="radio"')
    strategy = between(html, '<label for="id_score_strategy_3">', "</label>")
    assert 'value="4"' in strategy and "checked" in strategy
    assert "現場主導の改善が具体的</textarea>" in html
    assert SUMMARY in html  # the nomination is still beside the form
    mine.refresh_from_db()
    assert mine.status == S.ASSIGNED and not mine.scores.exists()


def test_missing_score_names_the_criterion_in_the_summary(mine, client):
    client.force_login(mine.reviewer)

    response = client.post(f"/reviews/{mine.pk}/scores/", {"score_results": "3"})

    assert response.status_code == 400
    summary = between(response.content.decode(), 'class="k-error-summary"', "</div>")
    assert re.search(r'href="#id_score_strategy_0">経営戦略: .*1.*5', summary)


def test_score_after_the_deadline_is_refused_on_the_page(nomination, mine, client):
    client.force_login(mine.reviewer)
    deadline_passes(review_item_for(nomination).panel)

    response = client.post(
        f"/reviews/{mine.pk}/scores/", {"score_strategy": "4", "score_results": "4"}
    )

    assert response.status_code == 400
    summary = between(response.content.decode(), 'class="k-error-summary"', "</div>")
    assert "審査期限" in summary
    assert not mine.scores.exists()


def test_valid_scores_are_recorded_and_the_page_shows_them(mine, client):
    client.force_login(mine.reviewer)

    response = client.post(
        f"/reviews/{mine.pk}/scores/",
        {"score_strategy": "4", "score_results": "5", "comment": "成果が数値で明確"},
        follow=True,
    )

    assert response.status_code == 200
    assert dict(mine.scores.values_list("criterion__code", "value")) == {
        "strategy": 4,
        "results": 5,
    }
    html = response.content.decode()
    assert 'name="score_strategy"' not in html
    row = between(html, 'data-testid="score-row"', "</tr>")
    assert "成果が数値で明確" in row


def test_recusal_without_a_reason_comes_back_open_with_the_error(mine, client):
    client.force_login(mine.reviewer)

    response = client.post(f"/reviews/{mine.pk}/recuse/", {"reason": "  "})

    assert response.status_code == 400
    html = response.content.decode()
    assert '<details class="k-confirm" open>' in html
    assert 'href="#id_reason"' in between(html, 'class="k-error-summary"', "</div>")
    assert 'aria-describedby="id_reason_helptext id_reason_error"' in html
    mine.refresh_from_db()
    assert mine.status == S.ASSIGNED


# --- descriptors -------------------------------------------------------------------------------


def test_descriptor_outside_the_rubrics_scale_is_refused(db):
    criterion = award_rubric_create().criteria.first()

    with pytest.raises(ValidationError) as refused:
        Descriptor(criterion=criterion, score=6, text_ja="満点超", text_en="x").full_clean()

    assert "score" in refused.value.message_dict
