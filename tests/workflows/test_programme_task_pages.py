"""Staff task pages of the declaration, nomination and committee flows: each shows what is
decided on and completes the step through the same services."""

from __future__ import annotations

import pytest

from awards.models import Nomination
from declarations.models import Declaration
from screening.committee import review_assignments_open, scores_submit
from screening.models import CommitteeDecision
from screening.selectors import review_item_for
from tests.awards.helpers import award_round_create, panel_create, self_nomination
from tests.declarations.helpers import draft_declaration
from workflows import services as wf
from workflows.flows import CommitteeFlow, DeclarationFlow, NominationFlow

pytestmark = pytest.mark.django_db


def _task_page(client, user, flow_class, subject_id: int, node: str) -> str:
    task = wf.active_task(subject_id, node, flow_class)
    client.force_login(user)
    if task.owner_id is None:
        assert client.post(f"/workspace/tasks/{task.pk}/claim/").status_code == 302
    return f"/workspace/tasks/{task.pk}/"


def test_declaration_check_page_shows_the_declaration_and_registers_it(people, client):
    declaration = draft_declaration(people.applicant)
    wf.declaration_process_submit(declaration_id=declaration.pk, by=people.applicant)
    base = _task_page(client, people.staff, DeclarationFlow, declaration.pk, "check_documents")

    page = client.get(base).content.decode()
    assert declaration.goals in page and declaration.responsible_name in page

    client.post(base, {"accept": "1"})
    assert Declaration.objects.get(pk=declaration.pk).status == Declaration.Status.REGISTERED


def test_nomination_check_page_shows_the_evidence(people, reviewers, client):
    round_ = award_round_create()
    panel_create(round_, people, reviewers)
    nomination = self_nomination(round_, people.applicant)
    wf.nomination_process_submit(nomination_id=nomination.pk, by=people.applicant)
    base = _task_page(client, people.staff, NominationFlow, nomination.pk, "check_documents")

    page = client.get(base).content.decode()
    assert nomination.summary in page

    client.post(base, {"accept": "1"})
    assert Nomination.objects.get(pk=nomination.pk).status == Nomination.Status.IN_REVIEW
    assert wf.active_task(nomination.pk, "check_documents", NominationFlow) is None


def _reviewed_round(people, reviewers):
    round_ = award_round_create()
    panel = panel_create(round_, people, reviewers, quota=1)
    nominations = []
    for member, score in ((people.applicant, 5), (people.other_applicant, 3)):
        nomination = self_nomination(round_, member)
        wf.nomination_process_submit(nomination_id=nomination.pk, by=member)
        wf.step_complete(
            application_id=nomination.pk,
            step=NominationFlow.instance.steps["check_documents"],
            by=people.staff,
            data={"accept": True},
            flow_class=NominationFlow,
        )
        for assignment in review_assignments_open(review_item_for(nomination)):
            scores_submit(
                assignment_id=assignment.pk,
                by=assignment.reviewer,
                scores={"initiative": score, "results": score},
            )
        nominations.append(nomination)
    return panel, nominations


def test_the_chair_decides_over_the_ranked_table_and_an_approver_approves(
    people, reviewers, client
):
    panel, (first, second) = _reviewed_round(people, reviewers)
    wf.committee_process_start(panel_id=panel.pk, by=people.staff)
    base = _task_page(client, people.staff2, CommitteeFlow, panel.pk, "record_decision")

    page = client.get(base).content.decode()
    assert page.index(review_item_for(first).label) < page.index(review_item_for(second).label)

    second_item = review_item_for(second).pk
    refused = client.post(base, {"selected": [str(second_item)], "rationale": "地域性を考慮"})
    assert refused.status_code == 422  # a departure from the ranking needs its reason
    assert not CommitteeDecision.objects.filter(panel=panel).exists()
    client.post(
        base,
        {
            "selected": [str(second_item)],
            "rationale": "地域性を考慮",
            f"departure_{review_item_for(first).pk}": "前年度に表彰済みのため",
            f"departure_{second_item}": "県北地域の先進事例として",
        },
    )
    assert CommitteeDecision.objects.get(panel=panel).status == CommitteeDecision.Status.RECORDED

    base = _task_page(client, people.approver, CommitteeFlow, panel.pk, "approve_decision")
    assert "前年度に表彰済みのため" in client.get(base).content.decode()
    client.post(base, {"approve": "1", "note": ""})
    second.refresh_from_db()
    assert second.status == Nomination.Status.SELECTED
