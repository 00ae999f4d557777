"""Telling staff that work waits for them, and reminding everyone of what is due."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Task

from accounts.selectors import users_with_role
from applications.models import Application
from applications.services import notify_applicants, open_correction
from awards.models import Nomination
from awards.selectors import open_correction as nomination_open_correction
from awards.services import notify_parties
from core.dates import JST, add_business_days, business_days_between
from declarations.models import Declaration
from declarations.selectors import open_correction as declaration_open_correction
from declarations.services import notify_company
from notifications.services import notify, reminder_once
from outcomes.selectors import outcome_reports_due
from outcomes.services import notify_company as notify_reporting_company
from screening.committee import review_reminders_send

from .steps import Step


def task_waiting_notify(*, subject: Any, step: Step, task_id: int) -> None:
    """A new task entered a queue: tell the people of that role."""
    notify(
        recipients=users_with_role(step.role),
        kind="task_waiting",
        context={
            "step": step.title,
            "reference": getattr(subject, "reference", str(subject)),
            "company": getattr(getattr(subject, "company", None), "name", ""),
        },
        link=reverse("workspace:task", args=[task_id]),
    )


def _once(key: str, send: Any) -> int:
    with transaction.atomic():
        if not reminder_once(key):
            return 0
        send()
        return 1


def _returned() -> Iterator[tuple[str, Any, Any, Callable[..., None]]]:
    """Every record returned for correction, with its open correction and how to tell its
    company: (reminder key prefix, record, correction, notify)."""
    for application in Application.objects.filter(
        status=Application.Status.RETURNED
    ).select_related("company", "round"):
        yield "correction_due", application, open_correction(application), notify_applicants
    for declaration in Declaration.objects.filter(
        status=Declaration.Status.RETURNED
    ).select_related("company"):
        yield (
            "correction_due:declaration",
            declaration,
            declaration_open_correction(declaration),
            notify_company,
        )
    for nomination in Nomination.objects.filter(status=Nomination.Status.RETURNED).select_related(
        "company", "round"
    ):
        yield (
            "correction_due:nomination",
            nomination,
            nomination_open_correction(nomination),
            notify_parties,
        )


def reminders_correction_due(*, today: dt.date) -> int:
    """Companies whose correction deadline (any programme) is within three business days."""
    horizon = add_business_days(today, 3)
    sent = 0
    for prefix, record, correction, tell in _returned():
        if correction is None or not today <= correction.deadline <= horizon:
            continue
        sent += _once(
            f"{prefix}:{correction.pk}",
            lambda t=tell, r=record, c=correction: t(
                r, "correction_due", deadline=c.deadline.isoformat()
            ),
        )
    return sent


def reminders_results_due(*, today: dt.date) -> int:
    """Granted applications whose results report is due within ten business days."""
    horizon = add_business_days(today, settings.KOFU_RESULTS_REMINDER_BUSINESS_DAYS)
    granted = Application.objects.filter(
        status=Application.Status.GRANTED,
        round__results_report_deadline__gte=today,
        round__results_report_deadline__lte=horizon,
    ).select_related("company", "round")
    return sum(
        _once(
            f"results_due:{application.pk}",
            lambda a=application: notify_applicants(
                a, "results_due", deadline=a.round.results_report_deadline.isoformat()
            ),
        )
        for application in granted
    )


def reminders_outcome_reports(*, today: dt.date) -> dict[str, int]:
    """Outcome reports due within the reminder window: one reminder per report (and due date);
    overdue ones: one a week (ISO week) until they arrive."""
    horizon = add_business_days(today, settings.KOFU_OUTCOME_REMINDER_BUSINESS_DAYS)
    year, week, _weekday = today.isocalendar()
    sent = {"outcome_report_due": 0, "outcome_report_overdue": 0}
    for report in outcome_reports_due(until=horizon):
        overdue = report.is_overdue(today)
        kind = "outcome_report_overdue" if overdue else "outcome_report_due"
        key = f"{kind}:{report.pk}:" + (f"{year}-W{week:02d}" if overdue else str(report.due_on))
        sent[kind] += _once(key, lambda r=report, k=kind: notify_reporting_company(r, k))
    return sent


def _overdue_tasks(today: dt.date, limit: int) -> list[Task]:
    waiting = Task.objects.filter(
        flow_task_type="HUMAN", status__in=("NEW", "ASSIGNED")
    ).select_related("owner", "process")
    return [
        task
        for task in waiting
        if business_days_between(task.created.astimezone(JST).date(), today) >= limit
    ]


def _subject_of(task: Task) -> Any:
    process_class = task.flow_task.flow_class.process_class
    return process_class.subject_model.objects.get(pk=task.process.artifact_object_id)


def reminders_task_overdue(*, today: dt.date) -> int:
    """Review tasks left waiting too long: remind their owner, or the whole queue."""
    sent = 0
    for task in _overdue_tasks(today, settings.KOFU_TASK_OVERDUE_BUSINESS_DAYS):
        step = task.flow_task.flow_class.instance.steps[task.flow_task.name]
        subject = _subject_of(task)
        recipients = [task.owner] if task.owner else users_with_role(step.role)
        context = {
            "step": step.title,
            "reference": getattr(subject, "reference", str(subject)),
            "since": task.created.astimezone(JST).date().isoformat(),
        }
        link = reverse("workspace:task", args=[task.pk])
        sent += _once(
            f"task_overdue:{task.pk}",
            lambda r=recipients, c=context, u=link: notify(
                recipients=r, kind="task_overdue", context=c, link=u
            ),
        )
    return sent


def reminders_send(*, today: dt.date | None = None) -> dict[str, int]:
    """Every reminder that is due today; each goes out once."""
    # A given day is reminded as of its start in Japan, so a review due later that day counts.
    now = timezone.now() if today is None else dt.datetime.combine(today, dt.time.min, JST)
    today = today or now.astimezone(JST).date()
    return {
        "correction_due": reminders_correction_due(today=today),
        "results_due": reminders_results_due(today=today),
        "task_overdue": reminders_task_overdue(today=today),
        "review_due": review_reminders_send(now=now),
        **reminders_outcome_reports(today=today),
    }
