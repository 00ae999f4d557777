"""The applicant's plain web pages: draft, upload, submit, answer corrections, report results."""

from __future__ import annotations

from collections.abc import Callable
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

from accounts.selectors import company_id_of_user, company_of_user
from applications import services as application_services
from applications.measures import round_measures
from applications.models import Application, CostType, DocumentType, OutcomeMeasure
from applications.selectors import (
    application_get_for_user,
    application_list_for_user,
    round_list_open,
)
from audit.selectors import events_for
from awards.selectors import nominations_of
from core.errors import KofuError
from core.roles import Role, has_role, is_staff_side
from declarations.selectors import declarations_of_company
from letters.selectors import letters_for_subject
from outcomes.selectors import outcome_reports_of
from payments.models import AccountType
from payments.selectors import payable_for_application, payee_accounts_for_user
from payments.services import payee_account_register, payee_account_retire
from workflows import services

from . import next_steps
from .awards import NominationForm
from .declarations import DeclarationForm
from .pages import act_and_return, form_error_add, form_errors_and_return, task_links


class TrainingLineForm(forms.Form):
    trainee_name = forms.CharField(label=gettext_lazy("Trainee"), max_length=100)
    course_name = forms.CharField(label=gettext_lazy("Course or certification"), max_length=200)
    provider = forms.CharField(label=gettext_lazy("Provider"), max_length=200)
    start_date = forms.DateField(
        label=gettext_lazy("Start"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end_date = forms.DateField(
        label=gettext_lazy("End"), widget=forms.DateInput(attrs={"type": "date"})
    )
    cost_type = forms.ModelChoiceField(
        CostType.objects.all(), to_field_name="code", label=gettext_lazy("Cost type")
    )
    amount = forms.IntegerField(label=gettext_lazy("Cost excl. tax (yen)"), min_value=1)


class DocumentForm(forms.Form):
    document_type = forms.ModelChoiceField(
        DocumentType.objects.all(), to_field_name="code", label=gettext_lazy("Document type")
    )
    # an empty file too reaches core.uploads, which refuses it with its code
    file = forms.FileField(label=gettext_lazy("File"), allow_empty_file=True)


class ActualCostForm(forms.Form):
    trainee_name = forms.CharField(label=gettext_lazy("Trainee"), max_length=100)
    course_name = forms.CharField(label=gettext_lazy("Course or certification"), max_length=200)
    cost_type = forms.ModelChoiceField(
        CostType.objects.all(), to_field_name="code", label=gettext_lazy("Cost type")
    )
    incurred_on = forms.DateField(
        label=gettext_lazy("Paid on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    amount = forms.IntegerField(label=gettext_lazy("Amount excl. tax (yen)"), min_value=1)
    completed = forms.BooleanField(label=gettext_lazy("Completed"), required=False, initial=True)


ActualCostFormSet = forms.formset_factory(ActualCostForm, extra=3, min_num=1, validate_min=True)


def measure_field(measure: OutcomeMeasure, **kwargs: Any) -> forms.DecimalField:
    """A number input for one outcome measure, with its unit and decimal places."""
    return forms.DecimalField(
        label=f"{measure.name} ({measure.unit})",
        min_value=0,
        max_digits=18,
        decimal_places=measure.decimal_places,
        widget=forms.NumberInput(attrs={"step": str(10**-measure.decimal_places)}),
        **kwargs,
    )


class BaselinesForm(forms.Form):
    """The baselines (現状値) of the round's outcome measures; a blank one stays as it was."""

    def __init__(self, *args: Any, application: Application, **kwargs: Any) -> None:
        super().__init__(*args, prefix="baselines", **kwargs)
        current = {b.measure_id: b.shown for b in application.baselines.select_related("measure")}
        for measure in round_measures(application):
            self.fields[measure.code] = measure_field(
                measure, required=False, initial=current.get(measure.pk)
            )


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("login")
    if is_staff_side(request.user):
        return redirect("/staff/")
    if has_role(request.user, Role.REVIEWER):
        return redirect("/reviews/")
    return redirect("portal:index")


def _programme_context(user) -> dict[str, Any]:
    """The company's declarations and nominations, with forms to start new ones."""
    company_id = company_id_of_user(user)
    if company_id is None:
        return {}
    return {
        "declarations": declarations_of_company(company_id),
        "declaration_form": DeclarationForm(),
        "nominations": nominations_of(user).select_related("round", "company"),
        "nomination_form": NominationForm(),
    }


@login_required
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/index.html",
        {
            "applications": application_list_for_user(request.user),
            "rounds": round_list_open().prefetch_related("required_document_types"),
            "next_steps": next_steps.steps_for_user(request.user),
            "company": company_of_user(request.user),
            **_programme_context(request.user),
        },
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, application_get_for_user(request.user, pk))


def _detail_page(
    request: HttpRequest,
    application: Application,
    *,
    document_form: DocumentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "portal/detail.html",
        {
            "application": application,
            "planned": application_services.planned_subsidy(application),
            "correction": application_services.open_correction(application),
            "events": events_for(application),
            "line_form": TrainingLineForm(),
            "document_form": document_form or DocumentForm(),
            "cost_formset": ActualCostFormSet(prefix="costs"),
            "tasks": task_links(application.pk) if is_staff_side(request.user) else [],
            "can_act": company_id_of_user(request.user) == application.company_id,
            "letters": letters_for_subject("applications.application", application.pk),
            "accounts": payee_accounts_for_user(request.user),
            "account_form": PayeeAccountForm(),
            "payable": payable_for_application(application.pk),
            "can_revoke": has_role(request.user, Role.STAFF)
            and application.status in Application.REVOCABLE,
            "baselines": application.baselines.select_related("measure"),
            "baselines_form": BaselinesForm(application=application),
            "outcome_reports": outcome_reports_of(application),
        },
        status=status,
    )


def _act(request: HttpRequest, pk: int, action: Callable[[], Any], done: str) -> HttpResponse:
    return act_and_return(request, action, done, redirect("portal:detail", pk=pk))


def _form_errors(request: HttpRequest, pk: int, form: forms.BaseForm) -> HttpResponse:
    return form_errors_and_return(request, form, redirect("portal:detail", pk=pk))


@login_required
@require_POST
def create(request: HttpRequest) -> HttpResponse:
    try:
        application = application_services.application_create(
            round_id=int(request.POST["round"]), by=request.user
        )
    except KofuError as error:
        messages.error(request, str(error.message))
        return redirect("portal:index")
    return redirect("portal:detail", pk=application.pk)


@login_required
@require_POST
def add_line(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_get_for_user(request.user, pk)
    form = TrainingLineForm(request.POST)
    if not form.is_valid():
        return _form_errors(request, pk, form)
    line = application_services.TrainingLineInput(
        **{**form.cleaned_data, "cost_type": form.cleaned_data["cost_type"].code}
    )
    return _act(
        request,
        pk,
        lambda: application_services.training_line_add(
            application_id=application.pk, line=line, by=request.user
        ),
        _("Line added."),
    )


@login_required
@require_POST
def baselines(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_get_for_user(request.user, pk)
    form = BaselinesForm(request.POST, application=application)
    if not form.is_valid():
        return _form_errors(request, pk, form)
    values = {code: value for code, value in form.cleaned_data.items() if value is not None}
    return _act(
        request,
        pk,
        lambda: application_services.baselines_set(
            application_id=application.pk, values=values, by=request.user
        ),
        _("Baselines saved."),
    )


@login_required
@require_POST
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_get_for_user(request.user, pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            application_services.document_upload(
                application_id=application.pk,
                document_type=form.cleaned_data["document_type"].code,
                file=form.cleaned_data["file"],
                by=request.user,
            )
        except KofuError as error:
            form_error_add(form, error)
        else:
            messages.success(request, _("Document uploaded."))
            return redirect("portal:detail", pk=pk)
    return _detail_page(request, application, document_form=form, status=400)


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_get_for_user(request.user, pk)
    return _act(
        request,
        pk,
        lambda: services.subsidy_submit(application_id=application.pk, by=request.user),
        _("Application submitted."),
    )


@login_required
@require_POST
def resubmit(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_get_for_user(request.user, pk)
    return _act(
        request,
        pk,
        lambda: services.subsidy_resubmit(
            application_id=application.pk, by=request.user, answer=request.POST.get("answer", "")
        ),
        _("Correction submitted."),
    )


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_get_for_user(request.user, pk)
    return _act(
        request,
        pk,
        lambda: services.subsidy_withdraw(
            application_id=application.pk, by=request.user, reason=request.POST.get("reason", "")
        ),
        _("Application withdrawn."),
    )


@login_required
@require_POST
def report_results(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_get_for_user(request.user, pk)
    formset = ActualCostFormSet(request.POST, prefix="costs")
    if not formset.is_valid():
        for form in formset.forms:
            if form.errors:
                return _form_errors(request, pk, form)
        messages.error(request, " ".join(formset.non_form_errors()))
        return redirect("portal:detail", pk=pk)
    costs = [
        application_services.ActualCostInput(
            **{**form.cleaned_data, "cost_type": form.cleaned_data["cost_type"].code}
        )
        for form in formset.forms
        if form.cleaned_data
    ]
    return _act(
        request,
        pk,
        lambda: services.subsidy_report_results(
            application_id=application.pk, by=request.user, costs=costs
        ),
        _("Results report submitted."),
    )


class PayeeAccountForm(forms.Form):
    bank_code = forms.CharField(label=gettext_lazy("Bank code"), max_length=4)
    branch_code = forms.CharField(label=gettext_lazy("Branch code"), max_length=3)
    account_type = forms.TypedChoiceField(
        label=gettext_lazy("Account type"), choices=AccountType.choices, coerce=int
    )
    account_number = forms.CharField(label=gettext_lazy("Account number"), max_length=7)
    holder_name = forms.CharField(label=gettext_lazy("Account holder (kana)"), max_length=60)


@login_required
@require_POST
def account_add(request: HttpRequest, pk: int) -> HttpResponse:
    application_get_for_user(request.user, pk)
    form = PayeeAccountForm(request.POST)
    if not form.is_valid():
        return _form_errors(request, pk, form)
    return _act(
        request,
        pk,
        lambda: payee_account_register(by=request.user, **form.cleaned_data),
        _("Bank account registered."),
    )


@login_required
@require_POST
def account_retire(request: HttpRequest, pk: int, account_id: int) -> HttpResponse:
    """Retire one of the company's accounts from the application's payment section."""
    application_get_for_user(request.user, pk)
    return _act(
        request,
        pk,
        lambda: payee_account_retire(
            account_id=account_id, by=request.user, reason=request.POST.get("reason", "")
        ),
        _("Bank account retired: new claims cannot name it."),
    )


@login_required
@require_POST
def claim(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_get_for_user(request.user, pk)
    account_id = request.POST.get("account", "")
    if not account_id.isdigit():
        messages.error(request, _("Choose the bank account to be paid into."))
        return redirect("portal:detail", pk=pk)
    return _act(
        request,
        pk,
        lambda: services.subsidy_claim_payment(
            application_id=application.pk, by=request.user, account_id=int(account_id)
        ),
        _("Payment claim submitted."),
    )


urlpatterns = [
    path("", index, name="index"),
    path("applications/new/", create, name="create"),
    path("applications/<int:pk>/", detail, name="detail"),
    path("applications/<int:pk>/lines/", add_line, name="add_line"),
    path("applications/<int:pk>/documents/", upload, name="upload"),
    path("applications/<int:pk>/baselines/", baselines, name="baselines"),
    path("applications/<int:pk>/submit/", submit, name="submit"),
    path("applications/<int:pk>/resubmit/", resubmit, name="resubmit"),
    path("applications/<int:pk>/withdraw/", withdraw, name="withdraw"),
    path("applications/<int:pk>/results/", report_results, name="results"),
    path("applications/<int:pk>/accounts/", account_add, name="account_add"),
    path(
        "applications/<int:pk>/accounts/<int:account_id>/retire/",
        account_retire,
        name="account_retire",
    ),
    path("applications/<int:pk>/claim/", claim, name="claim"),
]
