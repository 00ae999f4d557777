"""Orchestration: the applicant's actions that move the flow, and completing a staff step from
code (API, simulation). Each runs the domain service and the flow's bookkeeping in one
transaction, so a refused action leaves neither half-done."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.base import Flow
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS
from viewflow.workflow.timers import fire_due_timers

from applications.exceptions import InvalidState, NotAllowed
from applications.models import Application
from applications.services import (
    ActualCostInput,
    application_resubmit,
    application_submit,
    application_withdraw,
    lock_application,
    results_report,
)
from awards.models import AwardRound, Nomination
from awards.services import (
    nomination_cite_applications,
    nomination_resubmit,
    nomination_submit,
    nomination_withdraw,
    nominations_conclude,
)
from core.dates import JST, today_jst
from core.errors import AlreadyDone
from core.policy import refuse_unless
from core.roles import Role, has_role
from declarations.models import Declaration
from declarations.services import (
    declaration_resubmit,
    declaration_submit,
    declaration_update,
    declaration_withdraw,
)
from letters.models import LetterBatch
from letters.services import letter_batch_create
from outcomes.models import OutcomeReport
from outcomes.selectors import outcome_report_get_for_user
from outcomes.services import outcome_report_open, outcome_report_submit
from payments.models import Payable, Payment
from payments.services import payment_claim
from screening.committee import item_withdraw, reviews_closed_ensure
from screening.models import ReviewPanel

from . import policy
from .flows import CommitteeFlow, DeclarationFlow, LetterBatchFlow, NominationFlow, SubsidyFlow
from .models import CommitteeProcess
from .selectors import process_of_subjects, subsidy_process_for
from .steps import Step

ACTIVE = policy.ACTIVE


def active_task(
    subject_id: int, node_name: str, flow_class: type[Flow] = SubsidyFlow
) -> Task | None:
    model = flow_class.process_class.subject_model
    return (
        Task.objects.filter(
            **process_of_subjects(model, [subject_id], prefix="process__"),
            flow_task=flow_class.instance.node(node_name),
            status__in=ACTIVE,
        )
        .order_by("-pk")
        .first()
    )


def active_tasks(subject_id: int, model: type[models.Model] = Application) -> list[Task]:
    return list(
        Task.objects.filter(
            **process_of_subjects(model, [subject_id], prefix="process__"),
            status__in=ACTIVE,
            flow_task_type="HUMAN",
        ).select_related("owner")
    )


def _require_task(subject_id: int, node_name: str, flow_class: type[Flow] = SubsidyFlow) -> Task:
    task = active_task(subject_id, node_name, flow_class)
    if task is None:
        raise InvalidState(
            _("There is no open “%(step)s” step for this record.")
            % {"step": node_name.replace("_", " ")}
        )
    return task


def _run_handle(flow_class: type[Flow], node_name: str, subject_id: int, action: Any) -> Any:
    """Complete the waiting Handle node with ``action`` (the domain service) as its work."""
    task = _require_task(subject_id, node_name, flow_class)
    result: dict[str, Any] = {}

    def perform() -> None:
        result["value"] = action()

    flow_class.instance.node(node_name).run(task, perform=perform)
    return result["value"]


@transaction.atomic
def subsidy_submit(*, application_id: int, by: Any) -> Application:
    """Submit a draft and start its subsidy process."""
    application = application_submit(application_id=application_id, by=by)
    SubsidyFlow.start.run(subject_id=application.pk)
    return application


def subsidy_resubmit(*, application_id: int, by: Any, answer: str = "") -> Application:
    """Answer a return for correction: the document check starts again."""
    return _run_handle(
        SubsidyFlow,
        "await_correction",
        application_id,
        lambda: application_resubmit(application_id=application_id, by=by, answer=answer),
    )


def subsidy_report_results(
    *, application_id: int, by: Any, costs: Iterable[ActualCostInput]
) -> Application:
    return _run_handle(
        SubsidyFlow,
        "await_results",
        application_id,
        lambda: results_report(application_id=application_id, by=by, costs=costs),
    )


def subsidy_claim_payment(*, application_id: int, by: Any, account_id: int) -> Payable:
    """The payment claim (精算払請求) into a registered account: a payable for finance."""
    return _run_handle(
        SubsidyFlow,
        "await_claim",
        application_id,
        lambda: payment_claim(application_id=application_id, by=by, account_id=account_id),
    )


def _paid_on(application_id: int) -> dt.date:
    """The transfer date of the application's payment (the day the money arrived)."""
    payment = (
        Payment.objects.filter(application_id=application_id).select_related("item__batch").first()
    )
    if payment is None:
        return today_jst()
    if payment.item is not None:
        return payment.item.batch.transfer_date
    return payment.released_at.astimezone(JST).date()


@transaction.atomic
def subsidy_paid(*, application_id: int) -> None:
    """The bank reported the transfer paid: the company owes its outcome report if the round
    asks for one, and the process waits for it; otherwise the process ends. Safe to repeat."""
    application = lock_application(application_id)
    outcome_report_open(application=application, paid_on=_paid_on(application_id))
    task = active_task(application_id, "await_payment")
    if task is not None:
        SubsidyFlow.await_payment.run(task)


def subsidy_outcome_report_submit(
    *, report_id: int, by: Any, values: dict[str, Any], comment: str = ""
) -> OutcomeReport:
    """The company reports its outcomes (効果報告); staff then check the report."""
    report = outcome_report_get_for_user(by, report_id)
    if active_task(report.application_id, "await_outcome_report") is None:
        raise InvalidState(
            _("This outcome report is %(status)s; it cannot be submitted now.")
            % {"status": report.get_status_display()}
        )
    return _run_handle(
        SubsidyFlow,
        "await_outcome_report",
        report.application_id,
        lambda: outcome_report_submit(report_id=report.pk, values=values, comment=comment, by=by),
    )


@transaction.atomic
def subsidy_withdraw(*, application_id: int, by: Any, reason: str = "") -> Application:
    """Withdraw before the decision; the process, if started, is cancelled with its tasks."""
    application = application_withdraw(application_id=application_id, by=by, reason=reason)
    process = subsidy_process_for(application_id)
    if process is not None and process.status == PROCESS.NEW:
        SubsidyFlow.instance.cancel(process)
    return application


def subsidy_revoked(*, application_id: int) -> None:
    """The grant was revoked: a process still waiting (for results, a claim, the payment) is
    cancelled with its tasks; a finished one is left as it ended."""
    process = subsidy_process_for(application_id)
    if process is not None and process.status == PROCESS.NEW:
        SubsidyFlow.instance.cancel(process)


def step_complete(
    *, application_id: int, step: Step, by: Any, data: dict, flow_class: type[Flow] = SubsidyFlow
) -> Any:
    """Complete a staff step from code, with the same permission checks as the web pages.

    ``application_id`` is the id of the flow's subject (application, declaration, …).
    """
    task = _require_task(application_id, step.node, flow_class)
    return task_complete(task_id=task.pk, by=by, data=data)


def _locked_task(task_id: int, by: Any) -> Task:
    task = Task.objects.select_related("process").filter(pk=task_id).first()
    if task is None or not policy.may_take(by, task):
        raise NotAllowed(_("Your role cannot take this step."))
    return task


def step_of(task: Task) -> Step:
    """The human step a staff task is: its form, its service, its title."""
    return task.flow_task.flow_class.instance.steps[task.flow_task.name]


@transaction.atomic
def task_complete(*, task_id: int, by: Any, data: dict) -> Any:
    """Do the step's work with the validated ``data`` and move the flow on; an unassigned step
    is claimed by whoever completes it. A refusal by the step or a node after it undoes both."""
    task = _locked_task(task_id, by)
    step = step_of(task)
    with task.activation() as activation:
        task = activation.task
        if task.status not in policy.ACTIVE:
            # Read before the lock, completed by a concurrent request (a double click) since.
            raise AlreadyDone(_("The “%(step)s” step is already done.") % {"step": step.title})
        refuse_unless(policy.task_actions(by, task)[policy.COMPLETE])
        if task.owner_id is None:
            activation.assign(by)
        activation.start(None)
        result = step.perform(task.process.artifact_object_id, by, data)
        activation.execute()
    return result


@transaction.atomic
def task_claim(*, task_id: int, by: Any) -> Task:
    """Take an open step: it is the user's until done, released or handed on."""
    task = _locked_task(task_id, by)
    with task.activation() as activation:
        refuse_unless(policy.task_actions(by, activation.task)[policy.CLAIM])
        activation.assign(by)
    return activation.task


@transaction.atomic
def task_release(*, task_id: int, by: Any) -> Task:
    """Put a held step back in the team's queue."""
    task = _locked_task(task_id, by)
    with task.activation() as activation:
        refuse_unless(policy.task_actions(by, activation.task)[policy.RELEASE])
        activation.unassign()
    return activation.task


@transaction.atomic
def task_reassign(*, task_id: int, by: Any, to: Any) -> Task:
    """Hand a step to a colleague whose role takes it."""
    task = _locked_task(task_id, by)
    with task.activation() as activation:
        task = activation.task
        refuse_unless(policy.task_actions(by, task)[policy.REASSIGN])
        if not policy.may_take(to, task):
            raise NotAllowed(
                _("%(user)s's role cannot take this step.")
                % {"user": to.get_full_name() or to.get_username()},
                field="to",
            )
        if task.owner_id is None:
            activation.assign(to)
        else:
            activation.reassign(to)
    return task


def timers_fire_due(
    *,
    application_ids: Iterable[int] | None = None,
    subjects: tuple[type[models.Model], Iterable[int]] | None = None,
) -> int:
    """Fire due timers (deadlines); with ids, only the timers of those applications (or of
    those records of another model).

    The timer loop and Celery beat fire all of them; a simulation restricts itself to its own.
    """
    if application_ids is None and subjects is None:
        return fire_due_timers()
    model, ids = subjects if subjects is not None else (Application, application_ids)
    fired = 0
    due = Task.objects.filter(
        flow_task_type="TIMER",
        status=STATUS.SCHEDULED,
        scheduled__lte=timezone.now(),
        **process_of_subjects(model, ids, prefix="process__"),
    ).order_by("scheduled")
    for task in due:
        with transaction.atomic(), task.activation() as activation:
            if activation.start.can_proceed():
                activation.start()
                activation.execute()
                fired += 1
    return fired


@transaction.atomic
def letter_batch_start(*, letter_ids: list[int], description: str, by: Any) -> LetterBatch:
    """Regenerate many letters in the background (a viewflow job); progress on the batch."""
    if not (has_role(by, Role.STAFF) or has_role(by, Role.ADMIN)):
        raise NotAllowed(_("Only programme staff can regenerate letters."))
    batch = letter_batch_create(letter_ids=letter_ids, description=description, by=by)
    LetterBatchFlow.start.run(batch_id=batch.pk, description=description)
    return batch


def _withdraw_and_cancel(flow_class: type[Flow], subject_id: int, withdraw: Any) -> Any:
    """Withdraw before the flow waits on the applicant; its process is cancelled with its tasks."""
    subject = withdraw()
    model = flow_class.process_class.subject_model
    process = flow_class.process_class.objects.filter(
        **process_of_subjects(model, [subject_id])
    ).first()
    if process is not None and process.status == PROCESS.NEW:
        flow_class.instance.cancel(process)
    return subject


# --- promotion declaration -----------------------------------------------------------------


@transaction.atomic
def declaration_process_submit(
    *, declaration_id: int, by: Any, fields: dict[str, Any] | None = None
) -> Declaration:
    """Submit a declaration and start its process (check → registration); with ``fields``,
    the edits on the page are saved first, in the same transaction."""
    if fields:
        declaration_update(declaration_id=declaration_id, by=by, **fields)
    declaration = declaration_submit(declaration_id=declaration_id, by=by)
    DeclarationFlow.start.run(subject_id=declaration.pk)
    return declaration


@transaction.atomic
def declaration_process_resubmit(
    *, declaration_id: int, by: Any, answer: str = "", fields: dict[str, Any] | None = None
) -> Declaration:
    """Answer a return for correction and submit again; with ``fields``, the corrected text is
    saved first. One act: if the resubmission is refused, the edits are not kept either, so
    what is checked (and later published) is always what the company last sent."""
    if fields:
        declaration_update(declaration_id=declaration_id, by=by, **fields)
    return _run_handle(
        DeclarationFlow,
        "await_correction",
        declaration_id,
        lambda: declaration_resubmit(declaration_id=declaration_id, by=by, answer=answer),
    )


@transaction.atomic
def declaration_process_withdraw(*, declaration_id: int, by: Any, reason: str = "") -> Declaration:
    """Withdraw: a registered declaration leaves the public list and its process ends."""

    def withdraw() -> Declaration:
        return declaration_withdraw(declaration_id=declaration_id, by=by, reason=reason)

    if active_task(declaration_id, "registered", DeclarationFlow) is not None:
        return _run_handle(DeclarationFlow, "registered", declaration_id, withdraw)
    return _withdraw_and_cancel(DeclarationFlow, declaration_id, withdraw)


# --- reskilling award ----------------------------------------------------------------------


@transaction.atomic
def nomination_process_submit(
    *, nomination_id: int, by: Any, application_ids: list[int] | None = None
) -> Nomination:
    """Submit; with ``application_ids``, the subsidies ticked on the page are cited first."""
    if application_ids is not None:
        nomination_cite_applications(
            nomination_id=nomination_id, by=by, application_ids=application_ids
        )
    nomination = nomination_submit(nomination_id=nomination_id, by=by)
    NominationFlow.start.run(subject_id=nomination.pk)
    return nomination


@transaction.atomic
def nomination_process_resubmit(
    *, nomination_id: int, by: Any, answer: str = "", application_ids: list[int] | None = None
) -> Nomination:
    """Answer a return for correction; with ``application_ids``, the subsidies ticked on the
    page are cited first, in the same transaction (a refused resubmission keeps neither)."""
    if application_ids is not None:
        nomination_cite_applications(
            nomination_id=nomination_id, by=by, application_ids=application_ids
        )
    return _run_handle(
        NominationFlow,
        "await_correction",
        nomination_id,
        lambda: nomination_resubmit(nomination_id=nomination_id, by=by, answer=answer),
    )


@transaction.atomic
def nomination_process_withdraw(*, nomination_id: int, by: Any, reason: str = "") -> Nomination:
    """Withdraw; a nomination under review also leaves the committee's ranking."""
    nomination = _withdraw_and_cancel(
        NominationFlow,
        nomination_id,
        lambda: nomination_withdraw(nomination_id=nomination_id, by=by, reason=reason),
    )
    item_withdraw(subject=nomination, by=by)
    return nomination


def _review_task(assignment_id: int) -> Task | None:
    return Task.objects.filter(
        flow_task=NominationFlow.review,
        status__in=ACTIVE,
        data__assignment_id=assignment_id,
    ).first()


def review_task_close(*, assignment_id: int) -> None:
    """A reviewer scored (or the deadline passed): their task in the nomination's flow ends."""
    task = _review_task(assignment_id)
    if task is not None:
        NominationFlow.review.run(task)


def review_task_move(*, old_assignment_id: int, new_assignment_id: int | None) -> None:
    """A reviewer recused: the task follows the replacement, or ends when nobody is left."""
    task = _review_task(old_assignment_id)
    if task is None:
        return
    if new_assignment_id is None:
        NominationFlow.review.run(task)
        return
    task.data = {**(task.data or {}), "assignment_id": new_assignment_id}
    task.save(update_fields=["data"])


@transaction.atomic
def committee_process_start(*, panel_id: int, by: Any) -> Any:
    """Staff open the committee's decision once the reviews are in (or their deadline passed)."""
    if not has_role(by, Role.STAFF):
        raise NotAllowed(_("Only programme staff can open the committee's decision."))
    panel = ReviewPanel.objects.select_for_update().get(pk=panel_id)  # one opening at a time
    if CommitteeProcess.objects.filter(
        **process_of_subjects(ReviewPanel, [panel_id]), status=PROCESS.NEW
    ).exists():
        raise InvalidState(_("The committee's decision is already open."))
    nomination_ids = panel.items.values_list("object_id", flat=True)
    timers_fire_due(subjects=(Nomination, list(nomination_ids)))
    reviews_closed_ensure(panel)
    return CommitteeFlow.start.run(subject_id=panel_id)


def committee_conclude(*, panel_id: int) -> list[Nomination]:
    """After approval: conclude the round's nominations and move each flow past selection."""
    panel = ReviewPanel.objects.get(pk=panel_id)
    round_ = panel.round
    if not isinstance(round_, AwardRound):
        return []
    decision = panel.decisions.order_by("-pk").first()
    nominations = nominations_conclude(round_id=round_.pk, decision_id=decision.pk)
    for nomination in nominations:
        task = active_task(nomination.pk, "await_selection", NominationFlow)
        if task is not None:
            NominationFlow.await_selection.run(task)
    return nominations
