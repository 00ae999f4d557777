"""What each award letter says: the context handed to the letters service."""

from __future__ import annotations

import datetime as dt
from typing import Any

from accounts.models import Company
from accounts.selectors import language_of_user
from core.dates import JST, today_jst, wareki
from letters.models import Letter
from letters.services import letter_prepare

from .models import Nomination, NominationCorrection

PROGRAMME = "award"


def fiscal_year_wareki(fiscal_year: int) -> str:
    """2026 → "令和8年度". A fiscal year takes the era in force at the end of its calendar year,
    as the government named them: FY2019 is 令和元年度, FY1988 昭和63年度."""
    return wareki(dt.date(fiscal_year, 12, 31)).split("年")[0] + "年度"


def _recipient(company: Company) -> dict[str, str]:
    return {
        "company": company.name,
        "representative": company.representative,
        "address": company.address,
        "corporate_number": company.corporate_number or "",
    }


def _base(nomination: Nomination, recipient: Company) -> dict[str, Any]:
    round_ = nomination.round
    context = {
        "recipient": _recipient(recipient),
        "reference": nomination.reference,
        "programme": round_.name,
        "award_name": round_.award_name,
        "fiscal_year": round_.fiscal_year,
        "fiscal_year_label": fiscal_year_wareki(round_.fiscal_year),
        "legal_basis": round_.legal_basis,
        "nominee": nomination.company.name,
        "nominator": "" if nomination.is_self_nomination else nomination.nominator_organisation,
    }
    if nomination.received_at is not None:
        context["applied_on"] = nomination.received_at.astimezone(JST).date().isoformat()
    return context


def nominee_contact(nomination: Nomination) -> Any:
    """The nominee's member who consented (for a self-nomination: who submitted it)."""
    return nomination.consent_given_by or nomination.nominated_by


def _prepare(
    nomination: Nomination,
    kind: str,
    *,
    recipient: Company,
    reader: Any,
    context: dict[str, Any],
    by: Any,
) -> Letter:
    return letter_prepare(
        kind=kind,
        programme=PROGRAMME,
        subject=nomination,
        company=recipient,
        language=language_of_user(reader),
        context={**_base(nomination, recipient), **context},
        by=by,
    )


def correction_letter_prepare(correction: NominationCorrection, *, by: Any) -> Letter:
    """差戻し to whoever must correct the nomination: the nominating organisation."""
    nomination = correction.nomination
    context = {
        "items": correction.items,
        "message": correction.message,
        "deadline": correction.deadline.isoformat(),
    }
    return _prepare(
        nomination,
        Letter.Kind.CORRECTION,
        recipient=nomination.nominating_company,
        reader=nomination.nominated_by,
        context=context,
        by=by,
    )


def outcome_letter_prepare(nomination: Nomination, *, selected: bool, by: Any) -> Letter:
    """選定通知書 or 非選定通知書 to the nominee."""
    ceremony = nomination.round.ceremony_date
    context = {
        "decided_on": (nomination.concluded_on or today_jst()).isoformat(),
        "ceremony_date": ceremony.isoformat() if ceremony else "",
    }
    kind = Letter.Kind.AWARD_SELECTED if selected else Letter.Kind.AWARD_NOT_SELECTED
    return _prepare(
        nomination,
        kind,
        recipient=nomination.company,
        reader=nominee_contact(nomination),
        context=context,
        by=by,
    )


def certificate_prepare(nomination: Nomination, *, by: Any) -> Letter:
    """表彰状 for the commended company, dated the day of the commendation."""
    return _prepare(
        nomination,
        Letter.Kind.AWARD_CERTIFICATE,
        recipient=nomination.company,
        reader=nominee_contact(nomination),
        context={"commended_on": nomination.commended_on.isoformat()},
        by=by,
    )
