"""Staff task pages inside viewflow's frontend: one form view serves every human step of every
programme. The flow's ``steps`` names the form and the service of each node; what the page
shows about the subject comes from ``SUBJECT_CONTEXT`` and a per-subject template."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponseRedirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import generic
from viewflow.workflow.flow.views import mixins

from applications.models import Application
from applications.services import actual_subsidy, planned_subsidy
from audit.selectors import events_for
from core.errors import KofuError
from letters.selectors import letters_for_subject
from screening.committee import panel_results
from screening.models import ReviewPanel

from .steps import Step


def _application_context(application: Application) -> dict[str, Any]:
    return {
        "application": application,
        "planned": planned_subsidy(application),
        "actual": actual_subsidy(application) if application.decided_amount is not None else None,
    }


def _panel_context(panel: ReviewPanel) -> dict[str, Any]:
    """The chair and the approver decide over the ranked table, as the committee sees it."""
    return {
        "ranking": panel_results(panel).table.to_dict("records"),
        "decision": panel.decisions.order_by("-pk").first(),
    }


SUBJECT_CONTEXT: dict[str, Callable[[Any], dict[str, Any]]] = {
    "applications.application": _application_context,
    "screening.reviewpanel": _panel_context,
}


class StepView(mixins.TaskSuccessUrlMixin, generic.FormView):
    step: Step | None = None

    @cached_property
    def current_step(self) -> Step:
        if self.step is not None:
            return self.step
        flow_task = self.request.activation.flow_task
        return flow_task.flow_class.instance.steps[flow_task.name]

    @cached_property
    def subject(self) -> Any:
        return self.request.activation.process.subject

    def get_form_class(self):
        return self.current_step.form_class

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        if getattr(self.current_step.form_class, "takes_subject", False):
            kwargs["subject"] = self.subject
        return kwargs

    def get_template_names(self) -> list[str]:
        return [f"workflows/step_{self.subject._meta.model_name}.html", "workflows/step.html"]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        subject = self.subject
        label = subject._meta.label_lower
        context = super().get_context_data(**kwargs)
        context.update(
            subject=subject,
            step=self.current_step,
            activation=self.request.activation,
            events=events_for(subject),
            letters=letters_for_subject(label, subject.pk),
            **SUBJECT_CONTEXT.get(label, lambda subject: {})(subject),
            **(self.current_step.context(subject) if self.current_step.context else {}),
        )
        return context

    def form_valid(self, form):
        subject, step = self.subject, self.current_step
        try:
            # One savepoint: a refusal by the step or by a node it leads to undoes both.
            with transaction.atomic():
                step.perform(subject.pk, self.request.user, form.cleaned_data)
                self.request.activation.execute()
        except KofuError as error:
            field = error.field if error.field in form.fields else None
            form.add_error(field, str(error.message))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("“%(step)s” is done for %(reference)s.")
            % {"step": step.title, "reference": getattr(subject, "reference", subject)},
        )
        return HttpResponseRedirect(self.get_success_url())
