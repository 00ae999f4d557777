from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from applications.models import Application
from applications.services import application_lapse, open_correction
from core.dates import end_of_day_jst

from . import steps
from .jobs import letter_batch_job
from .locks import process_row_lock
from .models import LetterBatchProcess, SubsidyProcess
from .nodes import CeleryJob
from .notices import task_waiting_notify
from .views import StepView

Status = Application.Status


TASK_SUMMARY = "{{ process.application.reference }} {{ process.application.company.name }}"


def _status(activation) -> str:
    return Application.objects.values_list("status", flat=True).get(
        pk=activation.process.application_id
    )


class SubsidyFlow(flow.Flow):
    """Training subsidy

    人材育成支援補助金: from submission to payment.
    """

    process_class = SubsidyProcess
    lock_impl = process_row_lock
    process_title = _("Training subsidy")
    process_description = _("人材育成支援補助金: from submission to payment.")
    process_summary_template = (
        "{{ process.application.reference }} {{ process.application.company.name }} "
        "({{ process.application.get_status_display }})"
    )

    start = flow.StartHandle(this.start_process).Next(this.check_documents)

    check_documents = (
        flow.View(StepView.as_view(step=steps.CHECK_DOCUMENTS))
        .Annotation(title=steps.CHECK_DOCUMENTS.title, summary_template=TASK_SUMMARY)
        .Permission("applications.check_documents")
        .onCreate(this.task_created)
        .Next(this.documents_complete)
    )
    documents_complete = flow.If(this.is_in_screening).Then(this.screen).Else(this.await_correction)
    await_correction = (
        flow.Handle(this.on_resubmitted)
        .Annotation(title=_("Applicant corrects"), summary_template=TASK_SUMMARY)
        .OnTimeout(this.correction_deadline, this.lapse, title=_("Correction deadline"))
        .Next(this.check_documents)
    )
    lapse = flow.Function(this.lapse_application).Next(this.lapsed)

    screen = (
        flow.View(StepView.as_view(step=steps.SCREEN))
        .Annotation(title=steps.SCREEN.title, summary_template=TASK_SUMMARY)
        .Permission("applications.screen_application")
        .onCreate(this.task_created)
        .Next(this.decide)
    )
    decide = (
        flow.View(StepView.as_view(step=steps.DECIDE))
        .Annotation(title=steps.DECIDE.title, summary_template=TASK_SUMMARY)
        .Permission("applications.decide_grant")
        .onCreate(this.task_created)
        .Next(this.is_granted)
    )
    is_granted = flow.If(this.was_granted).Then(this.await_results).Else(this.rejected)

    await_results = (
        flow.Handle(this.on_results_reported)
        .Annotation(title=_("Applicant reports results"), summary_template=TASK_SUMMARY)
        .Next(this.check_results)
    )
    check_results = (
        flow.View(StepView.as_view(step=steps.CHECK_RESULTS))
        .Annotation(title=steps.CHECK_RESULTS.title, summary_template=TASK_SUMMARY)
        .Permission("applications.check_results")
        .onCreate(this.task_created)
        .Next(this.results_accepted)
    )
    results_accepted = (
        flow.If(this.are_results_checked).Then(this.confirm_amount).Else(this.await_results)
    )
    confirm_amount = (
        flow.View(StepView.as_view(step=steps.CONFIRM_AMOUNT))
        .Annotation(title=steps.CONFIRM_AMOUNT.title, summary_template=TASK_SUMMARY)
        .Permission("applications.decide_grant")
        .onCreate(this.task_created)
        .Next(this.release_payment)
    )
    release_payment = (
        flow.View(StepView.as_view(step=steps.RELEASE_PAYMENT))
        .Annotation(title=steps.RELEASE_PAYMENT.title, summary_template=TASK_SUMMARY)
        .Permission("applications.release_payment")
        .onCreate(this.task_created)
        .Next(this.paid)
    )

    paid = flow.End()
    rejected = flow.End()
    lapsed = flow.End()

    def start_process(self, activation, application_id: int) -> SubsidyProcess:
        activation.process.application_id = application_id
        return activation.process

    def is_in_screening(self, activation) -> bool:
        return _status(activation) == Status.SCREENING

    def was_granted(self, activation) -> bool:
        return _status(activation) == Status.GRANTED

    def are_results_checked(self, activation) -> bool:
        return _status(activation) == Status.RESULTS_CHECKED

    def correction_deadline(self, activation):
        application = Application.objects.get(pk=activation.process.application_id)
        return end_of_day_jst(open_correction(application).deadline)

    def task_created(self, activation) -> None:
        task_waiting_notify(
            application_id=activation.process.application_id,
            step=steps.STEPS[activation.flow_task.name],
        )

    def lapse_application(self, activation) -> None:
        application_lapse(application_id=activation.process.application_id)

    def on_resubmitted(self, activation, perform) -> None:
        perform()

    def on_results_reported(self, activation, perform) -> None:
        perform()


class LetterBatchFlow(flow.Flow):
    """Letter batch

    Regenerates many letters in the background, with progress.
    """

    process_class = LetterBatchProcess
    lock_impl = process_row_lock
    process_title = _("Letter batch")
    process_summary_template = "{{ process.data.description }}"

    start = flow.StartHandle(this.start_batch).Next(this.render)
    render = CeleryJob(letter_batch_job).Annotation(title=_("Render the letters")).Next(this.end)
    end = flow.End()

    def start_batch(self, activation, batch_id: int, description: str) -> LetterBatchProcess:
        activation.process.data = {"batch_id": batch_id, "description": description}
        return activation.process
