"""Use cases of the training-subsidy application. Each is one transaction: it locks the row,
checks who may act, fires one FSM transition, writes its audit event, and schedules
notifications after commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, F, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.selectors import company_applicants, company_id_of_user
from audit.services import document_open_record, event_record
from audit.transitions import transition_firer
from core.corrections import (
    correction_answer,
    correction_deadline,
    correction_items_clean,
    correction_lapse,
    correction_open_of,
    correction_request,
)
from core.dates import today_jst
from core.policy import refuse_unless
from core.roles import Role, has_role, is_staff_side
from core.uploads import upload_accept
from notifications.services import notify
from web.templatetags.kofu import when

from . import policy
from .calculation import CostLine, SubsidyComputation, SubsidyRule, subsidy_compute
from .eligibility import company_has_registered_declaration
from .exceptions import (
    AmountChanged,
    BaselinesMissing,
    BudgetExceeded,
    DeclarationRequired,
    InvalidState,
    MissingDocuments,
    NotAllowed,
    SamePersonDecides,
    SubmissionRefused,
    ValidationFailed,
    WindowClosed,
)
from .labels import action_label
from .letters import correction_letter_prepare, decision_letter_prepare, decision_letter_preview
from .measures import baselines_missing, measures_clean, round_measures
from .models import (
    ActualCost,
    Application,
    Baseline,
    CorrectionRequest,
    CostType,
    Decision,
    Document,
    DocumentType,
    SubsidyRound,
    TrainingLine,
)
from .selectors import document_get_for_user, grant_decision_in_force

Status = Application.Status


# --- helpers -------------------------------------------------------------------------------


def _locked(application_id: int) -> Application:
    return (
        Application.objects.select_for_update()
        .select_related("round", "company")
        .get(pk=application_id)
    )


_fire = transition_firer(action_label)


# Formal notices the applicant must receive by email whatever their preferences.
LEGALLY_REQUIRED = {
    "application_returned",
    "application_lapsed",
    "decision_grant",
    "decision_non_grant",
    "amount_confirmed",
}


def notify_applicants(application: Application, kind: str, **context: Any) -> None:
    """Tell every member of the applying company, in their language, with a link to it."""
    notify(
        recipients=company_applicants(application.company_id),
        kind=kind,
        context={
            "reference": application.reference,
            "company": application.company.name,
            **context,
        },
        link=application.get_absolute_url(),
        legally_required=kind in LEGALLY_REQUIRED,
    )


def subsidy_rule(round_: SubsidyRound) -> SubsidyRule:
    """The round's rule as it stands now: what a new grant decision applies (and freezes)."""
    return SubsidyRule(
        rate=round_.rate,
        cap_per_trainee=round_.cap_per_trainee,
        cap_per_company=round_.cap_per_company,
        rounding_unit=round_.rounding_unit,
        eligible_cost_types=frozenset(round_.eligible_cost_types.values_list("code", flat=True)),
    )


def planned_subsidy(
    application: Application, rule: SubsidyRule | None = None
) -> SubsidyComputation:
    """The subsidy of the training plan, under ``rule`` (by default the round's current one)."""
    lines = [
        CostLine(line.trainee_name, line.cost_type.code, line.amount, line.start_date)
        for line in application.training_lines.select_related("cost_type")
    ]
    return subsidy_compute(lines, rule or subsidy_rule(application.round))


def grant_terms(application: Application) -> SubsidyRule:
    """The rule frozen on the grant decision in force: the terms the amount is confirmed by."""
    decision = grant_decision_in_force(application)
    if decision is None or not decision.terms:
        raise InvalidState(_("This application has no grant decision whose terms apply."))
    return SubsidyRule.from_terms(decision.terms)


def actual_subsidy(application: Application) -> SubsidyComputation:
    """The subsidy of the eligible actual costs under the terms of the grant."""
    lines = [
        CostLine(
            cost.trainee_name, cost.cost_type.code, cost.amount, cost.incurred_on, cost.completed
        )
        for cost in application.actual_costs.select_related("cost_type")
    ]
    return subsidy_compute(lines, grant_terms(application), not_before=application.decided_on)


def amount_to_confirm(
    application: Application, computation: SubsidyComputation | None = None
) -> int:
    """額の確定: min(the granted amount, the subsidy of the eligible actual costs). The approver
    is shown this amount and sends it back as ``expected_amount``."""
    computation = computation or actual_subsidy(application)
    return min(application.decided_amount or 0, computation.amount)


def missing_document_types(application: Application, stage: str) -> list[DocumentType]:
    present = set(application.documents.values_list("document_type_id", flat=True))
    return [
        doc_type
        for doc_type in application.round.required_document_types.filter(stage=stage)
        if doc_type.pk not in present
    ]


def _ensure_editable_by_applicant(application: Application, by: Any) -> None:
    refuse_unless(policy.application_actions(by, application)[policy.EDIT])


# --- drafting ------------------------------------------------------------------------------


@transaction.atomic
def application_create(*, round_id: int, by: Any, plan_summary: str = "") -> Application:
    """Start a draft for the applicant's own company."""
    company_id = company_id_of_user(by)
    if not has_role(by, Role.APPLICANT) or company_id is None:
        raise NotAllowed(_("Only a user registered for a company can apply."))
    round_ = SubsidyRound.objects.filter(pk=round_id).first()
    if round_ is None:
        raise ValidationFailed(_("There is no such round."), field="round")
    if timezone.now() >= round_.closes_at:
        raise WindowClosed(
            _("The application window of “%(round)s” has closed.") % {"round": round_.name}
        )
    application = Application.objects.create(
        round=round_, company_id=company_id, created_by=by, plan_summary=plan_summary
    )
    event_record(application, "create", by=by, role=Role.APPLICANT, to_status=application.status)
    return application


@transaction.atomic
def application_create_with_baselines(
    *, round_id: int, by: Any, plan_summary: str = "", baselines: dict[str, Any]
) -> Application:
    """Start a draft and record its baselines in one go (the API's create): all or nothing."""
    application = application_create(round_id=round_id, by=by, plan_summary=plan_summary)
    if baselines:
        baselines_set(application_id=application.pk, values=baselines, by=by)
    return application


@dataclass(frozen=True)
class TrainingLineInput:
    trainee_name: str
    course_name: str
    provider: str
    start_date: dt.date
    end_date: dt.date
    cost_type: str
    amount: int


def _line_cost_type(line: TrainingLineInput) -> CostType:
    """The line's checks, whether added or changed: its dates in order, a cost in yen, a known
    cost type (returned)."""
    if line.end_date < line.start_date:
        raise ValidationFailed(
            _("The course must end on or after its start date."), field="end_date"
        )
    if line.amount <= 0:
        raise ValidationFailed(
            _("Enter the cost in whole yen, excluding consumption tax."), field="amount"
        )
    cost_type = CostType.objects.filter(code=line.cost_type).first()
    if cost_type is None:
        raise ValidationFailed(
            _("Unknown cost type “%(code)s”.") % {"code": line.cost_type}, field="cost_type"
        )
    return cost_type


@transaction.atomic
def training_line_add(*, application_id: int, line: TrainingLineInput, by: Any) -> TrainingLine:
    application = _locked(application_id)
    _ensure_editable_by_applicant(application, by)
    cost_type = _line_cost_type(line)
    created = TrainingLine.objects.create(
        application=application,
        trainee_name=line.trainee_name,
        course_name=line.course_name,
        provider=line.provider,
        start_date=line.start_date,
        end_date=line.end_date,
        cost_type=cost_type,
        amount=line.amount,
    )
    event_record(
        application,
        "training_line_add",
        by=by,
        role=Role.APPLICANT,
        data={
            "line_id": created.pk,
            "amount": line.amount,
            "cost_type": line.cost_type,
            "trainee": line.trainee_name,
        },
    )
    return created


@transaction.atomic
def training_line_change(
    *, application_id: int, line_id: int, line: TrainingLineInput, by: Any
) -> TrainingLine:
    """Change one line of the plan in place (while the company may edit the application), with
    the same checks as adding one; the audit event keeps what it was."""
    application = _locked(application_id)
    _ensure_editable_by_applicant(application, by)
    existing = application.training_lines.filter(pk=line_id).first()
    if existing is None:
        raise ValidationFailed(_("That line is not part of this application."), field="line_id")
    cost_type = _line_cost_type(line)
    before = {"amount": existing.amount, "cost_type": existing.cost_type.code}
    for name, value in (
        ("trainee_name", line.trainee_name),
        ("course_name", line.course_name),
        ("provider", line.provider),
        ("start_date", line.start_date),
        ("end_date", line.end_date),
        ("amount", line.amount),
    ):
        setattr(existing, name, value)
    existing.cost_type = cost_type
    existing.save()
    event_record(
        application,
        "training_line_change",
        by=by,
        role=Role.APPLICANT,
        data={
            "line_id": existing.pk,
            "before": before,
            "amount": line.amount,
            "cost_type": line.cost_type,
            "trainee": line.trainee_name,
        },
    )
    return existing


@transaction.atomic
def training_line_remove(*, application_id: int, line_id: int, by: Any) -> None:
    application = _locked(application_id)
    _ensure_editable_by_applicant(application, by)
    deleted, _count = application.training_lines.filter(pk=line_id).delete()
    if not deleted:
        raise ValidationFailed(_("That line is not part of this application."), field="line_id")
    event_record(
        application, "training_line_remove", by=by, role=Role.APPLICANT, data={"line_id": line_id}
    )


@transaction.atomic
def baselines_set(*, application_id: int, values: dict[str, Any], by: Any) -> list[Baseline]:
    """Record the baselines (現状値) of the round's outcome measures, by measure code; a code
    left out keeps its value. Returns every baseline of the application."""
    application = _locked(application_id)
    _ensure_editable_by_applicant(application, by)
    cleaned = measures_clean(round_measures(application), values, field="baselines", complete=False)
    for measure, value in cleaned.items():
        Baseline.objects.update_or_create(
            application=application, measure=measure, defaults={"value": value}
        )
    if cleaned:
        event_record(
            application,
            "baselines_set",
            by=by,
            role=Role.APPLICANT,
            data={measure.code: str(value) for measure, value in cleaned.items()},
        )
    return list(application.baselines.select_related("measure"))


@transaction.atomic
def document_upload(
    *, application_id: int, document_type: str, file: UploadedFile, by: Any
) -> Document:
    """Attach a file once ``core.uploads`` accepts it (size, the application's quota, its type
    by content); the content is stored once under its SHA-256 and never replaced."""
    application = _locked(application_id)
    doc_type = DocumentType.objects.filter(code=document_type).first()
    if doc_type is None:
        raise ValidationFailed(
            _("Unknown document type “%(code)s”.") % {"code": document_type}, field="document_type"
        )
    refuse_unless(policy.upload_allowed(by, application, doc_type))
    used = application.documents.aggregate(bytes=Sum("size"), files=Count("id"))
    accepted = upload_accept(file=file, used_bytes=used["bytes"] or 0, used_files=used["files"])
    document = Document(
        application=application,
        document_type=doc_type,
        original_name=accepted.name,
        sha256=accepted.sha256,
        size=accepted.size,
        content_type=accepted.content_type,
        uploaded_by=by,
    )
    document.file.name = accepted.storage_name
    document.save()
    event_record(
        application,
        "document_upload",
        by=by,
        role=Role.APPLICANT,
        data={
            "document_id": document.pk,
            "type": doc_type.code,
            "sha256": document.sha256,
            "name": document.original_name,
        },
    )
    return document


@transaction.atomic
def document_open(*, document_id: int, by: Any) -> Document:
    """The document if ``by`` may open it (404 otherwise); a staff-side opening is audited."""
    document = document_get_for_user(by, document_id)
    document_open_record(
        document.application,
        document_id=document.pk,
        sha256=document.sha256,
        name=document.original_name,
        by=by,
    )
    return document


# --- submission and document check ---------------------------------------------------------


def _ensure_submittable(application: Application) -> SubsidyComputation:
    round_ = application.round
    if not round_.is_open():
        raise WindowClosed(
            _(
                "The application window of “%(round)s” is %(opens)s to %(closes)s; "
                "submissions are accepted only within it."
            )
            % {
                "round": round_.name,
                "opens": when(round_.opens_at),
                "closes": when(round_.closes_at),
            }
        )
    if round_.requires_declaration and not company_has_registered_declaration(
        application.company_id
    ):
        raise DeclarationRequired(
            _(
                "This round requires a registered promotion declaration (推進宣言): "
                "register one before applying."
            )
        )
    if not application.training_lines.exists():
        raise SubmissionRefused(
            _("Add at least one trainee and course to the training plan."), field="training_lines"
        )
    missing = missing_document_types(application, DocumentType.Stage.APPLICATION)
    if missing:
        raise MissingDocuments(
            _("Attach the required documents before submitting: %(names)s.")
            % {"names": "、".join(doc_type.name for doc_type in missing)},
            field="documents",
        )
    without_baseline = baselines_missing(application)
    if without_baseline:
        raise BaselinesMissing(
            _("Enter the current value (baseline) of every outcome measure: %(names)s.")
            % {"names": "、".join(measure.name for measure in without_baseline)},
            field="baselines",
        )
    return planned_subsidy(application)


@transaction.atomic
def application_submit(*, application_id: int, by: Any) -> Application:
    """Submit a draft within its round's window; refuse with a clear error otherwise."""
    application = _locked(application_id)
    if application.status != Status.DRAFT:
        raise InvalidState(_("Only a draft can be submitted."))
    computation = _ensure_submittable(application)
    _fire(
        application,
        application.submit,
        by=by,
        role=Role.APPLICANT,
        action="submit",
        data={"requested_amount": computation.amount},
        requested_amount=computation.amount,
    )
    notify_applicants(application, "application_submitted")
    return application


@transaction.atomic
def application_accept_documents(*, application_id: int, by: Any) -> Application:
    application = _locked(application_id)
    _fire(
        application,
        application.accept_documents,
        by=by,
        role=Role.STAFF,
        action="accept_documents",
        data={"document_ids": list(application.documents.values_list("pk", flat=True))},
    )
    return application


@transaction.atomic
def application_return_for_correction(
    *, application_id: int, by: Any, items: list[str], message: str = ""
) -> CorrectionRequest:
    """Return for correction (差戻し) with the items to fix and a business-day deadline."""
    items = correction_items_clean(items)
    application = _locked(application_id)
    deadline = correction_deadline(
        application.round.correction_deadline_business_days,
        year_end_closure=application.round.year_end_closure,
    )
    correction = correction_request(
        application, fire=_fire, by=by, items=items, message=message, deadline=deadline
    )
    correction_letter_prepare(correction, by=by)
    notify_applicants(
        application,
        "application_returned",
        items=items,
        deadline=deadline.isoformat(),
        message=message,
    )
    return correction


def open_correction(application: Application) -> CorrectionRequest | None:
    return correction_open_of(application)


@transaction.atomic
def application_resubmit(*, application_id: int, by: Any, answer: str = "") -> Application:
    """Answer a return for correction and submit again."""
    application = _locked(application_id)
    if application.status != Status.RETURNED:
        raise InvalidState(_("Only an application returned for correction can be resubmitted."))
    computation = _ensure_submittable(application)
    _fire(
        application,
        application.resubmit,
        by=by,
        role=Role.APPLICANT,
        action="resubmit",
        reason=answer,
        data={"requested_amount": computation.amount},
        requested_amount=computation.amount,
    )
    correction_answer(application, answer)
    return application


@transaction.atomic
def application_lapse(*, application_id: int) -> Application:
    """The correction deadline passed unanswered: the system ends the application (the shared
    rule ``correction_lapse``: refused before the deadline, a no-op once answered or lapsed)."""
    application = _locked(application_id)
    correction_lapse(
        application,
        fire=_fire,
        notify=lambda: notify_applicants(application, "application_lapsed"),
    )
    return application


@transaction.atomic
def application_withdraw(*, application_id: int, by: Any, reason: str = "") -> Application:
    application = _locked(application_id)
    _fire(
        application,
        application.withdraw,
        by=by,
        role=Role.APPLICANT,
        action="withdraw",
        reason=reason,
    )
    return application


# --- screening and grant decision ----------------------------------------------------------


def application_record_screening(application: Application, *, by: Any, data: dict) -> None:
    """Fire the screening transition on a locked application (the screening app records why)."""
    _fire(
        application,
        application.record_screening,
        by=by,
        role=Role.STAFF,
        action="record_screening",
        reason=data.get("reason", ""),
        data=data,
        by_user=by,
    )


def lock_application(application_id: int) -> Application:
    """Row-lock an application inside the caller's transaction."""
    return _locked(application_id)


def _ensure_not_preparer(application: Application, by: Any, preparer_id: int | None) -> None:
    if preparer_id is not None and preparer_id == by.pk:
        raise SamePersonDecides(
            _("You prepared this case, so another approver must decide it (four-eyes rule).")
        )


def _reserve_budget(round_id: int, amount: int) -> None:
    """Add ``amount`` to what the round's grants commit only if it stays within budget.

    One conditional UPDATE: concurrent approvers serialise on the round row and the loser sees
    zero rows updated, on SQLite and PostgreSQL alike; a CHECK constraint backs it.
    """
    updated = SubsidyRound.objects.filter(
        pk=round_id, committed_total__lte=F("budget") - amount
    ).update(committed_total=F("committed_total") + amount)
    if not updated:
        remaining = SubsidyRound.objects.get(pk=round_id).remaining_budget
        raise BudgetExceeded(
            _(
                "Granting ¥%(amount)s would exceed the round's budget: only ¥%(remaining)s "
                "remains to be granted."
            )
            % {"amount": f"{amount:,}", "remaining": f"{remaining:,}"},
            remaining=remaining,
        )


def budget_release(*, round_id: int, amount: int) -> None:
    """Give ``amount`` of a grant back to what the round can still grant: the 不用額 when the
    amount is confirmed below the grant, or the amount a revocation takes back. One UPDATE,
    inside the caller's transaction; the column's CHECK refuses going below zero."""
    if amount < 0:
        raise ValueError("a released amount cannot be negative")
    if amount:
        SubsidyRound.objects.filter(pk=round_id).update(
            committed_total=F("committed_total") - amount
        )


def decision_letter_specimen(
    *, application_id: int, by: Any, kind: str, reason: str = "", conditions: str = ""
) -> bytes:
    """The letter a grant decision (``kind`` grant or non_grant) or the amount confirmation
    would issue if it were made now, computed as the decision computes it; a specimen PDF,
    stored nowhere. Staff-side users may see it."""
    if not is_staff_side(by):
        raise NotAllowed(_("Only the prefecture's staff can preview a decision letter."))
    application = Application.objects.select_related("round", "company", "created_by").get(
        pk=application_id
    )
    if kind == Decision.Kind.GRANT:
        computation = planned_subsidy(application, subsidy_rule(application.round))
        return decision_letter_preview(
            application,
            kind,
            amount=computation.amount,
            decided_amount=computation.amount,
            computation=computation.as_dict(),
            conditions=conditions,
        )
    if kind == Decision.Kind.AMOUNT_CONFIRMATION:
        computation = actual_subsidy(application)
        decided = application.decided_amount or 0
        return decision_letter_preview(
            application,
            kind,
            amount=amount_to_confirm(application, computation),
            decided_amount=decided,
            computation={**computation.as_dict(), "decided_amount": decided},
        )
    return decision_letter_preview(
        application,
        Decision.Kind.NON_GRANT,
        amount=None,
        decided_amount=None,
        computation={},
        reason=reason,
    )


@transaction.atomic
def grant_decide(
    *, application_id: int, by: Any, approve: bool, reason: str = "", conditions: str = ""
) -> Decision:
    """The grant decision (交付決定 / 不交付決定) by an approver who did not prepare the case."""
    application = _locked(application_id)
    if application.status != Status.DECISION_PENDING:
        raise InvalidState(_("This application is not awaiting a grant decision."))
    _ensure_not_preparer(application, by, application.screened_by_id)
    if not approve and not reason.strip():
        raise ValidationFailed(_("Give the reason for not granting."), field="reason")
    today = today_jst()
    terms: dict = {}
    if approve:
        rule = subsidy_rule(application.round)
        terms = rule.as_terms()
        computation = planned_subsidy(application, rule)
        if computation.amount <= 0:
            raise ValidationFailed(
                _("No eligible cost remains: the grant would be ¥0. Decide not to grant instead."),
                field="approve",
            )
        _reserve_budget(application.round_id, computation.amount)
        _fire(
            application,
            application.grant,
            by=by,
            role=Role.APPROVER,
            action="grant",
            reason=reason,
            data={"amount": computation.amount},
            amount=computation.amount,
            decided_on=today,
        )
        kind, amount, detail = Decision.Kind.GRANT, computation.amount, computation.as_dict()
    else:
        _fire(
            application,
            application.reject,
            by=by,
            role=Role.APPROVER,
            action="reject",
            reason=reason,
            decided_on=today,
        )
        kind, amount, detail = Decision.Kind.NON_GRANT, None, {}
    decision = Decision.objects.create(
        application=application,
        kind=kind,
        amount=amount,
        computation=detail,
        terms=terms,
        reason=reason,
        conditions=conditions,
        legal_basis=application.round.legal_basis,
        prepared_by_id=application.screened_by_id,
        decided_by=by,
    )
    decision_letter_prepare(decision, by=by)
    notify_applicants(application, f"decision_{kind}", amount=amount, reason=reason)
    return decision


# --- results and amount confirmation -------------------------------------------------------


@dataclass(frozen=True)
class ActualCostInput:
    trainee_name: str
    course_name: str
    cost_type: str
    incurred_on: dt.date
    amount: int
    completed: bool = True
    evidence_document_id: int | None = None


@transaction.atomic
def results_report(
    *, application_id: int, by: Any, costs: Iterable[ActualCostInput]
) -> Application:
    """The results report (実績報告): actual costs with dates and completion evidence."""
    application = _locked(application_id)
    costs = list(costs)
    if not costs:
        raise ValidationFailed(_("Report at least one actual cost."), field="costs")
    missing = missing_document_types(application, DocumentType.Stage.RESULTS)
    if missing:
        raise MissingDocuments(
            _("Attach the completion evidence before reporting: %(names)s.")
            % {"names": "、".join(doc_type.name for doc_type in missing)},
            field="documents",
        )
    cost_types = {ct.code: ct for ct in CostType.objects.all()}
    document_ids = set(application.documents.values_list("pk", flat=True))
    rows = []
    for index, cost in enumerate(costs):
        if cost.cost_type not in cost_types:
            raise ValidationFailed(
                _("Unknown cost type “%(code)s”.") % {"code": cost.cost_type},
                field=f"costs.{index}.cost_type",
            )
        if cost.amount <= 0:
            raise ValidationFailed(
                _("Enter each cost in whole yen, excluding consumption tax."),
                field=f"costs.{index}.amount",
            )
        if cost.evidence_document_id is not None and cost.evidence_document_id not in document_ids:
            raise ValidationFailed(
                _("The evidence must be a document of this application."),
                field=f"costs.{index}.evidence_document_id",
            )
        rows.append(
            ActualCost(
                application=application,
                trainee_name=cost.trainee_name,
                course_name=cost.course_name,
                cost_type=cost_types[cost.cost_type],
                incurred_on=cost.incurred_on,
                amount=cost.amount,
                completed=cost.completed,
                evidence_id=cost.evidence_document_id,
            )
        )
    application.actual_costs.all().delete()
    ActualCost.objects.bulk_create(rows)
    computation = actual_subsidy(application)
    _fire(
        application,
        application.report_results,
        by=by,
        role=Role.APPLICANT,
        action="report_results",
        data={
            "actual_eligible_cost": computation.eligible_cost,
            "excluded": len(computation.excluded),
        },
    )
    return application


@transaction.atomic
def results_check(*, application_id: int, by: Any, accept: bool, reason: str = "") -> Application:
    """Staff accept the results report, or return it to the applicant with a reason."""
    application = _locked(application_id)
    if accept:
        _fire(
            application,
            application.accept_results,
            by=by,
            role=Role.STAFF,
            action="accept_results",
            reason=reason,
            by_user=by,
        )
    else:
        if not reason.strip():
            raise ValidationFailed(
                _("Say what the applicant must fix in the report."), field="reason"
            )
        _fire(
            application,
            application.return_results,
            by=by,
            role=Role.STAFF,
            action="return_results",
            reason=reason,
        )
        notify_applicants(application, "results_returned", reason=reason)
    return application


@transaction.atomic
def amount_confirm(*, application_id: int, by: Any, expected_amount: int) -> Decision:
    """額の確定 by the terms of the grant: final = min(granted amount, the subsidy of the eligible
    actual costs). ``expected_amount`` is the amount the approver was shown; if it is no longer
    the amount, nothing is confirmed. The 不用額 returns to the round's available budget."""
    application = _locked(application_id)
    if application.status != Status.RESULTS_CHECKED:
        raise InvalidState(_("The results report must be checked before the amount is confirmed."))
    _ensure_not_preparer(application, by, application.results_checked_by_id)
    computation = actual_subsidy(application)
    decided = application.decided_amount or 0
    amount = amount_to_confirm(application, computation)
    if expected_amount != amount:
        raise AmountChanged(
            _(
                "The amount to confirm is now ¥%(amount)s, not the ¥%(expected)s you were shown. "
                "Check the figures again before confirming."
            )
            % {"amount": f"{amount:,}", "expected": f"{expected_amount:,}"},
            field="expected_amount",
        )
    _fire(
        application,
        application.confirm_amount,
        by=by,
        role=Role.APPROVER,
        action="confirm_amount",
        data={"amount": amount, "decided_amount": decided, "unspent": decided - amount},
        amount=amount,
    )
    budget_release(round_id=application.round_id, amount=decided - amount)
    decision = Decision.objects.create(
        application=application,
        kind=Decision.Kind.AMOUNT_CONFIRMATION,
        amount=amount,
        computation={**computation.as_dict(), "decided_amount": decided},
        terms=grant_terms(application).as_terms(),
        legal_basis=application.round.legal_basis,
        prepared_by_id=application.results_checked_by_id,
        decided_by=by,
    )
    decision_letter_prepare(decision, by=by)
    notify_applicants(application, "amount_confirmed", amount=amount)
    return decision


def application_mark_paid(application: Application, *, by: Any, data: dict) -> None:
    """Fire the paid transition on a locked application when the bank reports its transfer paid
    (the payments app records the money). ``by`` imported the bank's result; the act is the
    bank's report, not a release, which the batch's releasers made."""
    _fire(
        application,
        application.mark_paid,
        by=by,
        role=Role.FINANCE,
        action="transfer_paid",
        data=data,
    )
