"""What each subsidy letter says: the context handed to the letters service."""

from __future__ import annotations

from typing import Any

from accounts.selectors import language_of_user
from letters.models import Letter
from letters.services import letter_prepare, letter_preview

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


LETTER_OF_DECISION = {
    Decision.Kind.GRANT: Letter.Kind.GRANT_DECISION,
    Decision.Kind.NON_GRANT: Letter.Kind.NON_GRANT,
    Decision.Kind.AMOUNT_CONFIRMATION: Letter.Kind.AMOUNT_CONFIRMATION,
}


def _decision_context(
    application: Application,
    kind: str,
    *,
    decision_id: int | None,
    amount: int | None,
    decided_amount: int | None,
    computation: dict[str, Any],
    conditions: str,
    reason: str,
) -> dict[str, Any]:
    if kind == Decision.Kind.NON_GRANT:
        return {"reason": reason}
    return {
        **_rules(application),
        "decision_id": decision_id,
        "amount": amount,
        "decided_amount": decided_amount,
        "computation": computation_named(computation),
        "conditions": conditions,
        "results_report_deadline": application.round.results_report_deadline.isoformat(),
    }


def decision_letter_prepare(decision: Decision, *, by: Any) -> Letter:
    """交付決定通知書, 不交付決定通知書 or 額の確定通知書 for a decision."""
    application = decision.application
    context = _decision_context(
        application,
        decision.kind,
        decision_id=decision.pk,
        amount=decision.amount,
        decided_amount=application.decided_amount,
        computation=decision.computation,
        conditions=decision.conditions,
        reason=decision.reason,
    )
    return _prepare(application, LETTER_OF_DECISION[decision.kind], context, by)


def decision_letter_preview(
    application: Application,
    kind: str,
    *,
    amount: int | None,
    decided_amount: int | None,
    computation: dict[str, Any],
    conditions: str = "",
    reason: str = "",
) -> bytes:
    """The letter a decision of ``kind`` would issue now, as a specimen PDF (nothing stored)."""
    context = _decision_context(
        application,
        kind,
        decision_id=None,
        amount=amount,
        decided_amount=decided_amount,
        computation=computation,
        conditions=conditions,
        reason=reason,
    )
    return letter_preview(
        kind=LETTER_OF_DECISION[kind],
        language=language_of_user(application.created_by),
        context={**_base(application), **context},
    )


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
