from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from applications.models import Application
from applications.services import application_lapse
from applications.services import open_correction as application_open_correction
from awards.models import Nomination
from awards.selectors import open_correction as nomination_open_correction
from awards.services import nomination_lapse
from core.dates import end_of_day_jst
from declarations.models import Declaration
from declarations.selectors import open_correction as declaration_open_correction
from declarations.services import declaration_expire, declaration_lapse
from outcomes.models import OutcomeReport
from outcomes.selectors import outcome_report_of_application
from screening.committee import (
    assignment_miss,
    review_assignments_open,
    review_item_for,
    reviewers_assign,
)

from . import steps as step_table
from .casework import TASK_SUMMARY, Casework, document_check, staff_step
from .jobs import letter_batch_job
from .locks import process_row_lock
from .models import (
    CommitteeProcess,
    DeclarationProcess,
    LetterBatchProcess,
    NominationProcess,
    SubsidyProcess,
)
from .nodes import CeleryJob, ForEach

Status = Application.Status


class SubsidyFlow(Casework, flow.Flow):
    """Training subsidy

    人材育成支援補助金: from submission to payment and the outcome report.
    """

    process_class = SubsidyProcess
    lock_impl = process_row_lock
    process_title = _("Training subsidy")
    process_description = _("人材育成支援補助金: from submission to payment.")
    process_summary_template = (
        "{{ process.subject.reference }} {{ process.subject.company.name }} "
        "({{ process.subject.get_status_display }})"
    )
    steps = step_table.SUBSIDY_STEPS
    check_permission = "applications.check_documents"
    accepted_statuses = (Status.SCREENING,)

    start = (
        flow.StartHandle(this.start_process)
        .Annotation(title=_("Application submitted"))
        .Next(this.check_documents)
    )
    check_documents, documents_complete, await_correction, lapse, lapsed = document_check(
        then=this.screen, title=step_table.CHECK_DOCUMENTS.title
    )
    screen = staff_step(step_table.SCREEN.title, "applications.screen_application").Next(
        this.decide
    )
    decide = staff_step(step_table.DECIDE.title, "applications.decide_grant").Next(this.is_granted)
    is_granted = (
        flow.If(this.was_granted)
        .Annotation(title=_("Granted?"))
        .Then(this.await_results)
        .Else(this.rejected)
    )

    await_results = (
        flow.Handle(this.on_results_reported)
        .Annotation(title=_("Applicant reports results"), summary_template=TASK_SUMMARY)
        .Next(this.check_results)
    )
    check_results = staff_step(step_table.CHECK_RESULTS.title, "applications.check_results").Next(
        this.results_accepted
    )
    results_accepted = (
        flow.If(this.are_results_checked)
        .Annotation(title=_("Results report accepted?"))
        .Then(this.confirm_amount)
        .Else(this.await_results)
    )
    confirm_amount = staff_step(step_table.CONFIRM_AMOUNT.title, "applications.decide_grant").Next(
        this.await_claim
    )
    await_claim = (
        flow.Handle(this.on_claimed)
        .Annotation(title=_("Applicant claims payment (精算払請求)"), summary_template=TASK_SUMMARY)
        .Next(this.await_payment)
    )
    await_payment = (
        flow.Handle(this.on_paid)
        .Annotation(title=_("Paid by bank transfer"), summary_template=TASK_SUMMARY)
        .Next(this.outcome_report_requested)
    )
    # A round with outcome measures asks for the outcome report (効果報告) after payment.
    outcome_report_requested = (
        flow.If(this.is_outcome_report_open)
        .Annotation(title=_("Outcome report asked for?"))
        .Then(this.await_outcome_report)
        .Else(this.paid)
    )
    await_outcome_report = (
        flow.Handle(this.on_outcome_reported)
        .Annotation(title=_("Company reports outcomes (効果報告)"), summary_template=TASK_SUMMARY)
        .Next(this.check_outcome_report)
    )
    check_outcome_report = staff_step(
        step_table.CHECK_OUTCOME_REPORT.title, "outcomes.check_outcome_report"
    ).Next(this.outcome_report_accepted)
    outcome_report_accepted = (
        flow.If(this.is_outcome_report_accepted)
        .Annotation(title=_("Outcome report accepted?"))
        .Then(this.outcomes_reported)
        .Else(this.await_outcome_report)
    )

    paid = flow.End().Annotation(title=_("Paid"))
    outcomes_reported = flow.End().Annotation(title=_("Paid, outcomes reported"))
    rejected = flow.End().Annotation(title=_("Not granted"))

    def subject_lapse(self, subject_id: int) -> Any:
        return application_lapse(application_id=subject_id)

    def subject_open_correction(self, subject: Any) -> Any:
        return application_open_correction(subject)

    def was_granted(self, activation) -> bool:
        return self.current_status(activation) == Status.GRANTED

    def are_results_checked(self, activation) -> bool:
        return self.current_status(activation) == Status.RESULTS_CHECKED

    def on_results_reported(self, activation, perform) -> None:
        perform()

    def on_claimed(self, activation, perform) -> None:
        perform()

    def on_paid(self, activation) -> None:
        """Completed when the bank reports the transfer paid (payments' reconciliation)."""

    def _outcome_report(self, activation) -> OutcomeReport | None:
        return outcome_report_of_application(activation.process.subject_id)

    def is_outcome_report_open(self, activation) -> bool:
        report = self._outcome_report(activation)
        return report is not None and report.status in OutcomeReport.OPEN

    def is_outcome_report_accepted(self, activation) -> bool:
        report = self._outcome_report(activation)
        return report is not None and report.status == OutcomeReport.Status.ACCEPTED

    def on_outcome_reported(self, activation, perform) -> None:
        perform()


class DeclarationFlow(Casework, flow.Flow):
    """Promotion declaration

    リスキリング推進宣言: checked, registered and published until withdrawn or its period ends.
    """

    process_class = DeclarationProcess
    lock_impl = process_row_lock
    process_title = _("Promotion declaration")
    process_description = _("リスキリング推進宣言: from declaration to registration.")
    process_summary_template = (
        "{{ process.subject.reference }} {{ process.subject.company.name }} "
        "({{ process.subject.get_status_display }})"
    )
    steps = step_table.DECLARATION_STEPS
    check_permission = "declarations.check_declaration"
    accepted_statuses = (Declaration.Status.REGISTERED,)

    start = (
        flow.StartHandle(this.start_process)
        .Annotation(title=_("Declaration submitted"))
        .Next(this.check_documents)
    )
    check_documents, documents_complete, await_correction, lapse, lapsed = document_check(
        then=this.registered, title=step_table.CHECK_DECLARATION.title
    )
    registered = (
        flow.Handle(this.on_withdrawn)
        .Annotation(title=_("Registered and published"), summary_template=TASK_SUMMARY)
        .OnTimeout(this.period_end, this.expire, title=_("End of the declared period"))
        .Next(this.withdrawn)
    )
    expire = (
        flow.Function(this.expire_declaration)
        .Annotation(title=_("Expire the declaration"))
        .Next(this.expired)
    )
    withdrawn = flow.End().Annotation(title=_("Withdrawn"))
    expired = flow.End().Annotation(title=_("Declared period ended"))

    def subject_lapse(self, subject_id: int) -> Any:
        return declaration_lapse(declaration_id=subject_id)

    def subject_open_correction(self, subject: Any) -> Any:
        return declaration_open_correction(subject)

    def period_end(self, activation):
        return end_of_day_jst(activation.process.subject.period_end)

    def expire_declaration(self, activation) -> None:
        declaration_expire(declaration_id=activation.process.subject_id)

    def on_withdrawn(self, activation, perform) -> None:
        perform()


class NominationFlow(Casework, flow.Flow):
    """Reskilling award nomination

    リスキリング先進企業表彰: document check, committee review, selection and commendation.
    """

    process_class = NominationProcess
    lock_impl = process_row_lock
    process_title = _("Reskilling award nomination")
    process_description = _("リスキリング先進企業表彰: from nomination to commendation.")
    process_summary_template = (
        "{{ process.subject.reference }} {{ process.subject.company.name }} "
        "({{ process.subject.get_status_display }})"
    )
    steps = step_table.NOMINATION_STEPS
    check_permission = "awards.check_nomination"
    accepted_statuses = (Nomination.Status.IN_REVIEW,)

    start = (
        flow.StartHandle(this.start_process)
        .Annotation(title=_("Nomination submitted"))
        .Next(this.check_documents)
    )
    check_documents, documents_complete, await_correction, lapse, lapsed = document_check(
        then=this.assign_reviewers, title=step_table.CHECK_NOMINATION.title
    )
    assign_reviewers = (
        flow.Function(this.reviewers_assign)
        .Annotation(title=_("Assign reviewers"))
        .Next(this.reviews)
    )
    reviews = (
        ForEach(this.open_assignments)
        .Annotation(title=_("One review per reviewer"))
        .Next(this.review)
    )
    review = (
        flow.Handle(this.on_reviewed)
        .Annotation(title=_("Reviewer scores"), summary_template=TASK_SUMMARY)
        .OnTimeout(this.review_deadline, this.review_missed, title=_("Review deadline"))
        .Next(this.reviews_done)
    )
    review_missed = (
        flow.Function(this.assignment_missed)
        .Annotation(title=_("Record the missed review"))
        .Next(this.reviews_done)
    )
    reviews_done = flow.Join().Annotation(title=_("All reviews in")).Next(this.await_selection)
    await_selection = (
        flow.Handle(this.on_concluded)
        .Annotation(title=_("Committee selects"), summary_template=TASK_SUMMARY)
        .Next(this.is_selected)
    )
    is_selected = (
        flow.If(this.was_selected)
        .Annotation(title=_("Selected?"))
        .Then(this.commend)
        .Else(this.not_selected)
    )
    commend = staff_step(step_table.COMMEND.title, "awards.check_nomination").Next(this.commended)
    commended = flow.End().Annotation(title=_("Commended"))
    not_selected = flow.End().Annotation(title=_("Not selected"))

    def subject_lapse(self, subject_id: int) -> Any:
        return nomination_lapse(nomination_id=subject_id)

    def subject_open_correction(self, subject: Any) -> Any:
        return nomination_open_correction(subject)

    def _review_item(self, activation):
        return review_item_for(activation.process.subject)

    def reviewers_assign(self, activation) -> None:
        reviewers_assign(item_id=self._review_item(activation).pk)

    def open_assignments(self, activation) -> list[dict[str, int]]:
        item = self._review_item(activation)
        return [{"assignment_id": a.pk} for a in review_assignments_open(item)]

    def review_deadline(self, activation):
        return self._review_item(activation).panel.review_deadline

    def assignment_missed(self, activation) -> None:
        boundary = activation.task.previous.get()
        review_task = boundary.previous.get()
        assignment_miss(assignment_id=review_task.data["assignment_id"])

    def on_reviewed(self, activation) -> None:
        pass

    def on_concluded(self, activation) -> None:
        pass

    def was_selected(self, activation) -> bool:
        return self.current_status(activation) == Nomination.Status.SELECTED


class CommitteeFlow(Casework, flow.Flow):
    """Committee decision

    審査委員会: the chair records the selection, an approver who reviewed nothing approves it.
    """

    process_class = CommitteeProcess
    lock_impl = process_row_lock
    process_title = _("Committee decision")
    process_description = _("審査委員会: selection over the ranked reviews, then approval.")
    process_summary_template = "{{ process.subject.name }}"
    steps = step_table.COMMITTEE_STEPS

    start = (
        flow.StartHandle(this.start_process)
        .Annotation(title=_("Committee decision opened"))
        .Next(this.record_decision)
    )
    record_decision = (
        staff_step(step_table.RECORD_DECISION.title, "screening.manage_panel")
        .Assign(lambda activation: activation.process.subject.chair)
        .Next(this.approve_decision)
    )
    approve_decision = staff_step(
        step_table.APPROVE_DECISION.title, "screening.approve_committee_decision"
    ).Next(this.is_approved)
    is_approved = (
        flow.If(this.decision_approved)
        .Annotation(title=_("Decision approved?"))
        .Then(this.conclude)
        .Else(this.record_decision)
    )
    conclude = (
        flow.Function(this.conclude_round)
        .Annotation(title=_("Conclude the nominations"))
        .Next(this.end)
    )
    end = flow.End().Annotation(title=_("Nominations concluded"))

    def decision_approved(self, activation) -> bool:
        from screening.models import CommitteeDecision

        latest = activation.process.subject.decisions.order_by("-pk").first()
        return latest is not None and latest.status == CommitteeDecision.Status.APPROVED

    def conclude_round(self, activation) -> None:
        from .services import committee_conclude

        committee_conclude(panel_id=activation.process.subject_id)


class LetterBatchFlow(flow.Flow):
    """Letter batch

    Regenerates many letters in the background, with progress.
    """

    process_class = LetterBatchProcess
    lock_impl = process_row_lock
    process_title = _("Letter batch")
    process_summary_template = "{{ process.data.description }}"

    start = (
        flow.StartHandle(this.start_batch).Annotation(title=_("Batch requested")).Next(this.render)
    )
    render = CeleryJob(letter_batch_job).Annotation(title=_("Render the letters")).Next(this.end)
    end = flow.End().Annotation(title=_("Letters rendered"))

    def start_batch(self, activation, batch_id: int, description: str) -> LetterBatchProcess:
        activation.process.data = {"batch_id": batch_id, "description": description}
        return activation.process
