"""The company's pages for its promotion declaration: draft, submit, correct, withdraw, consent."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from audit.selectors import events_for
from core.errors import KofuError
from core.roles import is_staff_side
from declarations import services as declaration_services
from declarations.models import Declaration
from declarations.policy import EDIT, declaration_actions
from declarations.selectors import declaration_get_for_user, open_correction
from letters.selectors import letters_for_subject
from workflows import services

from .pages import act_and_return, form_error_add, task_links


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


class CorrectionForm(DeclarationForm):
    """A returned declaration: the corrected text and the answer to the office, sent as one."""

    answer = forms.CharField(
        label=gettext_lazy("Your answer"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("What you changed, for the office that returned it."),
    )

    def fields_to_save(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name != "answer"}


def _back(pk: int) -> HttpResponse:
    return redirect("portal:declaration", pk=pk)


def _form_for(declaration: Declaration, data: Any = None) -> DeclarationForm:
    form_class = (
        CorrectionForm if declaration.status == Declaration.Status.RETURNED else DeclarationForm
    )
    # a bound form is not tied to the record: the services change it, not the form's save()
    return form_class(data) if data is not None else form_class(instance=declaration)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, declaration_get_for_user(request.user, pk))


def _detail_page(
    request: HttpRequest,
    declaration: Declaration,
    *,
    form: DeclarationForm | None = None,
    status: int = 200,
) -> HttpResponse:
    actions = declaration_actions(request.user, declaration)
    if form is None and actions[EDIT]:
        form = _form_for(declaration)
    return render(
        request,
        "portal/declaration_detail.html",
        {
            "declaration": declaration,
            "form": form,
            "correction": open_correction(declaration),
            "events": events_for(declaration),
            "letters": letters_for_subject("declarations.declaration", declaration.pk),
            "tasks": task_links(declaration.pk, Declaration) if is_staff_side(request.user) else [],
            "actions": actions,
            "breadcrumbs": [
                {"url": reverse("portal:index"), "label": _("My page")},
                {"label": declaration.reference},
            ],
        },
        status=status,
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


def _act_on_form(
    request: HttpRequest,
    declaration: Declaration,
    form: DeclarationForm,
    act: Callable[[], Any],
    done: str,
) -> HttpResponse:
    """Run ``act`` on a valid form and go back to the page; otherwise show the page again with
    the input as it was sent and the errors beside the fields (400)."""
    if form.is_valid():
        try:
            act()
        except KofuError as error:
            form_error_add(form, error)
        else:
            messages.success(request, done)
            return _back(declaration.pk)
    return _detail_page(request, declaration, form=form, status=400)


@login_required
@require_POST
def update(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the draft (or the returned declaration's text) without sending it."""
    declaration = declaration_get_for_user(request.user, pk)
    form = _form_for(declaration, request.POST)
    return _act_on_form(
        request,
        declaration,
        form,
        lambda: declaration_services.declaration_update(
            declaration_id=declaration.pk, by=request.user, **_fields(form)
        ),
        _("Declaration saved."),
    )


def _fields(form: DeclarationForm) -> dict[str, Any]:
    if isinstance(form, CorrectionForm):
        return form.fields_to_save()
    return dict(form.cleaned_data)


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Submit the draft; the page's form sends its fields too, saved in the same act."""
    declaration = declaration_get_for_user(request.user, pk)
    if "goals" not in request.POST:
        return act_and_return(
            request,
            lambda: services.declaration_process_submit(
                declaration_id=declaration.pk, by=request.user
            ),
            _("Declaration submitted."),
            _back(pk),
        )
    form = DeclarationForm(request.POST)
    return _act_on_form(
        request,
        declaration,
        form,
        lambda: services.declaration_process_submit(
            declaration_id=declaration.pk, by=request.user, fields=_fields(form)
        ),
        _("Declaration submitted."),
    )


@login_required
@require_POST
def resubmit(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the corrected declaration and the answer as one act: the text on the form is what
    is saved and resubmitted, or, if either is refused, nothing changes."""
    declaration = declaration_get_for_user(request.user, pk)
    form = CorrectionForm(request.POST)
    return _act_on_form(
        request,
        declaration,
        form,
        lambda: services.declaration_process_resubmit(
            declaration_id=declaration.pk,
            by=request.user,
            answer=form.cleaned_data["answer"],
            fields=form.fields_to_save(),
        ),
        _("Correction submitted."),
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
