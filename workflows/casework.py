"""What every programme's flow shares: the document check, the return for correction with its
deadline, and the lapse when nobody answers.

A flow takes the nodes with ``document_check(...)`` and mixes in ``Casework``, naming what
differs (the status that means "accepted", the lapse service, where the open correction is).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from core.corrections import correction_lapses_at

from .notices import task_waiting_notify

TASK_SUMMARY = "{{ process.subject.reference }} {{ process.subject.company.name }}"


def _check_permission(activation: Any) -> str:
    return activation.flow_class.check_permission


def open_in_workspace(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    """viewflow's own link to do a step leads to the step's page in the staff workspace."""
    return redirect("workspace:task", pk=kwargs["task_pk"])


def staff_step(title: Any, permission: str | Callable[[Any], str]) -> flow.View:
    """A human step done on its workspace page; the flow's ``steps`` says what it does."""
    return (
        flow.View(open_in_workspace)
        .Annotation(title=title, summary_template=TASK_SUMMARY)
        .Permission(permission)
        .onCreate(this.task_created)
    )


def document_check(
    *, then: Any, title: Any
) -> tuple[flow.View, flow.If, flow.Handle, flow.Function, flow.End]:
    """check_documents → accepted: ``then``; else the applicant corrects by a deadline, or lapses.

    Unpack into the flow's ``check_documents, documents_complete, await_correction, lapse,
    lapsed`` (the names are stored on task rows: keep them).
    """
    check_documents = staff_step(title, _check_permission).Next(this.documents_complete)
    documents_complete = (
        flow.If(this.are_documents_accepted)
        .Annotation(title=_("Documents accepted?"))
        .Then(then)
        .Else(this.await_correction)
    )
    await_correction = (
        flow.Handle(this.on_resubmitted)
        .Annotation(title=_("Applicant corrects"), summary_template=TASK_SUMMARY)
        .OnTimeout(this.correction_deadline, this.lapse, title=_("Correction deadline"))
        .Next(this.check_documents)
    )
    lapse = (
        flow.Function(this.lapse_subject)
        .Annotation(title=_("Lapse: correction not answered"))
        .Next(this.lapsed)
    )
    lapsed = flow.End().Annotation(title=_("Lapsed (correction not answered)"))
    return check_documents, documents_complete, await_correction, lapse, lapsed


class Casework:
    """Node callbacks shared by the programme flows; each flow sets the class attributes."""

    check_permission: str
    accepted_statuses: tuple[str, ...]
    steps: dict[str, Any]

    def subject_lapse(self, subject_id: int) -> Any:
        raise NotImplementedError

    def subject_open_correction(self, subject: Any) -> Any:
        raise NotImplementedError

    def start_process(self, activation: Any, subject_id: int) -> Any:
        activation.process.subject_id = subject_id
        return activation.process

    def current_status(self, activation: Any) -> str:
        model = activation.process.subject_model
        return model.objects.values_list("status", flat=True).get(pk=activation.process.subject_id)

    def are_documents_accepted(self, activation: Any) -> bool:
        return self.current_status(activation) in self.accepted_statuses

    def correction_deadline(self, activation: Any) -> dt.datetime:
        correction = self.subject_open_correction(activation.process.subject)
        return correction_lapses_at(correction)

    def task_created(self, activation: Any) -> None:
        task_waiting_notify(
            subject=activation.process.subject,
            step=self.steps[activation.flow_task.name],
            task_id=activation.task.pk,
        )

    def lapse_subject(self, activation: Any) -> None:
        self.subject_lapse(activation.process.subject_id)

    def on_resubmitted(self, activation: Any, perform: Callable[[], Any]) -> None:
        perform()
