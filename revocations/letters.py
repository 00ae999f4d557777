"""The revocation notice (交付決定取消通知書, 兼返還命令書 when money must be repaid)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from accounts.selectors import language_of_user
from applications.letters import PROGRAMME
from letters.models import Letter
from letters.services import letter_prepare

from .models import Revocation


def percent_text(percent: Decimal) -> str:
    """10.95 → "10.95", 11.00 → "11": as a rate is written in a notice."""
    text = f"{percent:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def revocation_letter_context(
    revocation: Revocation, *, decision_number: str, decision_date: str
) -> dict[str, Any]:
    application = revocation.application
    company = application.company
    context: dict[str, Any] = {
        "recipient": {
            "company": company.name,
            "representative": company.representative,
            "address": company.address,
            "corporate_number": company.corporate_number or "",
        },
        "reference": application.reference,
        "programme": application.round.name,
        "legal_basis": revocation.legal_basis,
        "revocation_id": revocation.pk,
        "revoked_decision_id": revocation.original_id,
        "decision_number": decision_number,
        "decision_date": decision_date,
        "reason": revocation.reason,
        "revoked_amount": revocation.revoked_amount,
    }
    if revocation.repayment_amount:
        context.update(
            repayment_amount=revocation.repayment_amount,
            repayment_deadline=revocation.repayment_deadline.isoformat(),
            interest_rate=percent_text(revocation.interest_percent),
            interest_from=revocation.interest_from.isoformat(),
        )
    return context


def revocation_letter_prepare(
    revocation: Revocation, *, decision_number: str, decision_date: str, by: Any
) -> Letter:
    """Number the notice in the decision's transaction; it is rendered after commit."""
    application = revocation.application
    return letter_prepare(
        kind=Letter.Kind.REVOCATION,
        programme=PROGRAMME,
        subject=application,
        company=application.company,
        language=language_of_user(application.created_by),
        context=revocation_letter_context(
            revocation, decision_number=decision_number, decision_date=decision_date
        ),
        by=by,
    )
