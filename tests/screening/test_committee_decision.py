"""The chair's decision over the ranking, and its approval by someone who reviewed nothing.

Four items, both reviewers giving each the same score on every criterion (so each reviewer's
totals are 5, 4, 4, 2 and their z-scores agree): A ranks 1st, B and C share 2nd, D is 4th.
With 2 places, A is within the quota and B and C are tied across it: the chair chooses.
"""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F

from audit.models import AuditEvent
from core.errors import InvalidState, NotAllowed, ValidationFailed
from core.roles import Role
from screening import committee
from screening.exceptions import DepartureUnexplained, SameMemberApproves
from screening.models import CommitteeDecision, ReviewAssignment
from screening.selectors import panel_results

from .helpers import deadline_passes, grant_role, register, score, subjects

pytestmark = pytest.mark.django_db
D = CommitteeDecision.Status
VALUES = (5, 4, 4, 2)


@pytest.fixture
def ranked(subsidy_round, companies, people, reviewers, make_panel):
    panel = make_panel(reviewers[:2], per_item=2, quota=2)
    items = register(panel, subjects(subsidy_round, companies, people, 4))
    for item, value in zip(items, VALUES, strict=True):
        committee.reviewers_assign(item_id=item.pk)
        for assignment in item.assignments.all():
            score(assignment, value, value)
    return panel, items


def decide(panel, chair, selected, departures=None, rationale="地域への波及効果を重視した。"):
    return committee.committee_decide(
        panel_id=panel.pk,
        by=chair,
        selected_item_ids=[item.pk for item in selected],
        rationale=rationale,
        departures={item.pk: text for item, text in (departures or {}).items()},
    )


def test_ranking_has_the_tie_across_the_quota(ranked):
    panel, (a, b, c, d) = ranked
    table = panel_results(panel).table.set_index("item_id")

    assert list(table.loc[[a.pk, b.pk, c.pk, d.pk], "rank"]) == [1, 2, 2, 4]
    assert list(table.loc[[a.pk, b.pk, c.pk, d.pk], "within_quota"]) == [True, False, False, False]
    assert list(table.loc[[a.pk, b.pk, c.pk, d.pk], "tied_at_quota"]) == [False, True, True, False]


def test_decide_tie_broken_with_reason_records_entries(ranked, chair):
    panel, (a, b, c, d) = ranked

    decision = decide(panel, chair, [a, b], {b: "研修の継続性で優る"})

    assert decision.status == D.RECORDED
    assert decision.quota == 2 and decision.recorded_by == chair
    entries = {e.item_id: e for e in decision.entries.all()}
    assert {pk: e.selected for pk, e in entries.items()} == {
        a.pk: True,
        b.pk: True,
        c.pk: False,
        d.pk: False,
    }
    assert [entries[i.pk].rank for i in (a, b, c, d)] == [1, 2, 2, 4]
    assert entries[b.pk].departure_reason == "研修の継続性で優る"
    assert str(entries[a.pk].weighted_mean) == "5.0000"
    assert str(entries[d.pk].weighted_mean) == "2.0000"
    # totals (5, 4, 4, 2): μ = 3.75, deviations (1.25, 0.25, 0.25, −1.75), σ = √(4.75/4)
    # = 1.089725; A's z = 1.25/σ = 1.147079 from both reviewers
    assert str(entries[a.pk].normalised_mean) == "1.1471"
    event = AuditEvent.objects.get(action="committee_decide")
    assert (event.subject_type, event.subject_id) == ("screening.reviewpanel", str(panel.pk))
    assert event.data["selected"] == sorted([a.pk, b.pk])
    assert event.data["departures"] == {str(b.pk): "研修の継続性で優る"}


def test_decide_tie_broken_without_reason_refused(ranked, chair):
    panel, (a, b, _, _) = ranked

    with pytest.raises(DepartureUnexplained) as refused:
        decide(panel, chair, [a, b])

    assert b.label in str(refused.value.message)
    assert refused.value.field == f"departures.{b.pk}"
    assert not CommitteeDecision.objects.exists()


def test_decide_leaving_a_place_open_needs_reasons_for_the_tied(ranked, chair):
    panel, (a, b, c, _) = ranked

    with pytest.raises(DepartureUnexplained) as refused:
        decide(panel, chair, [a], {b: "基準未達"})
    assert c.label in str(refused.value.message)

    decision = decide(panel, chair, [a], {b: "基準未達", c: "基準未達"})
    assert list(decision.entries.filter(selected=True).values_list("item_id", flat=True)) == [a.pk]


def test_decide_dropping_an_item_within_quota_needs_its_reason(ranked, chair):
    panel, (a, b, c, _) = ranked

    with pytest.raises(DepartureUnexplained):
        decide(panel, chair, [b, c], {b: "同点", c: "同点"})

    decision = decide(panel, chair, [b, c], {a: "申請辞退", b: "同点", c: "同点"})
    assert decision.entries.get(item=a).departure_reason == "申請辞退"


def test_decide_selecting_from_outside_the_quota_needs_a_reason(ranked, chair):
    panel, (a, _, _, d) = ranked

    with pytest.raises(DepartureUnexplained):
        decide(panel, chair, [a, d])
    with pytest.raises(DepartureUnexplained):
        decide(panel, chair, [a, d], {d: "   "})

    # the places are full, so passing over the tied B and C needs no further reason
    decision = decide(panel, chair, [a, d], {d: "県北地域の唯一の候補"})
    assert decision.entries.get(item=d).selected


def test_decide_more_than_the_quota_refused(ranked, chair):
    panel, (a, b, c, _) = ranked

    with pytest.raises(ValidationFailed) as refused:
        decide(panel, chair, [a, b, c], {b: "x", c: "x"})

    assert refused.value.field == "selected_item_ids"


def test_decide_by_someone_other_than_the_chair_refused(ranked, people, reviewers):
    panel, (a, b, _, _) = ranked
    for user in (people.staff, reviewers[0]):
        with pytest.raises(NotAllowed):
            decide(panel, user, [a, b], {b: "x"})


def test_decide_without_rationale_refused(ranked, chair):
    panel, (a, b, _, _) = ranked
    with pytest.raises(ValidationFailed) as refused:
        decide(panel, chair, [a, b], {b: "x"}, rationale=" ")
    assert refused.value.field == "rationale"


def test_decide_while_reviews_open_refused_until_deadline(
    subsidy_round, companies, people, reviewers, make_panel, chair
):
    panel = make_panel(reviewers[:2], per_item=2, quota=1)
    a, b = register(panel, subjects(subsidy_round, companies, people, 2))
    for item in (a, b):
        committee.reviewers_assign(item_id=item.pk)
    for assignment in a.assignments.all():
        score(assignment, 4, 4)
    score(b.assignments.first(), 3, 3)  # one review of b still open

    with pytest.raises(InvalidState):
        decide(panel, chair, [a])

    deadline_passes(panel)
    decision = decide(panel, chair, [a])
    assert decision.entries.count() == 2


def test_decide_selecting_an_unscored_item_refused(
    subsidy_round, companies, people, reviewers, make_panel, chair
):
    panel = make_panel(reviewers[:2], per_item=2, quota=1)
    a, b = register(panel, subjects(subsidy_round, companies, people, 2))
    committee.reviewers_assign(item_id=a.pk)
    for assignment in a.assignments.all():
        score(assignment, 4, 4)
    deadline_passes(panel)

    with pytest.raises(ValidationFailed):
        decide(panel, chair, [b], {a: "x", b: "x"})


def test_decide_again_while_a_decision_stands_refused(ranked, chair):
    panel, (a, b, _, _) = ranked
    decide(panel, chair, [a, b], {b: "x"})

    with pytest.raises(InvalidState):
        decide(panel, chair, [a, b], {b: "y"})


# --- approval ------------------------------------------------------------------------------------


@pytest.fixture
def recorded(ranked, chair):
    panel, (a, b, _, _) = ranked
    return decide(panel, chair, [a, b], {b: "研修の継続性で優る"})


def test_approve_by_an_approver_who_reviewed_nothing(recorded, people):
    decision = committee.committee_approve(
        decision_id=recorded.pk, by=people.approver, approve=True, note="妥当"
    )

    decision.refresh_from_db()
    assert decision.status == D.APPROVED
    assert decision.approved_by == people.approver
    assert decision.approved_at is not None and decision.approval_note == "妥当"
    event = AuditEvent.objects.get(action="committee_approve")
    assert (event.subject_type, event.from_status, event.to_status) == (
        "screening.reviewpanel",
        "recorded",
        "approved",
    )


def test_approve_by_a_reviewer_of_the_panel_refused(recorded, reviewers):
    reviewer_and_approver = grant_role(reviewers[0], Role.APPROVER)

    with pytest.raises(SameMemberApproves):
        committee.committee_approve(decision_id=recorded.pk, by=reviewer_and_approver, approve=True)

    recorded.refresh_from_db()
    assert recorded.status == D.RECORDED


def test_approve_by_a_reviewer_whose_assignment_was_recused_refused(
    subsidy_round, companies, people, reviewers, make_panel, chair
):
    panel = make_panel(reviewers[:3], per_item=2, quota=1)
    (item,) = register(panel, subjects(subsidy_round, companies, people, 1))
    committee.reviewers_assign(item_id=item.pk)
    committee.assignment_recuse(
        assignment_id=item.assignments.get(reviewer=reviewers[0]).pk, by=reviewers[0], reason="x"
    )
    for assignment in item.assignments.filter(status=ReviewAssignment.Status.ASSIGNED):
        score(assignment, 4, 4)
    decision = decide(panel, chair, [item])

    with pytest.raises(SameMemberApproves):
        committee.committee_approve(
            decision_id=decision.pk, by=grant_role(reviewers[0], Role.APPROVER), approve=True
        )


def test_approve_by_the_chair_refused(recorded, chair):
    with pytest.raises(SameMemberApproves):
        committee.committee_approve(
            decision_id=recorded.pk, by=grant_role(chair, Role.APPROVER), approve=True
        )


def test_approve_by_staff_without_the_approver_role_refused(recorded, people):
    with pytest.raises(NotAllowed):
        committee.committee_approve(decision_id=recorded.pk, by=people.staff, approve=True)


def test_return_needs_a_note_then_the_chair_decides_again(recorded, people, chair, ranked):
    panel, (a, _, c, _) = ranked
    with pytest.raises(ValidationFailed):
        committee.committee_approve(decision_id=recorded.pk, by=people.approver, approve=False)

    returned = committee.committee_approve(
        decision_id=recorded.pk, by=people.approver, approve=False, note="同点の理由が不十分"
    )
    assert returned.status == D.RETURNED

    again = decide(panel, chair, [a, c], {c: "地域バランス"})
    assert again.status == D.RECORDED
    assert committee.decision_pending_approval(panel.pk) == again


def test_approve_twice_refused(recorded, people):
    committee.committee_approve(decision_id=recorded.pk, by=people.approver, approve=True)
    with pytest.raises(InvalidState):
        committee.committee_approve(decision_id=recorded.pk, by=people.approver2, approve=True)


def test_database_refuses_approver_equal_to_recorder(recorded):
    with pytest.raises(IntegrityError), transaction.atomic():
        CommitteeDecision.objects.filter(pk=recorded.pk).update(approved_by=F("recorded_by"))


def test_database_refuses_two_standing_decisions_per_panel(recorded, chair):
    with pytest.raises(IntegrityError), transaction.atomic():
        CommitteeDecision.objects.create(
            panel=recorded.panel, rationale="x", quota=2, recorded_by=chair
        )


def test_decision_outcomes_by_subject_id(recorded, ranked):
    _, (a, b, c, d) = ranked

    assert committee.decision_outcomes(recorded) == {
        a.object_id: True,
        b.object_id: True,
        c.object_id: False,
        d.object_id: False,
    }
