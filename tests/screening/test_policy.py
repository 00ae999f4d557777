"""The review's policy (screening.policy): the assigned reviewer scores an open review by the
deadline and may recuse before scoring; the service refuses with the same reason."""

import datetime as dt

import pytest
from django.utils import timezone

from screening import committee, policy
from screening.committee import review_assignments_open
from screening.exceptions import DeadlinePassed
from screening.models import ReviewPanel
from screening.selectors import review_item_for
from tests.awards.helpers import award_round_create, panel_create, self_nomination
from workflows import services as wf
from workflows.flows import NominationFlow

pytestmark = pytest.mark.django_db


@pytest.fixture
def assignment(people, reviewers):
    round_ = award_round_create()
    panel_create(round_, people, reviewers)
    nomination = self_nomination(round_, people.applicant)
    wf.nomination_process_submit(nomination_id=nomination.pk, by=people.applicant)
    wf.step_complete(
        application_id=nomination.pk,
        step=NominationFlow.instance.steps["check_documents"],
        by=people.staff,
        data={"accept": True},
        flow_class=NominationFlow,
    )
    return review_assignments_open(review_item_for(nomination)).first()


def test_only_the_assigned_reviewer_scores_or_recuses(assignment, reviewers, people):
    mine = policy.review_actions(assignment.reviewer, assignment)
    assert mine[policy.SCORE] and mine[policy.RECUSE]
    assert not any(policy.review_actions(people.staff, assignment).values())


def test_after_the_deadline_the_service_refuses_with_the_policy_reason(assignment):
    ReviewPanel.objects.filter(pk=assignment.item.panel_id).update(
        review_deadline=timezone.now() - dt.timedelta(minutes=1)
    )
    assignment.refresh_from_db()
    refused = policy.review_actions(assignment.reviewer, assignment)[policy.SCORE]
    assert not refused and refused.error is DeadlinePassed
    with pytest.raises(DeadlinePassed) as raised:
        committee.scores_submit(
            assignment_id=assignment.pk,
            by=assignment.reviewer,
            scores={"initiative": 3, "results": 3},
        )
    assert str(raised.value.message) == str(refused.reason)
