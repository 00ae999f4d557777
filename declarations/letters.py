"""What each declaration letter says: the context handed to the letters service."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from accounts.selectors import language_of_user
from core.dates import JST
from letters.models import Letter
from letters.services import letter_prepare

from .models import Declaration, DeclarationCorrection

PROGRAMME = "declaration"
PROGRAMME_NAME = "リスキリング推進宣言制度"
PROGRAMME_NAME_EN = "Reskilling Promotion Declaration Scheme"
GOALS_SUMMARY_LENGTH = 300


def legal_basis() -> str:
    return settings.KOFU_DECLARATION_LEGAL_BASIS


def legal_basis_en() -> str:
    return getattr(
        settings,
        "KOFU_DECLARATION_LEGAL_BASIS_EN",
        "Implementation Guidelines of the Reskilling Promotion Declaration Scheme",
    )


def summary(text: str, limit: int = GOALS_SUMMARY_LENGTH) -> str:
    """The text shortened to ``limit`` characters, so the certificate stays on one page."""
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _base(declaration: Declaration) -> dict[str, Any]:
    company = declaration.company
    return {
        "recipient": {
            "company": company.name,
            "representative": company.representative,
            "address": company.address,
            "corporate_number": company.corporate_number or "",
        },
        "reference": declaration.reference,
        "programme": PROGRAMME_NAME,
        "programme_en": PROGRAMME_NAME_EN,
        "legal_basis": legal_basis(),
        "legal_basis_en": legal_basis_en(),
    }


def _prepare(declaration: Declaration, kind: str, context: dict[str, Any], by: Any) -> Letter:
    return letter_prepare(
        kind=kind,
        programme=PROGRAMME,
        subject=declaration,
        company=declaration.company,
        language=language_of_user(declaration.created_by),
        context={**_base(declaration), **context},
        by=by,
    )


def registration_certificate_context(declaration: Declaration) -> dict[str, Any]:
    """What the certificate (登録証) prints beyond the common letter context."""
    return {
        "registration_number": declaration.registration_number,
        "registered_on": declaration.registered_at.astimezone(JST).date().isoformat(),
        "period_start": declaration.period_start.isoformat(),
        "period_end": declaration.period_end.isoformat(),
        "responsible_name": declaration.responsible_name,
        "responsible_title": declaration.responsible_title,
        "goals_summary": summary(declaration.goals),
    }


def registration_certificate_prepare(declaration: Declaration, *, by: Any) -> Letter:
    """登録証: the declaration is registered under its number for its period."""
    return _prepare(
        declaration,
        Letter.Kind.REGISTRATION_CERTIFICATE,
        registration_certificate_context(declaration),
        by,
    )


def correction_letter_prepare(correction: DeclarationCorrection, *, by: Any) -> Letter:
    context = {
        "items": correction.items,
        "message": correction.message,
        "deadline": correction.deadline.isoformat(),
    }
    declaration = correction.declaration
    if declaration.received_at is not None:
        context["applied_on"] = declaration.received_at.astimezone(JST).date().isoformat()
    return _prepare(declaration, Letter.Kind.CORRECTION, context, by)
