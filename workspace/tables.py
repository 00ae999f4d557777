"""The task list as a django-tables2 table: its columns, their order keys and their cells. The
page renders it with its own template (``workspace/_task_table.html``) so the rows stack into
cards on a phone."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Task

from web.templatetags.kofu import when, yen

from . import queries


def _subject_status_label(task: Task) -> str:
    programme = queries.programme_of_flow(task.flow_task.flow_class)
    status = getattr(programme.model, "Status", None)
    if status is None or not task.subject_status:
        return ""
    return str(dict(status.choices).get(task.subject_status, task.subject_status))


class TaskTable(tables.Table):
    reference = tables.Column(
        verbose_name=_("Reference"),
        accessor="process__artifact_object_id",
        order_by=("process__artifact_object_id",),
    )
    company = tables.Column(
        verbose_name=_("Company"), accessor="company_name", order_by=("company_name",)
    )
    step = tables.Column(
        verbose_name=_("Step"), accessor="flow_task", order_by=("flow_task", "created")
    )
    round = tables.Column(verbose_name=_("Round"), accessor="round_name", order_by=("round_name",))
    status = tables.Column(verbose_name=_("Status"), accessor="subject_status", orderable=False)
    amount = tables.Column(
        verbose_name=_("Requested amount"),
        accessor="requested_amount",
        attrs={"td": {"class": "num"}, "th": {"class": "num"}},
    )
    received = tables.Column(verbose_name=_("Waiting since"), accessor="created")
    holder = tables.Column(
        verbose_name=_("Held by"), accessor="owner", order_by=("owner__username",), default=""
    )

    class Meta:
        model = Task
        fields: list[str] = []
        order_by = ("received",)  # the step waiting longest first
        orderable = True
        empty_text = _("No open step matches these filters.")

    def render_reference(self, record: Task) -> str:
        return format_html(
            '<a href="{}" data-testid="task-link">{}</a>',
            reverse("workspace:task", args=[record.pk]),
            queries.reference_of(record),
        )

    def value_reference(self, record: Task) -> str:
        return queries.reference_of(record)

    def render_company(self, record: Task) -> str:
        if record.corporate_number:
            return format_html(
                '{}<br><span class="k-muted">{}</span>',
                record.company_name,
                record.corporate_number,
            )
        return record.company_name or ""

    def value_company(self, record: Task) -> str:
        return record.company_name or ""

    def render_step(self, record: Task) -> str:
        programme = queries.programme_of_flow(record.flow_task.flow_class)
        return format_html(
            '{}<br><span class="k-muted">{}</span>',
            record.flow_task.task_title,
            programme.flow.process_title,
        )

    def value_step(self, record: Task) -> str:
        return str(record.flow_task.task_title)

    def render_status(self, record: Task) -> str:
        return _subject_status_label(record)

    def value_status(self, record: Task) -> str:
        return _subject_status_label(record)

    def render_amount(self, value: Any) -> str:
        return yen(value)

    def render_received(self, value: Any) -> str:
        return when(value)

    def render_holder(self, value: Any) -> str:
        return value.get_full_name() or value.get_username()

    def value_holder(self, value: Any) -> str:
        return (value.get_full_name() or value.get_username()) if value else ""
