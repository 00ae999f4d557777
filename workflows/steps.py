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

from applications.models import Decision
from applications.services import (
    amount_confirm,
    amount_to_confirm,
    application_accept_documents,
    application_return_for_correction,
    decision_letter_specimen,
    grant_decide,
    results_check,
)
from awards.services import (
    nomination_accept_documents,
    nomination_commend,
    nomination_return_for_correction,
)
from core.roles import Role
from declarations.services import declaration_register, declaration_return_for_correction
from outcomes.exceptions import InvalidState
from outcomes.models import OutcomeReport
from outcomes.selectors import (
    outcome_report_of_application,
    productivity_rule,
    report_improvements,
)
from outcomes.services import outcome_report_accept, outcome_report_return
from screening.committee import (
    committee_approve,
    committee_decide,
    decision_pending_approval,
    panel_results,
)
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
    """額の確定: the page shows the amount that will be confirmed and the form sends it back, so
    that a different amount is refused rather than confirmed unseen."""

    takes_subject = True

    expected_amount = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    confirm = forms.BooleanField(label=_("I confirm the amount shown"))

    def __init__(self, *args: Any, subject: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.amount_to_confirm = amount_to_confirm(subject)
        self.granted_amount = subject.decided_amount or 0
        self.unspent = self.granted_amount - self.amount_to_confirm
        self.fields["expected_amount"].initial = self.amount_to_confirm


class CheckOutcomeReportForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("Outcome report"),
        choices=[("1", _("accept")), ("0", _("return to the company"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason / what to correct"), required=False, widget=forms.Textarea
    )


def _correction_items(data: dict) -> list[str]:
    items = data.get("items", "")
    return items if isinstance(items, list) else _lines(items)


def document_check_perform(
    accept: Callable[[int, Any], Any], return_for_correction: Callable[..., Any]
) -> Callable[[int, Any, dict], Any]:
    """The check step of any programme: accept, or return with items and a message."""

    def perform(subject_id: int, by: Any, data: dict) -> Any:
        if data["accept"]:
            return accept(subject_id, by)
        return return_for_correction(
            subject_id, by, items=_correction_items(data), message=data.get("message", "")
        )

    return perform


_check_documents = document_check_perform(
    lambda pk, by: application_accept_documents(application_id=pk, by=by),
    lambda pk, by, **kw: application_return_for_correction(application_id=pk, by=by, **kw),
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
    return amount_confirm(
        application_id=application_id, by=by, expected_amount=data["expected_amount"]
    )


def _outcome_report_of(application_id: int) -> OutcomeReport:
    report = outcome_report_of_application(application_id)
    if report is None:
        raise InvalidState(_("This application has no outcome report to check."))
    return report


def _check_outcome_report(application_id: int, by: Any, data: dict) -> Any:
    report = _outcome_report_of(application_id)
    if data["accept"]:
        return outcome_report_accept(report_id=report.pk, by=by)
    return outcome_report_return(report_id=report.pk, reason=data.get("reason", ""), by=by)


def _outcome_report_context(application: Any) -> dict[str, Any]:
    """What staff read beside the form: the values against the baselines, under the rule."""
    report = outcome_report_of_application(application.pk)
    if report is None:
        return {}
    rule = productivity_rule()
    return {
        "outcome_report": report,
        "improvements": report_improvements(report, rule),
        "productivity_rule": rule,
    }


@dataclass(frozen=True)
class Step:
    node: str
    title: Any
    form_class: type[forms.Form]
    perform: Callable[[int, Any, dict], Any]
    role: Role
    # What the step page shows besides the subject's own context, given the subject.
    context: Callable[[Any], dict[str, Any]] | None = None
    # A decision or money: the question its page asks before the step is done.
    confirm: Any = None
    # The letter the step would issue, as a specimen PDF, from the form's input so far.
    letter_preview: Callable[[int, Any, dict], bytes] | None = None

    @property
    def previews_letter(self) -> bool:
        """For templates, which would call ``letter_preview`` itself."""
        return self.letter_preview is not None


CHECK_DOCUMENTS = Step(
    "check_documents", _("Check documents"), CheckDocumentsForm, _check_documents, Role.STAFF
)
SCREEN = Step("screen", _("Screen"), ScreenForm, _screen, Role.STAFF)
DECIDE = Step(
    "decide",
    _("Grant decision"),
    DecideForm,
    _decide,
    Role.APPROVER,
    letter_preview=lambda pk, by, data: decision_letter_specimen(
        application_id=pk,
        by=by,
        kind=Decision.Kind.GRANT if data.get("approve") == "1" else Decision.Kind.NON_GRANT,
        reason=data.get("reason", ""),
        conditions=data.get("conditions", ""),
    ),
    confirm=_(
        "Record this grant decision? A numbered decision letter is issued to the applicant "
        "and the amount is committed against the round's budget."
    ),
)
CHECK_RESULTS = Step(
    "check_results", _("Check results report"), CheckResultsForm, _check_results, Role.STAFF
)
CONFIRM_AMOUNT = Step(
    "confirm_amount",
    _("Confirm amount"),
    ConfirmForm,
    _confirm_amount,
    Role.APPROVER,
    letter_preview=lambda pk, by, data: decision_letter_specimen(
        application_id=pk, by=by, kind=Decision.Kind.AMOUNT_CONFIRMATION
    ),
    confirm=_(
        "Confirm this amount? A numbered amount confirmation letter is issued and the "
        "applicant may claim the payment."
    ),
)

CHECK_OUTCOME_REPORT = Step(
    "check_outcome_report",
    _("Check outcome report"),
    CheckOutcomeReportForm,
    _check_outcome_report,
    Role.STAFF,
    context=_outcome_report_context,
)

SUBSIDY_STEPS = {
    step.node: step
    for step in (
        CHECK_DOCUMENTS,
        SCREEN,
        DECIDE,
        CHECK_RESULTS,
        CONFIRM_AMOUNT,
        CHECK_OUTCOME_REPORT,
    )
}

# --- promotion declaration -----------------------------------------------------------------

CHECK_DECLARATION = Step(
    "check_documents",
    _("Check declaration"),
    CheckDocumentsForm,
    document_check_perform(
        lambda pk, by: declaration_register(declaration_id=pk, by=by),
        lambda pk, by, **kw: declaration_return_for_correction(declaration_id=pk, by=by, **kw),
    ),
    Role.STAFF,
)
DECLARATION_STEPS = {CHECK_DECLARATION.node: CHECK_DECLARATION}


# --- reskilling award ----------------------------------------------------------------------


class CommendForm(forms.Form):
    commended_on = forms.DateField(
        label=_("Date of the commendation"), widget=forms.DateInput(attrs={"type": "date"})
    )


CHECK_NOMINATION = Step(
    "check_documents",
    _("Check nomination"),
    CheckDocumentsForm,
    document_check_perform(
        lambda pk, by: nomination_accept_documents(nomination_id=pk, by=by),
        lambda pk, by, **kw: nomination_return_for_correction(nomination_id=pk, by=by, **kw),
    ),
    Role.STAFF,
)
COMMEND = Step(
    "commend",
    _("Commend"),
    CommendForm,
    lambda pk, by, data: nomination_commend(
        nomination_id=pk, by=by, commended_on=data["commended_on"]
    ),
    Role.STAFF,
    confirm=_("Commend this company? The commendation letter is issued and it is published."),
)
NOMINATION_STEPS = {step.node: step for step in (CHECK_NOMINATION, COMMEND)}


# --- committee decision --------------------------------------------------------------------


class CommitteeDecisionForm(forms.Form):
    """The chair's selection over the ranked table; a reason for every departure from it."""

    takes_subject = True

    rationale = forms.CharField(label=_("Rationale of the decision"), widget=forms.Textarea)

    def __init__(self, *args: Any, subject: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = panel_results(subject).table.to_dict("records")
        self.fields["selected"] = forms.MultipleChoiceField(
            label=_("Selected"),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            choices=[(str(row["item_id"]), _ranked_label(row)) for row in self.rows],
            initial=[str(row["item_id"]) for row in self.rows if row.get("within_quota")],
        )
        for row in self.rows:
            self.fields[f"departure_{row['item_id']}"] = forms.CharField(
                label=_("Reason for departing from the ranking: %(item)s")
                % {"item": row.get("label", row["item_id"])},
                required=False,
            )

    def field_for(self, name: str | None) -> str | None:
        """The form field a refusal of ``committee_decide`` is about."""
        if name == "selected_item_ids":
            return "selected"
        if name and name.startswith("departures."):
            return f"departure_{name.split('.', 1)[1]}"
        return name

    def selected_count(self) -> int:
        """How many items are ticked now: the page counts against the quota as the chair ticks."""
        chosen = self.data.getlist("selected") if self.is_bound else self["selected"].initial
        return len(chosen or [])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        data["selected_item_ids"] = [int(pk) for pk in data.get("selected", [])]
        data["departures"] = {
            int(row["item_id"]): data[f"departure_{row['item_id']}"].strip()
            for row in self.rows
            if data.get(f"departure_{row['item_id']}", "").strip()
        }
        return data


def _ranked_label(row: dict) -> str:
    return f"{row.get('rank', '-')}. {row.get('label', row['item_id'])}"


class ApproveDecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Committee decision"),
        choices=[("1", _("approve")), ("0", _("return to the chair"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea)


def _record_decision(panel_id: int, by: Any, data: dict) -> Any:
    return committee_decide(
        panel_id=panel_id,
        by=by,
        selected_item_ids=data["selected_item_ids"],
        rationale=data["rationale"],
        departures=data["departures"],
    )


def _approve_decision(panel_id: int, by: Any, data: dict) -> Any:
    decision = decision_pending_approval(panel_id)
    return committee_approve(
        decision_id=decision.pk, by=by, approve=data["approve"], note=data.get("note", "")
    )


RECORD_DECISION = Step(
    "record_decision",
    _("Record the committee decision"),
    CommitteeDecisionForm,
    _record_decision,
    Role.STAFF,
    confirm=_("Record this selection? It goes to an approver who reviewed nothing."),
)
APPROVE_DECISION = Step(
    "approve_decision",
    _("Approve the committee decision"),
    ApproveDecisionForm,
    _approve_decision,
    Role.APPROVER,
    confirm=_(
        "Record your answer? An approval concludes the round: the selected are commended, "
        "the others are told."
    ),
)
COMMITTEE_STEPS = {step.node: step for step in (RECORD_DECISION, APPROVE_DECISION)}
