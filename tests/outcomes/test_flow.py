"""The subsidy flow after payment: it waits for the outcome report, staff check it (return →
waiting again), and acceptance completes the process."""

import pytest
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS

from core.errors import InvalidState, NotAllowed, ValidationFailed
from notifications.models import Notification
from outcomes.models import OutcomeReport
from workflows import services as wf
from workflows import steps
from workflows.selectors import subsidy_process_for

from .helpers import values

pytestmark = pytest.mark.django_db


def open_nodes(application_id):
    tasks = Task.objects.filter(
        process=subsidy_process_for(application_id),
        status__in=(STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED),
    )
    return sorted(task.flow_task.name for task in tasks)


def ended_at(application_id):
    tasks = Task.objects.filter(process=subsidy_process_for(application_id), flow_task_type="END")
    return [task.flow_task.name for task in tasks]


def check(report, by, **data):
    return wf.step_complete(
        application_id=report.application_id,
        step=steps.CHECK_OUTCOME_REPORT,
        by=by,
        data={"reason": "", **data},
    )


def test_flow_after_payment_waits_for_the_outcome_report(report):
    process = subsidy_process_for(report.application_id)
    assert process.status == PROCESS.NEW
    assert open_nodes(report.application_id) == ["await_outcome_report"]


def test_flow_submit_then_staff_task_then_accept_completes(report, people, run_on_commit):
    # when the company submits its report
    run_on_commit(
        wf.subsidy_outcome_report_submit, report_id=report.pk, by=people.applicant, values=values()
    )
    # then a staff task waits, and the staff queue was told
    assert open_nodes(report.application_id) == ["check_outcome_report"]
    waiting = Notification.objects.filter(kind="task_waiting", recipient=people.staff).last()
    assert report.application.reference in waiting.subject + waiting.body
    # when staff accept it
    check(report, people.staff, accept=True)
    # then the report is accepted and the process is done at its new end
    assert OutcomeReport.objects.get(pk=report.pk).status == OutcomeReport.Status.ACCEPTED
    assert subsidy_process_for(report.application_id).status == PROCESS.DONE
    assert ended_at(report.application_id) == ["outcomes_reported"]


def test_flow_return_waits_for_the_company_again(report, people):
    wf.subsidy_outcome_report_submit(report_id=report.pk, by=people.applicant, values=values())
    check(report, people.staff2, accept=False, reason="資格の内訳を記載してください")

    assert OutcomeReport.objects.get(pk=report.pk).status == OutcomeReport.Status.RETURNED
    assert open_nodes(report.application_id) == ["await_outcome_report"]

    wf.subsidy_outcome_report_submit(
        report_id=report.pk, by=people.applicant, values=values(), comment="内訳を追記"
    )
    check(report, people.staff, accept=True)
    assert subsidy_process_for(report.application_id).status == PROCESS.DONE


def test_flow_return_without_reason_leaves_the_task_open(report, people):
    wf.subsidy_outcome_report_submit(report_id=report.pk, by=people.applicant, values=values())
    with pytest.raises(ValidationFailed) as refused:
        check(report, people.staff, accept=False, reason="")
    assert refused.value.field == "reason"
    assert open_nodes(report.application_id) == ["check_outcome_report"]
    assert OutcomeReport.objects.get(pk=report.pk).status == OutcomeReport.Status.SUBMITTED


def test_flow_check_step_refused_to_the_applicant_and_finance(report, people):
    wf.subsidy_outcome_report_submit(report_id=report.pk, by=people.applicant, values=values())
    for who in (people.applicant, people.finance):
        with pytest.raises(NotAllowed):
            check(report, who, accept=True)
    assert OutcomeReport.objects.get(pk=report.pk).status == OutcomeReport.Status.SUBMITTED


def test_flow_submit_twice_refused_while_staff_check(report, people):
    wf.subsidy_outcome_report_submit(report_id=report.pk, by=people.applicant, values=values())
    with pytest.raises(InvalidState):
        wf.subsidy_outcome_report_submit(report_id=report.pk, by=people.applicant, values=values())


def test_flow_refused_submission_leaves_the_flow_waiting(report, people):
    with pytest.raises(NotAllowed):
        wf.subsidy_outcome_report_submit(report_id=report.pk, by=people.staff, values=values())
    incomplete = values()
    del incomplete["qualifications"]
    with pytest.raises(ValidationFailed, match="資格"):
        wf.subsidy_outcome_report_submit(
            report_id=report.pk, by=people.applicant, values=incomplete
        )
    assert open_nodes(report.application_id) == ["await_outcome_report"]


def test_flow_round_without_measures_ends_at_paid(draft, people, run_on_commit):
    from fixtures.demo import advance

    paid = run_on_commit(advance, draft, "paid", vars(people))
    assert subsidy_process_for(paid.pk).status == PROCESS.DONE
    assert ended_at(paid.pk) == ["paid"]
