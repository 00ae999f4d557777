"""The company's pages for its promotion declaration: draft, submit, correct, withdraw, consent."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.selectors import company_id_of_user
from audit.selectors import events_for
from core.errors import KofuError
from core.roles import is_staff_side
from declarations import services as declaration_services
from declarations.models import Declaration
from declarations.selectors import declaration_get_for_user, open_correction
from letters.selectors import letters_for_subject
from workflows import services

from .pages import act_and_return, form_errors_and_return, task_links


class DeclarationForm(forms.ModelForm):
    class Meta:
        model = Declaration
        fields = [
            "goals",
            "measures",
            "responsible_name",
            "responsible_title",
            "period_start",
            "period_end",
            "publish_consent",
        ]
        widgets = {
            "period_start": forms.DateInput(attrs={"type": "date"}),
            "period_end": forms.DateInput(attrs={"type": "date"}),
            "goals": forms.Textarea(attrs={"rows": 3}),
            "measures": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"publish_consent": gettext_lazy("Publish on the public list")}

    def clean(self) -> dict[str, Any]:
        # The service's own rules, checked before the model's constraints so that the message
        # names the rule ("must end after it starts"), not a database constraint.
        cleaned = super().clean()
        try:
            declaration_services.declaration_fields_clean(cleaned)
        except KofuError as error:
            self.add_error(error.field, str(error.message))
        return cleaned


def _back(pk: int) -> HttpResponse:
    return redirect("portal:declaration", pk=pk)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    declaration = declaration_get_for_user(request.user, pk)
    can_act = company_id_of_user(request.user) == declaration.company_id
    return render(
        request,
        "portal/declaration_detail.html",
        {
            "declaration": declaration,
            "form": DeclarationForm(instance=declaration) if can_act else None,
            "correction": open_correction(declaration),
            "events": events_for(declaration),
            "letters": letters_for_subject("declarations.declaration", declaration.pk),
            "tasks": task_links(declaration.pk, Declaration) if is_staff_side(request.user) else [],
            "can_act": can_act,
        },
    )


@login_required
@require_POST
def create(request: HttpRequest) -> HttpResponse:
    form = DeclarationForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("portal:index")
    try:
        declaration = declaration_services.declaration_create(by=request.user, **form.cleaned_data)
    except KofuError as error:
        messages.error(request, str(error.message))
        return redirect("portal:index")
    return _back(declaration.pk)


@login_required
@require_POST
def update(request: HttpRequest, pk: int) -> HttpResponse:
    declaration = declaration_get_for_user(request.user, pk)
    form = DeclarationForm(request.POST)
    if not form.is_valid():
        return form_errors_and_return(request, form, _back(pk))
    return act_and_return(
        request,
        lambda: declaration_services.declaration_update(
            declaration_id=declaration.pk, by=request.user, **form.cleaned_data
        ),
        _("Declaration saved."),
        _back(pk),
    )


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    declaration = declaration_get_for_user(request.user, pk)
    return act_and_return(
        request,
        lambda: services.declaration_process_submit(declaration_id=declaration.pk, by=request.user),
        _("Declaration submitted."),
        _back(pk),
    )


@login_required
@require_POST
def resubmit(request: HttpRequest, pk: int) -> HttpResponse:
    declaration = declaration_get_for_user(request.user, pk)
    return act_and_return(
        request,
        lambda: services.declaration_process_resubmit(
            declaration_id=declaration.pk, by=request.user, answer=request.POST.get("answer", "")
        ),
        _("Correction submitted."),
        _back(pk),
    )


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    declaration = declaration_get_for_user(request.user, pk)
    return act_and_return(
        request,
        lambda: services.declaration_process_withdraw(
            declaration_id=declaration.pk, by=request.user, reason=request.POST.get("reason", "")
        ),
        _("Declaration withdrawn."),
        _back(pk),
    )


@login_required
@require_POST
def consent(request: HttpRequest, pk: int) -> HttpResponse:
    declaration = declaration_get_for_user(request.user, pk)
    publish = request.POST.get("publish") == "1"
    return act_and_return(
        request,
        lambda: declaration_services.declaration_consent_set(
            declaration_id=declaration.pk, by=request.user, publish=publish
        ),
        _("Publication consent updated."),
        _back(pk),
    )


urlpatterns = [
    path("declarations/new/", create, name="declaration_create"),
    path("declarations/<int:pk>/", detail, name="declaration"),
    path("declarations/<int:pk>/edit/", update, name="declaration_update"),
    path("declarations/<int:pk>/submit/", submit, name="declaration_submit"),
    path("declarations/<int:pk>/resubmit/", resubmit, name="declaration_resubmit"),
    path("declarations/<int:pk>/withdraw/", withdraw, name="declaration_withdraw"),
    path("declarations/<int:pk>/consent/", consent, name="declaration_consent"),
]
