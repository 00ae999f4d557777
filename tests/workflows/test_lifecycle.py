"""The subsidy flow end to end through the services and the viewflow process."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS
from viewflow.workflow.timers import fire_due_timers

from applications.exceptions import InvalidState
from applications.models import Application, Decision, SubsidyRound
from applications.services import SamePersonDecides
from audit.models import AuditEvent
from core.dates import JST, end_of_day_jst
from fixtures.demo import advance
from payments.models import Payment
from workflows import services as wf
from workflows import steps
from workflows.selectors import subsidy_process_for

pytestmark = pytest.mark.django_db

S = Application.Status


def status_changes(application):
    return list(
        AuditEvent.objects.filter(
            subject_type="applications.application", subject_id=str(application.pk)
        )
        .exclude(to_status="")
        .exclude(action="create")
        .values_list("action", "actor__username", "actor_role", "from_status", "to_status")
    )


def test_lifecycle_submission_to_payment(draft, people, run_on_commit):
    # when
    application = run_on_commit(advance, draft, "paid", vars(people))
    # then
    assert application.status == S.PAID
    assert application.requested_amount == 187_000
    assert application.decided_amount == 187_000
    assert application.confirmed_amount == 187_000
    assert Payment.objects.get(application=application).amount == 187_000
    assert SubsidyRound.objects.get(pk=application.round_id).committed_total == 187_000
    process = subsidy_process_for(application.pk)
    assert process.status == PROCESS.DONE
    assert status_changes(application) == [
        ("submit", "applicant", "applicant", "draft", "submitted"),
        ("accept_documents", "staff", "staff", "submitted", "screening"),
        ("record_screening", "staff", "staff", "screening", "decision_pending"),
        ("grant", "approver", "approver", "decision_pending", "granted"),
        ("report_results", "applicant", "applicant", "granted", "results_submitted"),
        ("accept_results", "staff2", "staff", "results_submitted", "results_checked"),
        ("confirm_amount", "approver", "approver", "results_checked", "confirmed"),
        ("transfer_paid", "finance", "finance", "confirmed", "paid"),
    ]
    kinds = list(
        application.decisions.values_list(
            "kind", "amount", "prepared_by__username", "decided_by__username"
        )
    )
    assert kinds == [
        (Decision.Kind.GRANT, 187_000, "staff", "approver"),
        (Decision.Kind.AMOUNT_CONFIRMATION, 187_000, "staff2", "approver"),
    ]
    subjects = [message.subject for message in mail.outbox]
    assert any("received" in s or "受け付け" in s for s in subjects)
    assert len(mail.outbox) >= 3


def test_lifecycle_screening_reason_recorded_on_the_event(draft, people):
    advance(draft, "decision_pending", vars(people))
    event = AuditEvent.objects.get(action="record_screening", subject_id=str(draft.pk))
    assert event.reason.startswith("研修計画は")
    assert event.data["recommended_amount"] == 187_000
    assert event.data["eligible"] is True


def _return_for_correction(application, people):
    wf.subsidy_submit(application_id=application.pk, by=people.applicant)
    wf.step_complete(
        application_id=application.pk,
        step=steps.CHECK_DOCUMENTS,
        by=people.staff,
        data={"accept": False, "items": ["事業計画書の目的欄"], "message": "要修正"},
    )


def test_correction_loop_resubmit_then_accept(draft, people):
    _return_for_correction(draft, people)
    correction = draft.correction_requests.get()
    assert Application.objects.get(pk=draft.pk).status == S.RETURNED
    assert correction.items == ["事業計画書の目的欄"]

    wf.subsidy_resubmit(application_id=draft.pk, by=people.applicant, answer="目的を追記しました")
    assert Application.objects.get(pk=draft.pk).status == S.SUBMITTED
    correction.refresh_from_db()
    assert correction.answer == "目的を追記しました"
    assert correction.answered_at is not None

    wf.step_complete(
        application_id=draft.pk, step=steps.CHECK_DOCUMENTS, by=people.staff2, data={"accept": True}
    )
    assert Application.objects.get(pk=draft.pk).status == S.SCREENING
    assert wf.active_task(draft.pk, "screen") is not None
    # the deadline timer of the answered correction can no longer fire
    assert not Task.objects.filter(flow_task_type="TIMER", status=STATUS.SCHEDULED).exists()


@time_machine.travel(dt.datetime(2026, 11, 24, 10, 0, tzinfo=JST), tick=False)
def test_correction_deadline_is_ten_business_days_skipping_holidays(draft, people):
    _return_for_correction(draft, people)
    assert draft.correction_requests.get().deadline == dt.date(2026, 12, 8)


def test_lapse_fires_on_deadline_not_before(draft, people, run_on_commit):
    _return_for_correction(draft, people)
    deadline = draft.correction_requests.get().deadline

    with time_machine.travel(end_of_day_jst(deadline) - dt.timedelta(minutes=1), tick=False):
        assert fire_due_timers() == 0
    assert Application.objects.get(pk=draft.pk).status == S.RETURNED

    with time_machine.travel(end_of_day_jst(deadline) + dt.timedelta(seconds=1), tick=False):
        assert run_on_commit(fire_due_timers) == 1

    application = Application.objects.get(pk=draft.pk)
    assert application.status == S.LAPSED
    event = AuditEvent.objects.get(action="lapse", subject_id=str(draft.pk))
    assert (event.actor, event.actor_role) == (None, "system")
    assert subsidy_process_for(draft.pk).status == PROCESS.DONE
    with pytest.raises(InvalidState):
        wf.subsidy_resubmit(application_id=draft.pk, by=people.applicant)


def test_withdrawal_cancels_the_process(draft, people):
    advance(draft, "screening", vars(people))
    wf.subsidy_withdraw(application_id=draft.pk, by=people.applicant, reason="計画変更")
    application = Application.objects.get(pk=draft.pk)
    assert application.status == S.WITHDRAWN
    process = subsidy_process_for(draft.pk)
    assert process.status == PROCESS.CANCELED
    assert not process.task_set.filter(status__in=wf.ACTIVE).exists()
    assert AuditEvent.objects.get(action="withdraw", subject_id=str(draft.pk)).reason == "計画変更"


def test_withdrawal_after_grant_refused(draft, people):
    advance(draft, "granted", vars(people))
    with pytest.raises(InvalidState):
        wf.subsidy_withdraw(application_id=draft.pk, by=people.applicant)
    assert Application.objects.get(pk=draft.pk).status == S.GRANTED


def test_rejection_ends_the_flow_without_spending_budget(draft, people):
    advance(draft, "screening", vars(people))
    wf.step_complete(
        application_id=draft.pk,
        step=steps.SCREEN,
        by=people.staff,
        data={"eligible": False, "recommend_grant": False, "reason": "対象外の研修"},
    )
    wf.step_complete(
        application_id=draft.pk,
        step=steps.DECIDE,
        by=people.approver,
        data={"approve": False, "reason": "補助対象経費に該当しない"},
    )
    application = Application.objects.get(pk=draft.pk)
    assert application.status == S.REJECTED
    assert application.decided_amount is None
    assert SubsidyRound.objects.get(pk=draft.round_id).committed_total == 0
    decision = application.decisions.get()
    assert (decision.kind, decision.reason) == (Decision.Kind.NON_GRANT, "補助対象経費に該当しない")
    assert subsidy_process_for(draft.pk).status == PROCESS.DONE


def test_decision_by_the_preparer_refused(draft, people):
    from django.contrib.auth.models import Group

    from core.roles import Role

    people.staff.groups.add(Group.objects.get(name=Role.APPROVER))
    advance(draft, "decision_pending", vars(people))
    screener = type(people.staff).objects.get(pk=people.staff.pk)
    with pytest.raises(SamePersonDecides):
        wf.step_complete(
            application_id=draft.pk, step=steps.DECIDE, by=screener, data={"approve": True}
        )
    assert Application.objects.get(pk=draft.pk).status == S.DECISION_PENDING
    assert wf.active_task(draft.pk, "decide").status == STATUS.NEW


def test_step_refused_for_the_wrong_role(draft, people):
    from applications.exceptions import NotAllowed

    advance(draft, "submitted", vars(people))
    with pytest.raises(NotAllowed):
        wf.step_complete(
            application_id=draft.pk,
            step=steps.CHECK_DOCUMENTS,
            by=people.finance,
            data={"accept": True},
        )
    assert Application.objects.get(pk=draft.pk).status == S.SUBMITTED
    assert wf.active_task(draft.pk, "check_documents").owner is None
