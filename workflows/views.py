"""Staff task pages inside viewflow's frontend: one form view serves every human step."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
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

from .steps import Step


class StepView(mixins.TaskSuccessUrlMixin, generic.FormView):
    step: Step = None  # type: ignore[assignment]
    template_name = "workflows/step.html"

    def get_form_class(self):
        return self.step.form_class

    @cached_property
    def application(self) -> Application:
        return Application.objects.select_related("round", "company").get(
            pk=self.request.activation.process.application_id
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        application = self.application
        context = super().get_context_data(**kwargs)
        context.update(
            application=application,
            step=self.step,
            activation=self.request.activation,
            planned=planned_subsidy(application),
            actual=actual_subsidy(application) if application.decided_on else None,
            events=events_for(application),
            letters=letters_for_subject("applications.application", application.pk),
        )
        return context

    def form_valid(self, form):
        application = self.application
        try:
            self.step.perform(application.pk, self.request.user, form.cleaned_data)
        except KofuError as error:
            field = error.field if error.field in form.fields else None
            form.add_error(field, str(error.message))
            return self.form_invalid(form)
        self.request.activation.execute()
        messages.success(
            self.request,
            _("“%(step)s” is done for %(reference)s.")
            % {"step": self.step.title, "reference": application.reference},
        )
        return HttpResponseRedirect(self.get_success_url())
