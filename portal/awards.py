"""Nominating a company for the reskilling award: by itself or by a municipality or chamber of
commerce, with the company's consent and its completed subsidies cited from our records."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.models import Company
from accounts.selectors import company_id_of_user
from audit.selectors import events_for
from awards import services as award_services
from awards.models import AwardRound, Nomination
from awards.policy import nomination_actions
from awards.selectors import (
    award_rounds_open,
    citable_applications,
    nomination_list_for_user,
    open_correction,
)
from core.errors import KofuError, ValidationFailed
from core.roles import is_staff_side
from letters.selectors import letters_for_subject
from workflows import services

from .pages import act_and_return, form_error_add, form_errors_and_return, task_links


class NominationForm(forms.Form):
    round = forms.ModelChoiceField(AwardRound.objects.none(), label=gettext_lazy("Award round"))
    nominator_kind = forms.ChoiceField(
        label=gettext_lazy("Nominated by"), choices=Nomination.NominatorKind.choices
    )
    corporate_number = forms.CharField(
        label=gettext_lazy("Nominee's corporate number (法人番号; third-party nominations)"),
        required=False,
        max_length=13,
    )
    nominator_organisation = forms.CharField(
        label=gettext_lazy("Nominating organisation"), required=False, max_length=200
    )
    summary = forms.CharField(
        label=gettext_lazy("Reskilling initiatives"), required=False, widget=forms.Textarea
    )
    achievements = forms.CharField(
        label=gettext_lazy("Achievements"), required=False, widget=forms.Textarea
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = award_rounds_open()


class DocumentForm(forms.Form):
    description = forms.CharField(label=gettext_lazy("Description"), max_length=200)
    # an empty file too reaches core.uploads, which refuses it with its code
    file = forms.FileField(label=gettext_lazy("File"), allow_empty_file=True)


def nomination_for_user(user, pk: int) -> Nomination:
    """The nominee's or nominator's own nomination, or any for staff; others get 404."""
    nomination = nomination_list_for_user(user).filter(pk=pk).first()
    if nomination is None:
        raise Http404
    return nomination


def _nominee_id(form: NominationForm) -> int | None:
    number = form.cleaned_data["corporate_number"].strip()
    if not number:
        return None
    company = Company.objects.filter(corporate_number=number).first()
    if company is None:
        raise ValidationFailed(
            _("No company with corporate number %(number)s is registered.") % {"number": number},
            field="corporate_number",
        )
    return company.pk


def _back(pk: int) -> HttpResponse:
    return redirect("portal:nomination", pk=pk)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, nomination_for_user(request.user, pk))


def _detail_page(
    request: HttpRequest,
    nomination: Nomination,
    *,
    document_form: DocumentForm | None = None,
    refusal: str = "",
    sent: Any = None,
    status: int = 200,
) -> HttpResponse:
    own_company = company_id_of_user(request.user)
    letters = letters_for_subject("awards.nomination", nomination.pk)
    if not is_staff_side(request.user):
        # Each letter is addressed to one party (a correction to the nominator, the outcome to
        # the nominee); the other party could not open it.
        letters = letters.filter(company_id=own_company)
    return render(
        request,
        "portal/nomination_detail.html",
        {
            "nomination": nomination,
            "correction": open_correction(nomination),
            # The nominee's records are shown to a third party only once the nominee consents.
            "citable": citable_applications(nomination.company_id)
            if own_company == nomination.company_id or nomination.has_consent
            else [],
            "cited_ids": set(nomination.cited_applications.values_list("pk", flat=True))
            if sent is None or sent.get("cite_form") != "1"
            else {int(value) for value in sent.getlist("applications") if value.isdigit()},
            "answer": "" if sent is None else sent.get("answer", ""),
            "refusal": refusal,
            "document_form": document_form or DocumentForm(),
            "events": events_for(nomination),
            "letters": letters,
            "tasks": task_links(nomination.pk, Nomination) if is_staff_side(request.user) else [],
            "actions": nomination_actions(request.user, nomination),
            "breadcrumbs": [
                {"url": reverse("portal:index"), "label": _("My page")},
                {"label": nomination.reference},
            ],
        },
        status=status,
    )


@login_required
@require_POST
def create(request: HttpRequest) -> HttpResponse:
    form = NominationForm(request.POST)
    if not form.is_valid():
        return form_errors_and_return(request, form, redirect("portal:index"))
    try:
        nomination = award_services.nomination_create(
            round_id=form.cleaned_data["round"].pk,
            by=request.user,
            company_id=_nominee_id(form),
            nominator_kind=form.cleaned_data["nominator_kind"],
            nominator_organisation=form.cleaned_data["nominator_organisation"],
            summary=form.cleaned_data["summary"],
            achievements=form.cleaned_data["achievements"],
        )
    except KofuError as error:
        messages.error(request, str(error.message))
        return redirect("portal:index")
    return _back(nomination.pk)


@login_required
@require_POST
def consent(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = nomination_for_user(request.user, pk)
    return act_and_return(
        request,
        lambda: award_services.nomination_consent_record(
            nomination_id=nomination.pk, by=request.user
        ),
        _("Consent recorded."),
        _back(pk),
    )


@login_required
@require_POST
def cite(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = nomination_for_user(request.user, pk)
    ids = [int(value) for value in request.POST.getlist("applications") if value.isdigit()]
    return act_and_return(
        request,
        lambda: award_services.nomination_cite_applications(
            nomination_id=nomination.pk, by=request.user, application_ids=ids
        ),
        _("Cited subsidies saved."),
        _back(pk),
    )


@login_required
@require_POST
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = nomination_for_user(request.user, pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            award_services.document_upload(
                nomination_id=nomination.pk,
                by=request.user,
                file=form.cleaned_data["file"],
                description=form.cleaned_data["description"],
            )
        except KofuError as error:
            form_error_add(form, error)
        else:
            messages.success(request, _("Document uploaded."))
            return _back(pk)
    return _detail_page(request, nomination, document_form=form, status=400)


def _cited_ids(request: HttpRequest) -> list[int] | None:
    """The subsidies ticked on the page's form, or None when the form offered none to tick
    (then the citations stay as they are)."""
    if request.POST.get("cite_form") != "1":
        return None
    return [int(value) for value in request.POST.getlist("applications") if value.isdigit()]


def _send(
    request: HttpRequest, nomination: Nomination, act: Callable[[], Any], done: str
) -> HttpResponse:
    """Submit or resubmit; a refusal shows the page again (400) with what was ticked and
    written, so nothing typed is lost."""
    try:
        act()
    except KofuError as error:
        return _detail_page(
            request,
            nomination,
            refusal=str(error.message),
            sent=request.POST,
            status=400,
        )
    messages.success(request, done)
    return _back(nomination.pk)


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Submit; the subsidies ticked in the same form are cited first, in the same act."""
    nomination = nomination_for_user(request.user, pk)
    return _send(
        request,
        nomination,
        lambda: services.nomination_process_submit(
            nomination_id=nomination.pk, by=request.user, application_ids=_cited_ids(request)
        ),
        _("Nomination submitted."),
    )


@login_required
@require_POST
def resubmit(request: HttpRequest, pk: int) -> HttpResponse:
    """Answer the correction and resubmit with the ticked subsidies, as one act."""
    nomination = nomination_for_user(request.user, pk)
    return _send(
        request,
        nomination,
        lambda: services.nomination_process_resubmit(
            nomination_id=nomination.pk,
            by=request.user,
            answer=request.POST.get("answer", ""),
            application_ids=_cited_ids(request),
        ),
        _("Correction submitted."),
    )


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = nomination_for_user(request.user, pk)
    return act_and_return(
        request,
        lambda: services.nomination_process_withdraw(
            nomination_id=nomination.pk, by=request.user, reason=request.POST.get("reason", "")
        ),
        _("Nomination withdrawn."),
        _back(pk),
    )


urlpatterns = [
    path("nominations/new/", create, name="nomination_create"),
    path("nominations/<int:pk>/", detail, name="nomination"),
    path("nominations/<int:pk>/consent/", consent, name="nomination_consent"),
    path("nominations/<int:pk>/cite/", cite, name="nomination_cite"),
    path("nominations/<int:pk>/documents/", upload, name="nomination_upload"),
    path("nominations/<int:pk>/submit/", submit, name="nomination_submit"),
    path("nominations/<int:pk>/resubmit/", resubmit, name="nomination_resubmit"),
    path("nominations/<int:pk>/withdraw/", withdraw, name="nomination_withdraw"),
]
