"""Scoring: blind until one's own scores are in, checked against the rubric, by the assignee,
before the deadline; a missed deadline closes the assignment; reminders go out once."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from audit.models import AuditEvent
from core.dates import JST
from core.errors import InvalidState, NotAllowed, ValidationFailed
from notifications.models import Notification
from screening import committee
from screening.exceptions import DeadlinePassed
from screening.models import ReviewAssignment, ReviewPanel, Score
from screening.selectors import scores_visible_to
from screening.signals import assignment_closed

from .helpers import deadline_passes, register, score, subjects

pytestmark = pytest.mark.django_db
S = ReviewAssignment.Status


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def pair(subsidy_round, companies, people, reviewers, make_panel):
    """One item and its two reviewers' assignments (A = reviewer1, B = reviewer2)."""
    panel = make_panel(reviewers[:2], per_item=2)
    (item,) = register(panel, subjects(subsidy_round, companies, people, 1))
    a, b = committee.reviewers_assign(item_id=item.pk)
    return a, b


@pytest.fixture
def closed():
    sent = []

    def receiver(sender, assignment, **kwargs):
        sent.append((assignment.pk, assignment.status))

    assignment_closed.connect(receiver)
    yield sent
    assignment_closed.disconnect(receiver)


# --- blind scoring -------------------------------------------------------------------------------


def test_blind_scoring_other_scores_only_after_submitting_own(pair, people, chair):
    a, b = pair
    score(a, 5, 2, comment="地域への波及が大きい")

    assert scores_visible_to(b.reviewer, b.item) == []
    assert len(scores_visible_to(a.reviewer, a.item)) == 2  # A submitted: sees all there is
    assert len(scores_visible_to(people.staff, a.item)) == 2
    assert len(scores_visible_to(chair, a.item)) == 2
    assert scores_visible_to(people.approver, a.item) == []

    score(b, 3, 4)

    seen = {
        (s.assignment.reviewer_id, s.criterion.code, s.value)
        for s in scores_visible_to(b.reviewer, b.item)
    }
    assert seen == {
        (a.reviewer_id, "impact", 5),
        (a.reviewer_id, "feasibility", 2),
        (b.reviewer_id, "impact", 3),
        (b.reviewer_id, "feasibility", 4),
    }


def test_blind_scoring_through_the_api(pair):
    a, b = pair
    score(a, 5, 2)
    client = api(b.reviewer)

    before = client.get(f"/api/reviews/{b.pk}/").json()
    assert before["scores"] == []
    assert [c["code"] for c in before["criteria"]] == ["impact", "feasibility"]
    assert (before["scale_min"], before["scale_max"]) == (1, 5)

    submitted = client.post(
        f"/api/reviews/{b.pk}/scores/", {"scores": {"impact": 3, "feasibility": 4}}, format="json"
    )

    assert submitted.status_code == 200, submitted.json()
    assert submitted.json()["status"] == "submitted"
    reviewers_seen = {row["reviewer"] for row in submitted.json()["scores"]}
    assert reviewers_seen == {a.reviewer.get_username(), b.reviewer.get_username()}


def test_blind_scoring_on_the_web_page(pair, client):
    a, b = pair
    score(a, 5, 2, comment="地域への波及が大きい")
    client.force_login(b.reviewer)

    before = client.get(f"/reviews/{b.pk}/").content.decode()
    assert "地域への波及が大きい" not in before
    assert 'data-testid="score-row"' not in before
    assert 'name="score_impact"' in before

    client.post(f"/reviews/{b.pk}/scores/", {"score_impact": "3", "score_feasibility": "4"})

    after = client.get(f"/reviews/{b.pk}/").content.decode()
    assert "地域への波及が大きい" in after
    assert after.count('data-testid="score-row"') == 2
    assert 'name="score_impact"' not in after


# --- validation ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scores", "field"),
    [
        ({"impact": 0, "feasibility": 3}, "scores.impact"),
        ({"impact": 3, "feasibility": 6}, "scores.feasibility"),
        ({"impact": 3}, "scores.feasibility"),
        ({"impact": 3, "feasibility": 3, "novelty": 3}, "scores"),
        ({"impact": True, "feasibility": 3}, "scores.impact"),
    ],
)
def test_scores_submit_invalid_scores_refused_nothing_written(pair, scores, field):
    a, _ = pair

    with pytest.raises(ValidationFailed) as refused:
        committee.scores_submit(assignment_id=a.pk, by=a.reviewer, scores=scores)

    assert refused.value.field == field
    assert not Score.objects.exists()
    a.refresh_from_db()
    assert a.status == S.ASSIGNED


def test_scores_submit_on_the_scale_edges_accepted(pair):
    a, _ = pair

    score(a, 1, 5)

    assert sorted(Score.objects.values_list("criterion__code", "value")) == [
        ("feasibility", 5),
        ("impact", 1),
    ]


def test_scores_submit_by_staff_not_the_assignee_refused(pair, people):
    a, _ = pair
    with pytest.raises(NotAllowed):
        committee.scores_submit(
            assignment_id=a.pk, by=people.staff, scores={"impact": 3, "feasibility": 3}
        )
    assert not Score.objects.exists()


def test_scores_submit_by_the_other_reviewer_404_over_the_api(pair):
    a, b = pair

    response = api(b.reviewer).post(
        f"/api/reviews/{a.pk}/scores/", {"scores": {"impact": 3, "feasibility": 3}}, format="json"
    )

    assert response.status_code == 404
    assert not Score.objects.exists()


def test_scores_submit_after_deadline_refused(pair):
    a, _ = pair
    deadline_passes(a.item.panel)

    with pytest.raises(DeadlinePassed) as refused:
        score(a, 3, 3)

    assert refused.value.http_status == 409
    assert not Score.objects.exists()


def test_scores_submit_api_invalid_score_400_with_field(pair):
    a, _ = pair

    response = api(a.reviewer).post(
        f"/api/reviews/{a.pk}/scores/", {"scores": {"impact": 9, "feasibility": 3}}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["field"] == "scores.impact"


def test_scores_submit_twice_refused(pair):
    a, _ = pair
    score(a, 3, 3)

    with pytest.raises(InvalidState):
        score(a, 4, 4)

    assert Score.objects.filter(value=4).count() == 0


def test_scores_submit_audits_scores_and_signals_closed(pair, closed):
    a, _ = pair

    score(a, 4, 2, comment="good")

    event = AuditEvent.objects.get(action="scores_submit")
    assert (event.subject_type, event.subject_id) == ("screening.reviewitem", str(a.item_id))
    assert event.data["scores"] == {"impact": 4, "feasibility": 2}
    assert (event.from_status, event.to_status) == ("assigned", "submitted")
    assert closed == [(a.pk, S.SUBMITTED)]


# --- deadline and reminders ----------------------------------------------------------------


def test_assignment_miss_after_deadline_closes_once(pair, closed):
    a, b = pair
    score(b, 3, 3)
    closed.clear()
    deadline_passes(a.item.panel)

    committee.assignment_miss(assignment_id=a.pk)
    committee.assignment_miss(assignment_id=a.pk)
    committee.assignment_miss(assignment_id=b.pk)  # scored: stays submitted

    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, b.status) == (S.MISSED, S.SUBMITTED)
    assert closed == [(a.pk, S.MISSED)]


def test_assignment_miss_before_deadline_refused(pair):
    a, _ = pair
    with pytest.raises(InvalidState):
        committee.assignment_miss(assignment_id=a.pk)
    a.refresh_from_db()
    assert a.status == S.ASSIGNED


MONDAY_MORNING = dt.datetime(2026, 12, 7, 9, 0, tzinfo=JST)


@pytest.mark.parametrize(
    ("deadline", "expected"),
    [
        (dt.datetime(2026, 12, 9, 17, 0, tzinfo=JST), 1),  # Wednesday: 2 business days
        (dt.datetime(2026, 12, 10, 17, 0, tzinfo=JST), 0),  # Thursday: 3 business days
        (dt.datetime(2026, 12, 7, 8, 0, tzinfo=JST), 0),  # already passed
    ],
)
def test_review_reminders_within_two_business_days(
    subsidy_round, companies, people, reviewers, make_panel, deadline, expected
):
    panel = make_panel(reviewers[:2], per_item=2)
    for item in register(panel, subjects(subsidy_round, companies, people, 2)):
        committee.reviewers_assign(item_id=item.pk)
    ReviewPanel.objects.filter(pk=panel.pk).update(review_deadline=deadline)

    # each reviewer has two open reviews: one reminder each
    assert committee.review_reminders_send(now=MONDAY_MORNING) == 2 * expected
    assert committee.review_reminders_send(now=MONDAY_MORNING) == 0
    due = Notification.objects.filter(kind="review_due")
    assert due.count() == 2 * expected
    for notice in due:
        assert "2026年12月9日 17:00" in notice.subject  # not 2026-12-09 17:00
        assert notice.link == "/reviews/"


def test_review_reminders_skip_the_reviewer_who_scored(pair):
    a, b = pair
    score(a, 3, 3)
    ReviewPanel.objects.filter(pk=a.item.panel_id).update(
        review_deadline=dt.datetime(2026, 12, 8, 17, 0, tzinfo=JST)
    )

    assert committee.review_reminders_send(now=MONDAY_MORNING) == 1

    assert list(
        Notification.objects.filter(kind="review_due").values_list("recipient", flat=True)
    ) == [b.reviewer_id]
