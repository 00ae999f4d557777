"""Who reviews what: load-balanced assignment that never picks a conflicted reviewer, and the
reassignment that follows a declared conflict or a recusal."""

from __future__ import annotations

from collections import Counter

import pytest

from audit.models import AuditEvent
from core.errors import NotAllowed, ValidationFailed
from notifications.models import Notification
from screening import committee
from screening.exceptions import NotEnoughReviewers
from screening.models import ConflictOfInterest, ReviewAssignment
from screening.signals import assignment_replaced

from .helpers import register, subjects

pytestmark = pytest.mark.django_db
S = ReviewAssignment.Status


@pytest.fixture
def replaced():
    """The (old, new) pairs the assignment_replaced signal carried."""
    sent = []

    def receiver(sender, old, new, **kwargs):
        sent.append((old.pk, new.pk if new else None))

    assignment_replaced.connect(receiver)
    yield sent
    assignment_replaced.disconnect(receiver)


def events(item, action):
    return AuditEvent.objects.filter(
        subject_type="screening.reviewitem", subject_id=str(item.pk), action=action
    )


def test_reviewers_assign_six_items_three_each_over_five_loads_within_one(
    subsidy_round, companies, people, reviewers, make_panel
):
    # given 6 items (2 per company) and a pool of 5, the last of whom works for companies[1]
    panel = make_panel(reviewers, per_item=3)
    items = register(panel, subjects(subsidy_round, companies, people, 6))

    # when
    for item in items:
        committee.reviewers_assign(item_id=item.pk)

    # then every item has 3 different reviewers, the loads differ by at most one …
    for item in items:
        assert item.assignments.values("reviewer").distinct().count() == 3
    loads = Counter(ReviewAssignment.objects.values_list("reviewer_id", flat=True))
    assert sum(loads.values()) == 18
    assert max(loads.values()) - min(loads.values()) <= 1
    assert set(loads) == {reviewer.pk for reviewer in reviewers}
    # … and reviewer5 is never on an item of their own company
    on_their_company = ReviewAssignment.objects.filter(
        reviewer=reviewers[4], item__company=companies[1]
    )
    assert not on_their_company.exists()


def test_reviewers_assign_least_loaded_first_then_lowest_id(
    subsidy_round, companies, people, reviewers, make_panel
):
    panel = make_panel(reviewers, per_item=3)
    first, second = register(panel, subjects(subsidy_round, companies, people, 2))

    committee.reviewers_assign(item_id=first.pk)
    committee.reviewers_assign(item_id=second.pk)  # companies[1]: reviewer5 is excluded

    assert [a.reviewer for a in first.assignments.all()] == reviewers[:3]
    # reviewer4 (load 0) first, then the lowest ids among those with load 1
    assert [a.reviewer for a in second.assignments.order_by("pk")] == [
        reviewers[3],
        reviewers[0],
        reviewers[1],
    ]


def test_reviewers_assign_notifies_each_reviewer_with_a_link(
    subsidy_round, companies, people, reviewers, make_panel
):
    panel = make_panel(reviewers, per_item=2)
    (item,) = register(panel, subjects(subsidy_round, companies, people, 1))

    assignments = committee.reviewers_assign(item_id=item.pk)

    for assignment in assignments:
        notice = Notification.objects.get(recipient=assignment.reviewer, kind="review_assigned")
        assert notice.link == f"/reviews/{assignment.pk}/"
        assert item.label in notice.subject
    assert events(item, "reviewer_assign").count() == 2


def test_reviewers_assign_fewer_eligible_than_k_refused_and_assigns_nobody(
    subsidy_round, companies, people, reviewers, make_panel
):
    # reviewer5 cannot review companies[1]; two eligible are left for K=3
    panel = make_panel([reviewers[0], reviewers[1], reviewers[4]], per_item=3)
    _, item = register(panel, subjects(subsidy_round, companies, people, 2))

    with pytest.raises(NotEnoughReviewers) as refused:
        committee.reviewers_assign(item_id=item.pk)

    assert refused.value.code == "not_enough_reviewers"
    assert not item.assignments.exists()


def test_reviewers_assign_twice_adds_nobody(
    subsidy_round, companies, people, reviewers, make_panel
):
    panel = make_panel(reviewers, per_item=3)
    (item,) = register(panel, subjects(subsidy_round, companies, people, 1))
    committee.reviewers_assign(item_id=item.pk)

    assert committee.reviewers_assign(item_id=item.pk) == []
    assert item.assignments.count() == 3


def test_item_register_twice_same_item(subsidy_round, companies, people, reviewers, make_panel):
    panel = make_panel(reviewers)
    applications = subjects(subsidy_round, companies, people, 1)

    first = register(panel, applications)
    again = register(panel, applications)

    assert first == again
    assert panel.items.count() == 1


def test_declared_conflict_by_corporate_number_keeps_reviewer_off_the_company(
    subsidy_round, companies, people, reviewers, make_panel
):
    panel = make_panel(reviewers, per_item=3)
    committee.conflict_declare(
        reviewer=reviewers[0],
        by=reviewers[0],
        reason="顧問契約先",
        corporate_number=companies[2].corporate_number,
    )
    _, _, item = register(panel, subjects(subsidy_round, companies, people, 3))

    committee.reviewers_assign(item_id=item.pk)

    assert reviewers[0].pk not in set(item.assignments.values_list("reviewer_id", flat=True))


def test_conflict_declare_recuses_open_assignment_and_replaces_it(
    subsidy_round, companies, people, reviewers, make_panel, replaced
):
    panel = make_panel(reviewers[:4], per_item=3)
    (item,) = register(panel, subjects(subsidy_round, companies, people, 1))
    committee.reviewers_assign(item_id=item.pk)
    old = item.assignments.get(reviewer=reviewers[0])

    conflict = committee.conflict_declare(
        reviewer=reviewers[0], by=reviewers[0], reason="元勤務先", company=companies[0]
    )

    old.refresh_from_db()
    assert old.status == S.RECUSED
    new = item.assignments.get(replaces=old)
    assert new.reviewer == reviewers[3]
    assert replaced == [(old.pk, new.pk)]
    assert conflict.source == ConflictOfInterest.Source.DECLARED
    assert events(item, "review_recuse").get().reason == "元勤務先"


def test_staff_record_a_conflict_for_a_reviewer(
    subsidy_round, companies, people, reviewers, make_panel
):
    panel = make_panel(reviewers[:4], per_item=3)
    (item,) = register(panel, subjects(subsidy_round, companies, people, 1))
    committee.reviewers_assign(item_id=item.pk)

    committee.conflict_declare(
        reviewer=reviewers[1], by=people.staff, reason="親族が役員", company=companies[0]
    )

    assert item.assignments.get(reviewer=reviewers[1]).status == S.RECUSED
    assert item.assignments.filter(status=S.ASSIGNED).count() == 3


def test_conflict_declare_for_someone_else_refused(reviewers, companies):
    with pytest.raises(NotAllowed):
        committee.conflict_declare(
            reviewer=reviewers[0], by=reviewers[1], reason="x", company=companies[0]
        )
    assert not ConflictOfInterest.objects.exists()


@pytest.mark.parametrize(
    ("number", "reason"),
    [("7000012050003", "顧問先"), ("123", "顧問先"), ("", "顧問先"), ("7000012050002", " ")],
)
def test_conflict_declare_bad_input_refused(reviewers, number, reason):
    with pytest.raises(ValidationFailed):
        committee.conflict_declare(
            reviewer=reviewers[0], by=reviewers[0], reason=reason, corporate_number=number
        )
    assert not ConflictOfInterest.objects.exists()


def test_assignment_recuse_records_conflict_and_gives_item_to_least_loaded(
    subsidy_round, companies, people, reviewers, make_panel, replaced
):
    # given reviewer4 already carries one item, reviewer5 none (but works for companies[1])
    panel = make_panel(reviewers, per_item=3)
    first, second = register(panel, subjects(subsidy_round, companies, people, 2))
    committee.reviewers_assign(item_id=first.pk)  # reviewers 1, 2, 3
    committee.reviewers_assign(item_id=second.pk)  # reviewers 4, 1, 2 (companies[1])
    leaving = second.assignments.get(reviewer=reviewers[0])

    # when
    new = committee.assignment_recuse(assignment_id=leaving.pk, by=reviewers[0], reason="取引先")

    # then the least loaded eligible reviewer not already on it takes over: reviewer3
    assert new.reviewer == reviewers[2]
    assert new.replaces_id == leaving.pk
    leaving.refresh_from_db()
    assert leaving.status == S.RECUSED
    conflict = ConflictOfInterest.objects.get(reviewer=reviewers[0])
    assert (conflict.source, conflict.company, conflict.panel) == (
        ConflictOfInterest.Source.RECUSAL,
        companies[1],
        panel,
    )
    assert replaced == [(leaving.pk, new.pk)]
    assert Notification.objects.filter(recipient=reviewers[2], kind="review_assigned").count() == 2


def test_assignment_recuse_nobody_left_returns_none_and_audits(
    subsidy_round, companies, people, reviewers, make_panel, replaced
):
    panel = make_panel(reviewers[:2], per_item=2)
    (item,) = register(panel, subjects(subsidy_round, companies, people, 1))
    committee.reviewers_assign(item_id=item.pk)
    leaving = item.assignments.get(reviewer=reviewers[1])

    assert (
        committee.assignment_recuse(assignment_id=leaving.pk, by=reviewers[1], reason="x") is None
    )

    assert item.assignments.exclude(status=S.RECUSED).count() == 1
    assert events(item, "replacement_unavailable").count() == 1
    assert replaced == [(leaving.pk, None)]


def test_assignment_recuse_without_reason_refused(
    subsidy_round, companies, people, reviewers, make_panel
):
    panel = make_panel(reviewers[:3], per_item=2)
    (item,) = register(panel, subjects(subsidy_round, companies, people, 1))
    committee.reviewers_assign(item_id=item.pk)
    assignment = item.assignments.first()

    with pytest.raises(ValidationFailed):
        committee.assignment_recuse(assignment_id=assignment.pk, by=assignment.reviewer, reason="")

    assignment.refresh_from_db()
    assert assignment.status == S.ASSIGNED
    assert not ConflictOfInterest.objects.exists()
