"""The award's processes end to end: nominations reviewed in parallel by the committee, the
committee's decision recorded and approved, then commendation."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS

from awards.models import Nomination
from awards.selectors import commended_companies
from core.errors import InvalidState, NotAllowed
from letters.models import Letter
from screening import committee
from screening.models import ReviewAssignment, ReviewPanel
from screening.selectors import review_item_for
from tests.awards.helpers import award_round_create, self_nomination
from workflows import services as wf
from workflows import steps
from workflows.flows import CommitteeFlow, NominationFlow
from workflows.selectors import process_for

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)
SCORES = {"initiative": 4, "results": 4}


@pytest.fixture
def committee_round(people, reviewers):
    from screening.models import Criterion, Rubric

    round_ = award_round_create()
    rubric = Rubric.objects.create(name="審査基準", scale_min=1, scale_max=5)
    for code in ("initiative", "results"):
        Criterion.objects.create(rubric=rubric, code=code, label_ja=code, label_en=code, weight=1)
    panel = committee.panel_create(
        round=round_,
        name="審査委員会",
        rubric=rubric,
        reviewers=reviewers,
        reviewers_per_item=3,
        review_deadline=START + dt.timedelta(days=14),
        chair=people.staff2,
        quota=1,
        by=people.staff,
    )
    return round_, panel


def _nominate_and_accept(round_, nominator, people) -> Nomination:
    nomination = self_nomination(round_, nominator)
    wf.nomination_process_submit(nomination_id=nomination.pk, by=nominator)
    wf.step_complete(
        application_id=nomination.pk,
        step=steps.CHECK_NOMINATION,
        by=people.staff,
        data={"accept": True},
        flow_class=NominationFlow,
    )
    return nomination


def _review_tasks(nomination: Nomination, status=STATUS.NEW) -> list[Task]:
    process = process_for(Nomination, nomination.pk)
    return list(
        Task.objects.filter(process=process, flow_task=NominationFlow.review, status=status)
    )


def _open(nomination: Nomination, node) -> bool:
    process = process_for(Nomination, nomination.pk)
    return Task.objects.filter(process=process, flow_task=node, status__in=wf.ACTIVE).exists()


@time_machine.travel(START, tick=False)
def test_one_task_per_reviewer_never_a_conflicted_one(committee_round, people, reviewers):
    round_, _panel = committee_round
    nomination = _nominate_and_accept(round_, people.other_applicant, people)  # companies[1]

    tasks = _review_tasks(nomination)
    assignments = ReviewAssignment.objects.filter(pk__in=[t.data["assignment_id"] for t in tasks])
    assert len(tasks) == 3
    assert {a.item.object_id for a in assignments} == {nomination.pk}
    assert reviewers[4] not in {a.reviewer for a in assignments}  # works for companies[1]


@time_machine.travel(START, tick=False)
def test_a_recusal_moves_the_task_to_the_replacement(committee_round, people, reviewers):
    round_, _panel = committee_round
    nomination = _nominate_and_accept(round_, people.applicant, people)
    task = _review_tasks(nomination)[0]
    recused = ReviewAssignment.objects.get(pk=task.data["assignment_id"])

    replacement = committee.assignment_recuse(
        assignment_id=recused.pk, by=recused.reviewer, reason="取引先の役員を務めている"
    )

    task.refresh_from_db()
    assert task.status == STATUS.NEW
    assert task.data["assignment_id"] == replacement.pk
    assert replacement.reviewer != recused.reviewer


@time_machine.travel(START, tick=False)
def test_the_reviews_join_when_all_scored_or_at_the_deadline(committee_round, people):
    round_, _panel = committee_round
    scored = _nominate_and_accept(round_, people.applicant, people)
    late = _nominate_and_accept(round_, people.other_applicant, people)

    for task in _review_tasks(scored):
        assignment = ReviewAssignment.objects.get(pk=task.data["assignment_id"])
        committee.scores_submit(assignment_id=assignment.pk, by=assignment.reviewer, scores=SCORES)
    first = ReviewAssignment.objects.get(pk=_review_tasks(late)[0].data["assignment_id"])
    committee.scores_submit(assignment_id=first.pk, by=first.reviewer, scores=SCORES)

    assert _open(scored, NominationFlow.await_selection)
    assert not _open(late, NominationFlow.await_selection)

    with time_machine.travel(START + dt.timedelta(days=15), tick=False):
        assert wf.timers_fire_due(subjects=(Nomination, [late.pk])) == 2

    assert _open(late, NominationFlow.await_selection)
    statuses = set(
        ReviewAssignment.objects.filter(item__object_id=late.pk).values_list("status", flat=True)
    )
    assert statuses == {"submitted", "missed"}


def _score_all(nomination: Nomination, value: int) -> None:
    for task in _review_tasks(nomination):
        assignment = ReviewAssignment.objects.get(pk=task.data["assignment_id"])
        committee.scores_submit(
            assignment_id=assignment.pk,
            by=assignment.reviewer,
            scores={"initiative": value, "results": value},
        )


def _committee_step(panel: ReviewPanel, step, by, data: dict) -> None:
    wf.step_complete(application_id=panel.pk, step=step, by=by, data=data, flow_class=CommitteeFlow)


@time_machine.travel(START, tick=False)
def test_nomination_to_commendation(committee_round, people):
    round_, panel = committee_round
    strong = _nominate_and_accept(round_, people.applicant, people)
    weak = _nominate_and_accept(round_, people.other_applicant, people)
    _score_all(strong, 5)
    with pytest.raises(InvalidState):  # the weak nomination's reviews are still open
        wf.committee_process_start(panel_id=panel.pk, by=people.staff)
    _score_all(weak, 2)

    with pytest.raises(NotAllowed):
        wf.committee_process_start(panel_id=panel.pk, by=people.approver)
    wf.committee_process_start(panel_id=panel.pk, by=people.staff)
    with pytest.raises(InvalidState):
        wf.committee_process_start(panel_id=panel.pk, by=people.staff)

    items = {review_item_for(n).pk: n for n in (strong, weak)}
    strong_item = next(pk for pk, n in items.items() if n == strong)
    decision = {"selected_item_ids": [strong_item], "rationale": "評点順", "departures": {}}
    with pytest.raises(NotAllowed):  # the task is the chair's
        _committee_step(panel, steps.RECORD_DECISION, people.staff, decision)
    _committee_step(panel, steps.RECORD_DECISION, people.staff2, decision)
    _committee_step(
        panel, steps.APPROVE_DECISION, people.approver, {"approve": False, "note": "理由を補足"}
    )
    _committee_step(panel, steps.RECORD_DECISION, people.staff2, decision)
    _committee_step(panel, steps.APPROVE_DECISION, people.approver, {"approve": True, "note": ""})

    strong.refresh_from_db()
    weak.refresh_from_db()
    assert (strong.status, weak.status) == (
        Nomination.Status.SELECTED,
        Nomination.Status.NOT_SELECTED,
    )
    assert process_for(Nomination, weak.pk).status == PROCESS.DONE
    assert process_for(ReviewPanel, panel.pk).status == PROCESS.DONE

    wf.step_complete(
        application_id=strong.pk,
        step=steps.COMMEND,
        by=people.staff,
        data={"commended_on": timezone.localdate()},
        flow_class=NominationFlow,
    )
    strong.refresh_from_db()
    assert strong.status == Nomination.Status.COMMENDED
    assert process_for(Nomination, strong.pk).status == PROCESS.DONE
    assert [n.pk for n in commended_companies()] == [strong.pk]
    letters = Letter.objects.filter(subject_type="awards.nomination")
    assert set(letters.filter(subject_id=strong.pk).values_list("kind", flat=True)) == {
        Letter.Kind.AWARD_SELECTED,
        Letter.Kind.AWARD_CERTIFICATE,
    }
    assert set(letters.filter(subject_id=weak.pk).values_list("kind", flat=True)) == {
        Letter.Kind.AWARD_NOT_SELECTED
    }


@time_machine.travel(START, tick=False)
def test_a_nomination_withdrawn_in_review_leaves_the_committee(committee_round, people):
    round_, panel = committee_round
    kept = _nominate_and_accept(round_, people.applicant, people)
    withdrawn = _nominate_and_accept(round_, people.other_applicant, people)
    _score_all(kept, 4)
    first = ReviewAssignment.objects.get(pk=_review_tasks(withdrawn)[0].data["assignment_id"])
    committee.scores_submit(assignment_id=first.pk, by=first.reviewer, scores=SCORES)

    wf.nomination_process_withdraw(
        nomination_id=withdrawn.pk, by=people.other_applicant, reason="辞退"
    )

    assert process_for(Nomination, withdrawn.pk).status == PROCESS.CANCELED
    statuses = ReviewAssignment.objects.filter(item__object_id=withdrawn.pk)
    assert sorted(statuses.values_list("status", flat=True)) == [
        "submitted",
        "withdrawn",
        "withdrawn",
    ]
    results = committee.panel_results(panel)
    assert list(results.table["label"]) == [review_item_for(kept).label]
    assert results.unscored == []
    wf.committee_process_start(panel_id=panel.pk, by=people.staff)  # no review left open
