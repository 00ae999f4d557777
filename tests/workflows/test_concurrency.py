"""Concurrent approvers and releasers, on PostgreSQL with real threads and connections."""

import pytest

from applications.models import Application, Decision, SubsidyRound
from fixtures.demo import advance, draft_create
from tests.concurrency import THREADS, outcome_names, run_concurrently
from workflows import services as wf
from workflows import steps

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_approvals_never_exceed_the_round_budget(subsidy_round, people):
    applications = [
        draft_create(subsidy_round, people.applicant, trainees=2) for _ in range(THREADS)
    ]
    for application in applications:
        advance(application, "decision_pending", vars(people))
    budget = 7 * 187_000 + 999
    SubsidyRound.objects.filter(pk=subsidy_round.pk).update(budget=budget)

    outcomes = run_concurrently(
        lambda i: wf.step_complete(
            application_id=applications[i].pk,
            step=steps.DECIDE,
            by=people.approver if i % 2 else people.approver2,
            data={"approve": True},
        )
    )

    names = outcome_names(outcomes)
    assert names == {"Decision": 7, "BudgetExceeded": 13}, names
    round_ = SubsidyRound.objects.get(pk=subsidy_round.pk)
    granted = Application.objects.filter(round=round_, status=Application.Status.GRANTED)
    assert round_.committed_total == 7 * 187_000 <= budget
    assert sum(granted.values_list("decided_amount", flat=True)) == round_.committed_total
    assert Decision.objects.filter(kind=Decision.Kind.GRANT).count() == 7
    assert Application.objects.filter(status=Application.Status.DECISION_PENDING).count() == 13
