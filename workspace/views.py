"""The staff workspace: each role's home, the task list and the task page.

The views ask ``workflows.policy.task_actions`` what the user may do and call the workflow
services; they hold no rule of their own.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig
from viewflow.workflow.models import Task

from core.errors import KofuError
from core.roles import Role, is_staff_side, user_roles
from workflows import policy, services

from . import home as role_home
from . import queries
from .filters import TaskFilter
from .subjects import subject_context
from .tables import TaskTable

PER_PAGE = 25
EXPORT_LIMIT = 10_000


def _require_staff_side(request: HttpRequest) -> None:
    if not is_staff_side(request.user):
        raise PermissionDenied(_("The workspace is for the prefecture's staff."))


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Where a staff-side user lands: what needs them, by role."""
    roles = user_roles(request.user)
    if not is_staff_side(request.user):
        if Role.REVIEWER in roles:
            return redirect("reviews:index")
        return redirect("portal:index")
    return render(request, "workspace/home.html", role_home.sections(request.user, roles))


def _task_list(request: HttpRequest) -> tuple[TaskFilter, TaskTable]:
    tasks = queries.open_tasks(request.user)
    filters = TaskFilter(request.GET or None, queryset=tasks, user=request.user)
    rows = filters.qs if filters.is_bound and filters.is_valid() else tasks
    table = TaskTable(rows)
    return filters, table


@login_required
def tasks(request: HttpRequest) -> HttpResponse:
    _require_staff_side(request)
    filters, table = _task_list(request)
    export = request.GET.get("export")
    if export in {"csv", "xlsx"}:
        return _export(table, export)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "workspace/tasks.html",
        {
            "filters": filters,
            "table": table,
            "query": query.urlencode(),
            "colleagues": _colleagues(),
            "saved": request.user.saved_task_lists.all(),
            "breadcrumbs": [
                {"label": _("Home"), "url": reverse("workspace:home")},
                {"label": _("Tasks")},
            ],
        },
    )


def _colleagues() -> Any:
    """Staff-side users one may hand a step to (whether their role takes it is checked then)."""
    roles = [Role.STAFF, Role.APPROVER]
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=roles)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def _export(table: TaskTable, kind: str) -> HttpResponse:
    """The filtered list as it is sorted, every page, as CSV (UTF-8 with BOM) or Excel."""
    rows = list(table.as_values())[: EXPORT_LIMIT + 1]
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if kind == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")
        csv.writer(buffer).writerows(rows)
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="tasks-{stamp}.csv"'
        return response
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Tasks"))
    for row in rows:
        sheet.append([str(cell) if cell is not None else "" for cell in row])
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="tasks-{stamp}.xlsx"'
    return response


def _back(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


@login_required
@require_POST
def tasks_bulk(request: HttpRequest) -> HttpResponse:
    """Claim, release or hand on the ticked steps; each refusal is named with its reason."""
    _require_staff_side(request)
    back = _back(request, reverse("workspace:tasks"))
    ids = [int(pk) for pk in request.POST.getlist("task") if pk.isdigit()]
    action = request.POST.get("action")
    if not ids:
        messages.error(request, _("Tick the steps to act on first."))
        return redirect(back)
    to = None
    if action == policy.REASSIGN:
        to = get_user_model().objects.filter(pk=request.POST.get("to") or 0, is_active=True).first()
        if to is None:
            messages.error(request, _("Choose the colleague to hand the steps to."))
            return redirect(back)
    done, refused = 0, []
    for task in Task.objects.filter(pk__in=ids).select_related("process"):
        try:
            _act(action, task.pk, request.user, to)
            done += 1
        except KofuError as error:
            subject = task.process.coerced.subject
            refused.append(f"{getattr(subject, 'reference', subject)}: {error.message}")
    if done:
        messages.success(request, _("%(count)d steps updated.") % {"count": done})
    for line in refused:
        messages.error(request, line)
    return redirect(back)


def _act(action: str | None, task_id: int, by: Any, to: Any = None) -> None:
    if action == policy.CLAIM:
        services.task_claim(task_id=task_id, by=by)
    elif action == policy.RELEASE:
        services.task_release(task_id=task_id, by=by)
    elif action == policy.REASSIGN:
        services.task_reassign(task_id=task_id, by=by, to=to)
    else:
        raise Http404


@login_required
@require_POST
def task_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Claim, release or hand on one step; the page comes back to the step."""
    _require_staff_side(request)
    to = None
    if action == policy.REASSIGN:
        to = get_user_model().objects.filter(pk=request.POST.get("to") or 0, is_active=True).first()
        if to is None:
            messages.error(request, _("Choose the colleague to hand the step to."))
            return redirect(_back(request, reverse("workspace:task", args=[pk])))
    try:
        _act(action, pk, request.user, to)
    except KofuError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _ACT_DONE[action])
    return redirect(_back(request, reverse("workspace:task", args=[pk])))


_ACT_DONE = {
    policy.CLAIM: gettext_lazy("The step is yours now."),
    policy.RELEASE: gettext_lazy("The step is back in the team's queue."),
    policy.REASSIGN: gettext_lazy("The step is handed on."),
}


def _load_task(request: HttpRequest, pk: int) -> Task:
    task = Task.objects.select_related("process", "owner").filter(pk=pk).first()
    if task is None or task.flow_task_type != "HUMAN":
        raise Http404
    flow = task.flow_task.flow_class
    if not policy.may_take(request.user, task) and not flow.instance.has_view_permission(
        request.user
    ):
        raise PermissionDenied
    return task


@login_required
def task(request: HttpRequest, pk: int) -> HttpResponse:
    """One step: its subject in full, what the decision will do, and its form."""
    _require_staff_side(request)
    task = _load_task(request, pk)
    step = services.step_of(task)
    subject = task.process.coerced.subject
    actions = policy.task_actions(request.user, task)
    form_class = step.form_class
    form_kwargs: dict[str, Any] = {}
    if getattr(form_class, "takes_subject", False):
        form_kwargs["subject"] = subject
    status = 200
    if request.method == "POST":
        form = form_class(request.POST, **form_kwargs)
        if form.is_valid():
            try:
                services.task_complete(task_id=task.pk, by=request.user, data=form.cleaned_data)
            except KofuError as error:
                field = form.field_for(error.field) if hasattr(form, "field_for") else error.field
                field = field if field in form.fields else None
                form.add_error(field, str(error.message))
            else:
                messages.success(
                    request,
                    _("“%(step)s” is done for %(reference)s.")
                    % {"step": step.title, "reference": getattr(subject, "reference", subject)},
                )
                return redirect(_back(request, reverse("workspace:home")))
        # Turbo (viewflow's pages) and htmx render a refused form only from a 4xx answer.
        status = 422
    else:
        form = form_class(**form_kwargs)
    programme = queries.programme_of_flow(task.flow_task.flow_class)
    context = {
        "task": task,
        "step": step,
        "subject": subject,
        "form": form,
        "task_actions": actions,
        "programme": programme,
        "colleagues": _colleagues(),
        "model_name": subject._meta.model_name,
        "breadcrumbs": [
            {"label": _("Home"), "url": reverse("workspace:home")},
            {"label": _("Tasks"), "url": reverse("workspace:tasks")},
            {"label": f"{step.title}: {getattr(subject, 'reference', subject)}"},
        ],
        **subject_context(subject, step, request.user),
    }
    return render(
        request,
        [f"workspace/task_{subject._meta.model_name}.html", "workspace/task.html"],
        context,
        status=status,
    )


@login_required
def task_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """The letter the step would issue with the form's input so far: a specimen PDF, opened
    in the browser beside the page (nothing is stored, numbered or sent)."""
    _require_staff_side(request)
    task = _load_task(request, pk)
    step = services.step_of(task)
    if step.letter_preview is None:
        raise Http404
    try:
        pdf = step.letter_preview(task.process.artifact_object_id, request.user, request.GET)
    except KofuError as error:
        raise PermissionDenied(str(error.message)) from error
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="specimen.pdf"'
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; object-src 'self'"
    return response


@login_required
@require_POST
def save_list(request: HttpRequest) -> HttpResponse:
    """Keep the task list's current filters under a name, for this user."""
    _require_staff_side(request)
    name = request.POST.get("name", "").strip()[:100]
    query = request.POST.get("query", "")[:1000]
    if not name:
        messages.error(request, _("Give the list a name to save it."))
    else:
        request.user.saved_task_lists.update_or_create(name=name, defaults={"query": query})
        messages.success(request, _("The list “%(name)s” is saved.") % {"name": name})
    return redirect(f"{reverse('workspace:tasks')}?{query}")


@login_required
@require_POST
def delete_list(request: HttpRequest, pk: int) -> HttpResponse:
    request.user.saved_task_lists.filter(pk=pk).delete()
    return redirect("workspace:tasks")
