"""The company's pages for its outcome reports (効果報告): which are due, and the report form
with the baselines given at application beside the values to report now."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from applications.measures import round_measures
from audit.selectors import events_for
from core.dates import today_jst
from core.roles import is_staff_side
from outcomes.models import OutcomeReport
from outcomes.policy import SUBMIT, outcome_report_actions
from outcomes.selectors import (
    outcome_report_get_for_user,
    outcome_report_list_for_user,
    productivity_rule,
    report_improvements,
)
from workflows import services

from .applications import measure_field
from .pages import act_and_return, form_errors_and_return, task_links


class OutcomeReportForm(forms.Form):
    """One field per outcome measure of the round (all required), and a comment."""

    def __init__(self, *args: Any, report: OutcomeReport, **kwargs: Any) -> None:
        super().__init__(*args, prefix="values", **kwargs)
        current = {
            v.measure_id: v.measure.quantize(v.value)
            for v in report.values.select_related("measure")
        }
        for measure in round_measures(report.application):
            self.fields[measure.code] = measure_field(measure, initial=current.get(measure.pk))
        self.fields["comment"] = forms.CharField(
            label=gettext_lazy("Comment (what changed, and why)"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
            initial=report.comment,
        )

    def values(self) -> dict[str, Any]:
        return {code: value for code, value in self.cleaned_data.items() if code != "comment"}


def _rows(report: OutcomeReport, form: OutcomeReportForm) -> list[dict[str, Any]]:
    """Each measure's baseline beside the input for its value now."""
    baselines = {
        b.measure_id: b.shown for b in report.application.baselines.select_related("measure")
    }
    return [
        {"measure": measure, "baseline": baselines.get(measure.pk), "field": form[measure.code]}
        for measure in round_measures(report.application)
    ]


@login_required
def index(request: HttpRequest) -> HttpResponse:
    reports = outcome_report_list_for_user(request.user).order_by("due_on", "pk")
    return render(
        request,
        "outcomes/index.html",
        {"reports": reports, "today": today_jst()},
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = outcome_report_get_for_user(request.user, pk)
    can_act = outcome_report_actions(request.user, report)[SUBMIT]
    form = OutcomeReportForm(report=report)
    return render(
        request,
        "outcomes/detail.html",
        {
            "report": report,
            "application": report.application,
            "overdue": report.is_overdue(today_jst()),
            "can_act": can_act,
            "form": form,
            "rows": _rows(report, form),
            "improvements": report_improvements(report),
            "productivity_rule": productivity_rule() if is_staff_side(request.user) else None,
            "events": events_for(report),
            "tasks": task_links(report.application_id) if is_staff_side(request.user) else [],
        },
    )


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    report = outcome_report_get_for_user(request.user, pk)
    back = redirect("outcomes:detail", pk=pk)
    form = OutcomeReportForm(request.POST, report=report)
    if not form.is_valid():
        return form_errors_and_return(request, form, back)
    return act_and_return(
        request,
        lambda: services.subsidy_outcome_report_submit(
            report_id=report.pk,
            by=request.user,
            values=form.values(),
            comment=form.cleaned_data["comment"],
        ),
        _("Outcome report submitted."),
        back,
    )


urlpatterns = [
    path("", index, name="index"),
    path("<int:pk>/", detail, name="detail"),
    path("<int:pk>/submit/", submit, name="submit"),
]
