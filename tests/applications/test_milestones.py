"""Each stage's completion time is kept on the application, for the KPI report."""

import pytest

from applications.models import Application
from fixtures.demo import advance

MILESTONES = [
    "submitted_at",
    "documents_accepted_at",
    "screened_at",
    "decided_at",
    "results_submitted_at",
    "results_checked_at",
    "confirmed_at",
    "paid_at",
]


@pytest.mark.django_db
def test_milestones_paid_application_has_every_stage_in_order(draft, people):
    paid = advance(draft, "paid", vars(people))

    reached = [getattr(paid, name) for name in MILESTONES]
    assert None not in reached
    assert reached == sorted(reached)


@pytest.mark.django_db
def test_milestones_granted_application_has_no_later_stage(draft, people):
    granted = advance(draft, "granted", vars(people))

    assert granted.decided_at is not None
    assert granted.decided_at >= granted.screened_at
    assert (granted.results_submitted_at, granted.confirmed_at, granted.paid_at) == (None,) * 3


@pytest.mark.django_db
def test_milestones_rejection_is_a_decision(draft, people):
    from workflows import services as wf
    from workflows import steps

    advance(draft, "decision_pending", vars(people))
    wf.step_complete(
        application_id=draft.pk,
        step=steps.DECIDE,
        by=people.approver,
        data={"approve": False, "reason": "対象経費に該当しない"},
    )

    rejected = Application.objects.get(pk=draft.pk)
    assert rejected.status == Application.Status.REJECTED
    assert rejected.decided_at is not None
