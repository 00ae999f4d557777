"""Staff open the committee's decision with the button on the committee's page; the daily
reminders include the reviews falling due."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import translation
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import PROCESS

from core.dates import JST
from notifications.models import Notification
from screening import committee
from screening.models import Criterion, ReviewPanel, Rubric
from tests.awards.helpers import award_round_create
from tests.screening.helpers import register, subjects
from workflows.flows import CommitteeFlow
from workflows.notices import reminders_send
from workflows.selectors import process_of_subjects

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 11, 30, 9, 0, tzinfo=JST)  # a Monday


def make_panel(round_, people, pool, deadline) -> ReviewPanel:
    rubric = Rubric.objects.create(name="審査基準", scale_min=1, scale_max=5)
    Criterion.objects.create(
        rubric=rubric, code="impact", label_ja="波及効果", label_en="Impact", weight=1
    )
    return committee.panel_create(
        round=round_,
        name="審査委員会",
        rubric=rubric,
        reviewers=pool,
        reviewers_per_item=2,
        review_deadline=deadline,
        chair=people.staff2,
        quota=1,
        by=people.staff,
    )


@pytest.fixture
def panel(people, reviewers):
    with time_machine.travel(START, tick=False):
        return make_panel(award_round_create(), people, reviewers, START + dt.timedelta(days=14))


def processes(panel: ReviewPanel):
    return Process.objects.filter(**process_of_subjects(ReviewPanel, [panel.pk]))


def shown(response) -> list[tuple[str, str]]:
    return [(message.level_tag, str(message)) for message in response.context["messages"]]


def start_url(panel: ReviewPanel) -> str:
    return f"/workspace/committees/{panel.pk}/start/"


def test_open_decision_button_starts_the_flow_once_then_shows_the_refusal(client, panel, people):
    client.force_login(people.staff)
    page = client.get(f"/reviews/panels/{panel.pk}/").content.decode()
    assert f'action="{start_url(panel)}"' in page

    first = client.post(start_url(panel), follow=True)

    assert first.redirect_chain == [(f"/reviews/panels/{panel.pk}/", 302)]
    assert [level for level, _text in shown(first)] == ["success"]
    process = processes(panel).get()
    assert process.status == PROCESS.NEW
    task = Task.objects.get(process=process, flow_task=CommitteeFlow.record_decision)
    assert task.owner == people.staff2  # the chair

    second = client.post(start_url(panel), follow=True)

    with translation.override("ja"):
        refusal = translation.gettext("The committee's decision is already open.")
    assert shown(second) == [("error", refusal)]
    assert processes(panel).count() == 1


@pytest.mark.parametrize("role", ["approver", "reviewer", "applicant"])
def test_open_decision_refused_to_non_staff_403(client, panel, people, reviewers, role):
    user = reviewers[0] if role == "reviewer" else getattr(people, role)
    client.force_login(user)

    assert client.post(start_url(panel)).status_code == 403
    assert not processes(panel).exists()


def test_open_decision_button_hidden_from_an_approver(client, panel, people):
    client.force_login(people.approver)
    page = client.get(f"/reviews/panels/{panel.pk}/")
    assert page.status_code == 200
    assert start_url(panel) not in page.content.decode()


def test_open_decision_get_or_unknown_committee(client, panel, people):
    client.force_login(people.staff)
    assert client.get(start_url(panel)).status_code == 405
    assert client.post(f"/workspace/committees/{panel.pk + 1000}/start/").status_code == 404
    assert not processes(panel).exists()


def test_reminders_send_includes_the_reviews_due(subsidy_round, companies, people, reviewers):
    with time_machine.travel(START, tick=False):
        deadline = dt.datetime(2026, 12, 2, 17, 0, tzinfo=JST)  # Wednesday: 2 business days on
        panel = make_panel(subsidy_round, people, reviewers[:2], deadline)
        for item in register(panel, subjects(subsidy_round, companies, people, 1)):
            committee.reviewers_assign(item_id=item.pk)

    assert reminders_send(today=dt.date(2026, 11, 26))["review_due"] == 0  # 4 business days
    assert reminders_send(today=dt.date(2026, 11, 30))["review_due"] == 2  # one per reviewer
    assert reminders_send(today=dt.date(2026, 12, 1))["review_due"] == 0  # sent already
    due = Notification.objects.filter(kind="review_due")
    assert set(due.values_list("recipient", flat=True)) == {reviewers[0].pk, reviewers[1].pk}
