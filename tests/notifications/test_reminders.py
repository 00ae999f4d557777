"""Reminders go out on the right business day, once."""

import datetime as dt

import pytest
import time_machine

from applications.models import SubsidyRound
from core.dates import JST
from declarations import services as declarations
from fixtures.demo import advance
from notifications.models import Notification
from tests.declarations.helpers import draft_declaration
from workflows import services as wf
from workflows import steps
from workflows.notices import reminders_send

pytestmark = pytest.mark.django_db
MONDAY = dt.datetime(2026, 11, 30, 9, 0, tzinfo=JST)


def kinds(user):
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_correction_reminder_three_business_days_before_the_deadline(draft, people):
    with time_machine.travel(MONDAY, tick=False):
        wf.subsidy_submit(application_id=draft.pk, by=people.applicant)
        wf.step_complete(
            application_id=draft.pk,
            step=steps.CHECK_DOCUMENTS,
            by=people.staff,
            data={"accept": False, "items": ["印鑑"]},
        )
    deadline = draft.correction_requests.get().deadline
    assert deadline == dt.date(2026, 12, 14)  # 10 business days after Monday 11/30

    assert reminders_send(today=dt.date(2026, 12, 8))["correction_due"] == 0  # 4 days before
    assert reminders_send(today=dt.date(2026, 12, 9))["correction_due"] == 1  # 3 days before
    assert reminders_send(today=dt.date(2026, 12, 10))["correction_due"] == 0  # sent already
    assert kinds(people.applicant).count("correction_due") == 1


def test_a_returned_declaration_is_reminded_too(people):
    with time_machine.travel(MONDAY, tick=False):
        declaration = draft_declaration(people.applicant)
        declarations.declaration_submit(declaration_id=declaration.pk, by=people.applicant)
        declarations.declaration_return_for_correction(
            declaration_id=declaration.pk, by=people.staff, items=["推進責任者"]
        )

    assert reminders_send(today=dt.date(2026, 12, 8))["correction_due"] == 0
    assert reminders_send(today=dt.date(2026, 12, 9))["correction_due"] == 1
    assert reminders_send(today=dt.date(2026, 12, 10))["correction_due"] == 0
    assert kinds(people.applicant).count("correction_due") == 1


def test_results_reminder_when_the_report_is_due(draft, people):
    advance(draft, "granted", vars(people))
    SubsidyRound.objects.filter(pk=draft.round_id).update(
        results_report_deadline=dt.date(2027, 2, 26)
    )
    assert reminders_send(today=dt.date(2027, 1, 29))["results_due"] == 0
    assert reminders_send(today=dt.date(2027, 2, 15))["results_due"] == 1
    assert reminders_send(today=dt.date(2027, 2, 16))["results_due"] == 0
    message = Notification.objects.get(recipient=people.applicant, kind="results_due")
    assert "2027年2月26日" in message.subject  # as pages write it, not 2027-02-26


def test_overdue_review_task_reminds_the_queue_then_the_owner(draft, people):
    with time_machine.travel(MONDAY, tick=False):
        wf.subsidy_submit(application_id=draft.pk, by=people.applicant)
    assert reminders_send(today=dt.date(2026, 12, 4))["task_overdue"] == 0  # 4 business days
    assert reminders_send(today=dt.date(2026, 12, 7))["task_overdue"] == 1  # 5
    assert "task_overdue" in kinds(people.staff) and "task_overdue" in kinds(people.staff2)
    assert "task_overdue" not in kinds(people.approver)
