"""What each subsidy letter says: the context handed to the letters service."""

from __future__ import annotations

from typing import Any

from accounts.selectors import language_of_user
from letters.models import Letter
from letters.services import letter_prepare

from .models import Application, CorrectionRequest, CostType, Decision

PROGRAMME = "subsidy"


def _base(application: Application) -> dict[str, Any]:
    company = application.company
    return {
        "recipient": {
            "company": company.name,
            "representative": company.representative,
            "address": company.address,
            "corporate_number": company.corporate_number or "",
        },
        "reference": application.reference,
        "programme": application.round.name,
        "legal_basis": application.round.legal_basis,
    }


def _prepare(application: Application, kind: str, context: dict[str, Any], by: Any) -> Letter:
    return letter_prepare(
        kind=kind,
        programme=PROGRAMME,
        subject=application,
        company=application.company,
        language=language_of_user(application.created_by),
        context={**_base(application), **context},
        by=by,
    )


def _rules(application: Application) -> dict[str, Any]:
    round_ = application.round
    return {
        "rate": f"{round_.rate_numerator}/{round_.rate_denominator}",
        "cap_per_trainee": round_.cap_per_trainee,
        "cap_per_company": round_.cap_per_company,
        "rounding_unit": round_.rounding_unit,
    }


def computation_named(computation: dict[str, Any]) -> dict[str, Any]:
    """The computation with each excluded cost's type named in Japanese and English: a letter
    prints names, never codes (exam_fee is 受験料 / Examination fee)."""
    if not computation:
        return computation
    excluded = computation.get("excluded") or []
    codes = {line["cost_type"] for line in excluded}
    names = {
        cost_type.code: {"ja": cost_type.name_ja, "en": cost_type.name_en}
        for cost_type in CostType.objects.filter(code__in=codes)
    }
    return {
        **computation,
        "excluded": [{**line, "cost_type_name": names[line["cost_type"]]} for line in excluded],
    }


def decision_letter_prepare(decision: Decision, *, by: Any) -> Letter:
    """交付決定通知書, 不交付決定通知書 or 額の確定通知書 for a decision."""
    application = decision.application
    if decision.kind == Decision.Kind.NON_GRANT:
        return _prepare(application, Letter.Kind.NON_GRANT, {"reason": decision.reason}, by)
    context = {
        **_rules(application),
        "decision_id": decision.pk,
        "amount": decision.amount,
        "decided_amount": application.decided_amount,
        "computation": computation_named(decision.computation),
        "conditions": decision.conditions,
        "results_report_deadline": application.round.results_report_deadline.isoformat(),
    }
    kind = (
        Letter.Kind.GRANT_DECISION
        if decision.kind == Decision.Kind.GRANT
        else Letter.Kind.AMOUNT_CONFIRMATION
    )
    return _prepare(application, kind, context, by)


def correction_letter_prepare(correction: CorrectionRequest, *, by: Any) -> Letter:
    context = {
        "items": correction.items,
        "message": correction.message,
        "deadline": correction.deadline.isoformat(),
    }
    return _prepare(correction.application, Letter.Kind.CORRECTION, context, by)


def payment_letter_prepare(
    application: Application, *, amount: int, paid_on: str, by: Any
) -> Letter:
    context = {"amount": amount, "paid_on": paid_on}
    return _prepare(application, Letter.Kind.PAYMENT_NOTICE, context, by)
