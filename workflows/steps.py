"""The human steps of the subsidy flow: for each, the input it takes and the service it calls.

The web task views and the API both complete a step through ``Step.perform``; neither holds a
rule of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.services import (
    amount_confirm,
    application_accept_documents,
    application_return_for_correction,
    grant_decide,
    results_check,
)
from core.roles import Role
from payments.services import payment_release
from screening.services import screening_record


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class CheckDocumentsForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("Documents"),
        choices=[("1", _("complete: accept")), ("0", _("incomplete: return for correction"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    items = forms.CharField(
        label=_("Items to correct (one per line)"), required=False, widget=forms.Textarea
    )
    message = forms.CharField(
        label=_("Message to the applicant"), required=False, widget=forms.Textarea
    )


class ScreenForm(forms.Form):
    eligible = forms.BooleanField(label=_("Eligible"), required=False)
    recommend_grant = forms.BooleanField(label=_("Recommend a grant"), required=False)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea)


class DecideForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("grant (交付決定)")), ("0", _("do not grant (不交付決定)"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea)
    conditions = forms.CharField(
        label=_("Conditions of the grant"), required=False, widget=forms.Textarea
    )


class CheckResultsForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("Results report"),
        choices=[("1", _("accept")), ("0", _("return to the applicant"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason / what to fix"), required=False, widget=forms.Textarea)


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(label=_("I confirm the amount shown"))


def _check_documents(application_id: int, by: Any, data: dict) -> Any:
    if data["accept"]:
        return application_accept_documents(application_id=application_id, by=by)
    items = data["items"] if isinstance(data["items"], list) else _lines(data.get("items", ""))
    return application_return_for_correction(
        application_id=application_id, by=by, items=items, message=data.get("message", "")
    )


def _screen(application_id: int, by: Any, data: dict) -> Any:
    return screening_record(
        application_id=application_id,
        by=by,
        eligible=data["eligible"],
        recommend_grant=data["recommend_grant"],
        reason=data["reason"],
    )


def _decide(application_id: int, by: Any, data: dict) -> Any:
    return grant_decide(
        application_id=application_id,
        by=by,
        approve=data["approve"],
        reason=data.get("reason", ""),
        conditions=data.get("conditions", ""),
    )


def _check_results(application_id: int, by: Any, data: dict) -> Any:
    return results_check(
        application_id=application_id, by=by, accept=data["accept"], reason=data.get("reason", "")
    )


def _confirm_amount(application_id: int, by: Any, data: dict) -> Any:
    return amount_confirm(application_id=application_id, by=by)


def _release_payment(application_id: int, by: Any, data: dict) -> Any:
    return payment_release(application_id=application_id, by=by)


@dataclass(frozen=True)
class Step:
    node: str
    title: Any
    form_class: type[forms.Form]
    perform: Callable[[int, Any, dict], Any]
    role: Role


CHECK_DOCUMENTS = Step(
    "check_documents", _("Check documents"), CheckDocumentsForm, _check_documents, Role.STAFF
)
SCREEN = Step("screen", _("Screen"), ScreenForm, _screen, Role.STAFF)
DECIDE = Step("decide", _("Grant decision"), DecideForm, _decide, Role.APPROVER)
CHECK_RESULTS = Step(
    "check_results", _("Check results report"), CheckResultsForm, _check_results, Role.STAFF
)
CONFIRM_AMOUNT = Step(
    "confirm_amount", _("Confirm amount"), ConfirmForm, _confirm_amount, Role.APPROVER
)
RELEASE_PAYMENT = Step(
    "release_payment", _("Release payment"), ConfirmForm, _release_payment, Role.FINANCE
)

STEPS = {
    step.node: step
    for step in (CHECK_DOCUMENTS, SCREEN, DECIDE, CHECK_RESULTS, CONFIRM_AMOUNT, RELEASE_PAYMENT)
}
