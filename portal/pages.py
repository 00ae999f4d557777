"""What the portal's pages of every programme share: acting through a service, and task links."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from applications.models import Application
from core.errors import KofuError
from workflows import services


def task_links(subject_id: int, model: type[models.Model] = Application) -> list[dict[str, Any]]:
    """The open staff steps of a record's process, as links to their workspace pages."""
    return [
        {
            "title": task.flow_task.task_title,
            "url": reverse("workspace:task", args=[task.pk]),
            "owner": task.owner,
        }
        for task in services.active_tasks(subject_id, model)
    ]


def act_and_return(
    request: HttpRequest, action: Callable[[], Any], done: str, back: HttpResponse
) -> HttpResponse:
    """Run a service; show its refusal or ``done`` as a message, then go ``back``."""
    try:
        action()
    except KofuError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, done)
    return back


def form_error_add(form: forms.BaseForm, error: KofuError) -> None:
    """Show a service's refusal beside the field it names (or above the form)."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error.message))


def formset_error_add(
    formset: forms.BaseFormSet, rows: list[forms.BaseForm], error: KofuError, *, prefix: str
) -> None:
    """Show a service's refusal on the row it names (``<prefix>.<index>.<field>``, the index
    counting ``rows``, the rows sent to the service), beside the field when the row has it;
    a refusal that names no row goes above the rows."""
    parts = (error.field or "").split(".")
    if len(parts) >= 2 and parts[0] == prefix and parts[1].isdigit() and int(parts[1]) < len(rows):
        row = rows[int(parts[1])]
        field = parts[2] if len(parts) > 2 and parts[2] in row.fields else None
        row.add_error(field, str(error.message))
        return
    formset.non_form_errors().append(str(error.message))


def form_errors_and_return(
    request: HttpRequest, form: forms.BaseForm, back: HttpResponse
) -> HttpResponse:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)
    return back
