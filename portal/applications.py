"""The applicant's plain web pages: draft, upload, submit, answer corrections, report results.

A request the page refuses (a form's or a service's error) answers with the page again, status
400, holding every form as it was sent, each error beside its field; one that succeeds redirects
back to the page (POST/redirect/GET)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import jaconv
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms.formsets import DELETION_FIELD_NAME
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.selectors import company_id_of_user, company_of_user
from applications import services as application_services
from applications.measures import round_measures
from applications.models import Application, CostType, DocumentType, OutcomeMeasure
from applications.policy import EDIT, REPORT_RESULTS, application_actions
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
from payments.models import AccountType, PayeeAccount
from payments.policy import claim_allowed
from payments.selectors import payable_for_application, payee_accounts_for_user
from payments.services import payee_account_register, payee_account_retire
from payments.zengin import bank_branch_names, bank_list, branch_list
from revocations.policy import prepare_allowed
from workflows import services

from . import next_steps
from .awards import NominationForm
from .declarations import DeclarationForm
from .pages import form_error_add, formset_error_add, task_links


def readable_kana(text: str) -> str:
    """Half-width katakana (as bank records hold names) in full width, as people read it."""
    return jaconv.h2z(text or "", kana=True, ascii=False, digit=False)


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


class BaseActualCostFormSet(forms.BaseFormSet):
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if DELETION_FIELD_NAME in form.fields:
            form.fields[DELETION_FIELD_NAME].label = gettext_lazy("Leave this row out")


ActualCostFormSet = forms.formset_factory(
    ActualCostForm,
    formset=BaseActualCostFormSet,
    extra=1,
    min_num=1,
    validate_min=True,
    can_delete=True,
)


def results_initial(application: Application) -> list[dict[str, Any]]:
    """The results report's rows before the applicant edits them: the costs already reported
    (a report returned for correction), else the plan's training lines as planned."""
    reported = application.actual_costs.select_related("cost_type")
    if reported:
        return [
            {
                "trainee_name": cost.trainee_name,
                "course_name": cost.course_name,
                "cost_type": cost.cost_type.code,
                "incurred_on": cost.incurred_on,
                "amount": cost.amount,
                "completed": cost.completed,
            }
            for cost in reported
        ]
    return [
        {
            "trainee_name": line.trainee_name,
            "course_name": line.course_name,
            "cost_type": line.cost_type.code,
            "amount": line.amount,
            "completed": True,
        }
        for line in application.training_lines.select_related("cost_type")
    ]


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


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=gettext_lazy("Your answer"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), required=False, max_length=500)


class PayeeAccountForm(forms.Form):
    bank_code = forms.CharField(
        label=gettext_lazy("Bank code"),
        max_length=4,
        help_text=gettext_lazy(
            "Type the bank's name or its 4-digit code, and pick it from the list."
        ),
        widget=forms.TextInput(
            attrs={"list": "k-banks", "autocomplete": "off", "data-bank-code": "", "size": 8}
        ),
    )
    branch_code = forms.CharField(
        label=gettext_lazy("Branch code"),
        max_length=3,
        help_text=gettext_lazy(
            "Type the branch's name or its 3-digit code, and pick it from the list."
        ),
        widget=forms.TextInput(
            attrs={"list": "k-branches", "autocomplete": "off", "data-branch-code": "", "size": 8}
        ),
    )
    account_type = forms.TypedChoiceField(
        label=gettext_lazy("Account type"), choices=AccountType.choices, coerce=int
    )
    account_number = forms.CharField(
        label=gettext_lazy("Account number"),
        max_length=7,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    holder_name = forms.CharField(
        label=gettext_lazy("Account holder (kana)"),
        max_length=60,
        help_text=gettext_lazy("As the bank writes it, in katakana: カ）ヒタチテック."),
    )

    def code(self, name: str, width: int) -> str:
        """The code typed so far (bound or initial), zero-filled when it is all digits."""
        value = str(self[name].value() or "").strip()
        return value.zfill(width) if value.isdigit() and len(value) <= width else value


def account_label(account: PayeeAccount) -> str:
    """An account as people read it: bank and branch, type, number and the holder in kana."""
    return " ".join(
        part
        for part in (
            readable_kana(account.bank_name) or account.bank_code,
            readable_kana(account.branch_name) or account.branch_code,
            str(account.get_account_type_display()),
            account.account_number,
            readable_kana(account.holder_name),
        )
        if part
    )


class ClaimForm(forms.Form):
    account = forms.TypedChoiceField(label=gettext_lazy("Bank account"), coerce=int)

    def __init__(self, *args: Any, accounts: Iterable[PayeeAccount], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account"].choices = [(a.pk, account_label(a)) for a in accounts]
        self.fields["account"].error_messages["required"] = _(
            "Choose the bank account to be paid into."
        )


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("login")
    if is_staff_side(request.user):
        return redirect("workspace:home")
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
    application = application_get_for_user(request.user, pk)
    # ?edit=<line>: the line form holds that line, to change it in place
    line = _line_of(application, request.GET.get("edit", ""))
    if line is None:
        return _detail_page(request, application)
    initial = {
        "trainee_name": line.trainee_name,
        "course_name": line.course_name,
        "provider": line.provider,
        "start_date": line.start_date,
        "end_date": line.end_date,
        "cost_type": line.cost_type.code,
        "amount": line.amount,
    }
    return _detail_page(
        request, application, line_form=TrainingLineForm(initial=initial), editing=line
    )


def _line_of(application: Application, line_id: str) -> Any:
    """The application's training line of that id, or None."""
    if not line_id.isdigit():
        return None
    return application.training_lines.select_related("cost_type").filter(pk=int(line_id)).first()


def _bank_picker(form: PayeeAccountForm) -> dict[str, Any]:
    """The banks to pick from and, once the bank code is known, its branches and the names of
    the chosen bank and branch (the zengin-code data)."""
    bank_code, branch_code = form.code("bank_code", 4), form.code("branch_code", 3)
    bank_name, branch_name = bank_branch_names(bank_code, branch_code)
    return {
        "banks": bank_list(),
        "branches": branch_list(bank_code) if bank_name else [],
        "bank_name": bank_name,
        "branch_name": branch_name,
    }


def guided_steps(application: Application) -> list[dict[str, Any]]:
    """The steps of preparing an application, each with the section it is done in and whether it
    is done; the first step not done is the current one. Shown while the company may edit."""
    measures = {measure.pk for measure in round_measures(application)}
    with_baseline = set(application.baselines.values_list("measure_id", flat=True))
    steps = [
        {"anchor": "facts", "label": _("Basics"), "done": True},
        {
            "anchor": "plan-section",
            "label": _("Training plan"),
            "done": application.training_lines.exists(),
        },
        {
            "anchor": "documents",
            "label": _("Documents"),
            "done": not application_services.missing_document_types(
                application, DocumentType.Stage.APPLICATION
            ),
        },
        {"anchor": "baselines", "label": _("Outcome baselines"), "done": measures <= with_baseline},
        {"anchor": "submit", "label": _("Review and submit"), "done": False},
    ]
    current = next(step for step in steps if not step["done"])
    current["current"] = True
    return steps


def _detail_page(
    request: HttpRequest,
    application: Application,
    *,
    status: int = 200,
    **given: Any,
) -> HttpResponse:
    """The application page; ``given`` holds the forms that came back (bound, with their
    errors) in place of empty ones, so nothing the applicant typed is lost; ``editing`` is the
    training line the line form changes (else it adds one)."""
    editing = given.pop("editing", None)
    accounts = list(payee_accounts_for_user(request.user))
    payable = payable_for_application(application.pk)
    actions = application_actions(request.user, application)
    forms_ = {
        "line_form": TrainingLineForm(),
        "document_form": DocumentForm(),
        "cost_formset": ActualCostFormSet(prefix="costs", initial=results_initial(application)),
        "account_form": PayeeAccountForm(),
        "baselines_form": BaselinesForm(application=application),
        "answer_form": AnswerForm(),
        "withdraw_form": WithdrawForm(),
        "claim_form": ClaimForm(accounts=accounts),
        **given,
    }
    claiming = bool(claim_allowed(request.user, application)) and not payable
    return render(
        request,
        "portal/detail.html",
        {
            "application": application,
            "planned": application_services.planned_subsidy(application),
            "correction": application_services.open_correction(application),
            "events": events_for(application),
            "tasks": task_links(application.pk) if is_staff_side(request.user) else [],
            "actions": actions,
            "letters": letters_for_subject("applications.application", application.pk),
            "accounts": [(account, account_label(account)) for account in accounts],
            "payable": payable,
            "can_revoke": prepare_allowed(request.user, application),
            "baselines": application.baselines.select_related("measure"),
            "outcome_reports": outcome_reports_of(application),
            "results_documents": application.round.required_document_types.filter(
                stage=DocumentType.Stage.RESULTS
            ),
            "results_missing": application_services.missing_document_types(
                application, DocumentType.Stage.RESULTS
            )
            if actions[REPORT_RESULTS]
            else [],
            "claiming": claiming,
            "editing": editing,
            "steps": guided_steps(application) if actions[EDIT] else [],
            **(_bank_picker(forms_["account_form"]) if claiming else {}),
            **forms_,
        },
        status=status,
    )


def _perform(form: forms.BaseForm, action: Callable[[], Any]) -> bool:
    """Run a service; its refusal goes beside the field it names (or above the form)."""
    try:
        action()
    except KofuError as error:
        form_error_add(form, error)
        return False
    return True


def _done(request: HttpRequest, pk: int, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("portal:detail", pk=pk)


def _act(
    request: HttpRequest, application: Application, action: Callable[[], Any], done: str
) -> HttpResponse:
    """An act without a form: done, back to the page; refused, the page again with the reason."""
    try:
        action()
    except KofuError as error:
        messages.error(request, str(error.message))
        return _detail_page(request, application, status=400)
    return _done(request, application.pk, done)


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
    if form.is_valid():
        line = application_services.TrainingLineInput(
            **{**form.cleaned_data, "cost_type": form.cleaned_data["cost_type"].code}
        )
        if _perform(
            form,
            lambda: application_services.training_line_add(
                application_id=application.pk, line=line, by=request.user
            ),
        ):
            return _done(request, pk, _("Line added."))
    return _detail_page(request, application, line_form=form, status=400)


@login_required
@require_POST
def change_line(request: HttpRequest, pk: int, line_id: int) -> HttpResponse:
    application = application_get_for_user(request.user, pk)
    line = _line_of(application, str(line_id))
    if line is None:
        raise Http404
    form = TrainingLineForm(request.POST)
    if form.is_valid():
        changed = application_services.TrainingLineInput(
            **{**form.cleaned_data, "cost_type": form.cleaned_data["cost_type"].code}
        )
        if _perform(
            form,
            lambda: application_services.training_line_change(
                application_id=application.pk, line_id=line.pk, line=changed, by=request.user
            ),
        ):
            return _done(request, pk, _("Line changed."))
    return _detail_page(request, application, line_form=form, editing=line, status=400)


@login_required
@require_POST
def remove_line(request: HttpRequest, pk: int, line_id: int) -> HttpResponse:
    application = application_get_for_user(request.user, pk)
    return _act(
        request,
        application,
        lambda: application_services.training_line_remove(
            application_id=application.pk, line_id=line_id, by=request.user
        ),
        _("Line removed."),
    )


@login_required
@require_POST
def baselines(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_get_for_user(request.user, pk)
    form = BaselinesForm(request.POST, application=application)
    if form.is_valid():
        values = {code: value for code, value in form.cleaned_data.items() if value is not None}
        if _perform(
            form,
            lambda: application_services.baselines_set(
                application_id=application.pk, values=values, by=request.user
            ),
        ):
            return _done(request, pk, _("Baselines saved."))
    return _detail_page(request, application, baselines_form=form, status=400)


@login_required
@require_POST
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_get_for_user(request.user, pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid() and _perform(
        form,
        lambda: application_services.document_upload(
            application_id=application.pk,
            document_type=form.cleaned_data["document_type"].code,
            file=form.cleaned_data["file"],
            by=request.user,
        ),
    ):
        return _done(request, pk, _("Document uploaded."))
    return _detail_page(request, application, document_form=form, status=400)


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_get_for_user(request.user, pk)
    return _act(
        request,
        application,
        lambda: services.subsidy_submit(application_id=application.pk, by=request.user),
        _("Application submitted."),
    )


@login_required
@require_POST
def resubmit(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_get_for_user(request.user, pk)
    form = AnswerForm(request.POST)
    if form.is_valid() and _perform(
        form,
        lambda: services.subsidy_resubmit(
            application_id=application.pk, by=request.user, answer=form.cleaned_data["answer"]
        ),
    ):
        return _done(request, pk, _("Correction submitted."))
    return _detail_page(request, application, answer_form=form, status=400)


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_get_for_user(request.user, pk)
    form = WithdrawForm(request.POST)
    if form.is_valid() and _perform(
        form,
        lambda: services.subsidy_withdraw(
            application_id=application.pk, by=request.user, reason=form.cleaned_data["reason"]
        ),
    ):
        return _done(request, pk, _("Application withdrawn."))
    return _detail_page(request, application, withdraw_form=form, status=400)


@login_required
@require_POST
def report_results(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_get_for_user(request.user, pk)
    formset = ActualCostFormSet(request.POST, prefix="costs", initial=results_initial(application))
    if formset.is_valid():
        rows = [
            form
            for form in formset.forms
            if form.cleaned_data and form not in formset.deleted_forms
        ]
        costs = [
            application_services.ActualCostInput(
                **{
                    **{k: v for k, v in form.cleaned_data.items() if k != DELETION_FIELD_NAME},
                    "cost_type": form.cleaned_data["cost_type"].code,
                }
            )
            for form in rows
        ]
        try:
            services.subsidy_report_results(
                application_id=application.pk, by=request.user, costs=costs
            )
        except KofuError as error:
            formset_error_add(formset, rows, error, prefix="costs")
        else:
            return _done(request, pk, _("Results report submitted."))
    return _detail_page(request, application, cost_formset=formset, status=400)


@login_required
@require_POST
def account_add(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_get_for_user(request.user, pk)
    if "lookup" in request.POST:  # find the bank and branch: the form again, as typed
        lookup = PayeeAccountForm(initial=request.POST.dict())
        return _detail_page(request, application, account_form=lookup)
    form = PayeeAccountForm(request.POST)
    if form.is_valid() and _perform(
        form, lambda: payee_account_register(by=request.user, **form.cleaned_data)
    ):
        return _done(request, pk, _("Bank account registered."))
    return _detail_page(request, application, account_form=form, status=400)


@login_required
@require_GET
def branches(request: HttpRequest) -> JsonResponse:
    """A bank's name and branches by its code, for the account form's branch list."""
    code = request.GET.get("bank", "").strip()
    code = code.zfill(4) if code.isdigit() and len(code) <= 4 else code
    bank_name, _branch = bank_branch_names(code)
    return JsonResponse(
        {"bank": bank_name, "branches": branch_list(code) if bank_name else []},
        json_dumps_params={"ensure_ascii": False},
    )


@login_required
@require_POST
def account_retire(request: HttpRequest, pk: int, account_id: int) -> HttpResponse:
    """Retire one of the company's accounts from the application's payment section."""
    application = application_get_for_user(request.user, pk)
    return _act(
        request,
        application,
        lambda: payee_account_retire(
            account_id=account_id, by=request.user, reason=request.POST.get("reason", "")
        ),
        _("Bank account retired: new claims cannot name it."),
    )


@login_required
@require_POST
def claim(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_get_for_user(request.user, pk)
    form = ClaimForm(request.POST, accounts=payee_accounts_for_user(request.user))
    if form.is_valid() and _perform(
        form,
        lambda: services.subsidy_claim_payment(
            application_id=application.pk, by=request.user, account_id=form.cleaned_data["account"]
        ),
    ):
        return _done(request, pk, _("Payment claim submitted."))
    return _detail_page(request, application, claim_form=form, status=400)


urlpatterns = [
    path("", index, name="index"),
    path("applications/new/", create, name="create"),
    path("applications/<int:pk>/", detail, name="detail"),
    path("applications/<int:pk>/lines/", add_line, name="add_line"),
    path("applications/<int:pk>/lines/<int:line_id>/remove/", remove_line, name="remove_line"),
    path("applications/<int:pk>/lines/<int:line_id>/", change_line, name="change_line"),
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
    path("banks/branches/", branches, name="branches"),
]
