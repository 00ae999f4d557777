"""Orchestration: the applicant's actions that move the flow, and completing a staff step from
code (API, simulation). Each runs the domain service and the flow's bookkeeping in one
transaction, so a refused action leaves neither half-done."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
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
    results_report,
)
from core.roles import Role, has_role
from letters.models import LetterBatch
from letters.services import letter_batch_create

from .flows import LetterBatchFlow, SubsidyFlow
from .selectors import process_of_applications, subsidy_process_for
from .steps import Step

ACTIVE = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


def active_task(application_id: int, node_name: str) -> Task | None:
    return (
        Task.objects.filter(
            **process_of_applications([application_id], prefix="process__"),
            flow_task=SubsidyFlow.instance.node(node_name),
            status__in=ACTIVE,
        )
        .order_by("-pk")
        .first()
    )


def active_tasks(application_id: int) -> list[Task]:
    return list(
        Task.objects.filter(
            **process_of_applications([application_id], prefix="process__"),
            status__in=ACTIVE,
            flow_task_type="HUMAN",
        ).select_related("owner")
    )


def _require_task(application_id: int, node_name: str) -> Task:
    task = active_task(application_id, node_name)
    if task is None:
        raise InvalidState(
            _("This application has no open “%(step)s” step.")
            % {"step": node_name.replace("_", " ")}
        )
    return task


@transaction.atomic
def subsidy_submit(*, application_id: int, by: Any) -> Application:
    """Submit a draft and start its subsidy process."""
    application = application_submit(application_id=application_id, by=by)
    SubsidyFlow.start.run(application_id=application.pk)
    return application


def subsidy_resubmit(*, application_id: int, by: Any, answer: str = "") -> Application:
    """Answer a return for correction: the document check starts again."""
    task = _require_task(application_id, "await_correction")
    result: dict[str, Application] = {}

    def perform() -> None:
        result["application"] = application_resubmit(
            application_id=application_id, by=by, answer=answer
        )

    SubsidyFlow.await_correction.run(task, perform=perform)
    return result["application"]


def subsidy_report_results(
    *, application_id: int, by: Any, costs: Iterable[ActualCostInput]
) -> Application:
    task = _require_task(application_id, "await_results")
    result: dict[str, Application] = {}

    def perform() -> None:
        result["application"] = results_report(application_id=application_id, by=by, costs=costs)

    SubsidyFlow.await_results.run(task, perform=perform)
    return result["application"]


@transaction.atomic
def subsidy_withdraw(*, application_id: int, by: Any, reason: str = "") -> Application:
    """Withdraw before the decision; the process, if started, is cancelled with its tasks."""
    application = application_withdraw(application_id=application_id, by=by, reason=reason)
    process = subsidy_process_for(application_id)
    if process is not None and process.status == PROCESS.NEW:
        SubsidyFlow.instance.cancel(process)
    return application


def step_complete(*, application_id: int, step: Step, by: Any, data: dict) -> Any:
    """Complete a staff step from code, with the same permission checks as the web pages."""
    task = _require_task(application_id, step.node)
    with task.activation() as activation:
        flow_task = activation.flow_task
        if task.owner_id is None:
            if not flow_task.can_assign(by, task):
                raise NotAllowed(
                    _("Your role cannot take the “%(step)s” step.") % {"step": step.title}
                )
            activation.assign(by)
        if not flow_task.can_execute(by, task):
            raise NotAllowed(_("This step is assigned to someone else."))
        activation.start(None)
        result = step.perform(application_id, by, data)
        activation.execute()
    return result


def timers_fire_due(*, application_ids: Iterable[int] | None = None) -> int:
    """Fire due timers (correction deadlines); with ids, only those applications' timers.

    The timer loop and Celery beat fire all of them; a simulation restricts itself to its own.
    """
    if application_ids is None:
        return fire_due_timers()
    fired = 0
    due = Task.objects.filter(
        flow_task_type="TIMER",
        status=STATUS.SCHEDULED,
        scheduled__lte=timezone.now(),
        **process_of_applications(application_ids, prefix="process__"),
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
