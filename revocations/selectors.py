"""Reads for revocations: the decision revoked, its notice, what is still due. What the company
was paid comes from the payment ledger (``payments.selectors.payment_received``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import Case, IntegerField, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce

from applications.models import Decision
from audit.services import subject_ref
from letters.models import Letter

from .interest import Due, Receipt, repayment_position
from .models import Revocation


def decision_letter(decision: Decision) -> Letter | None:
    """The first version of the notice that told the company about ``decision``."""
    subject_type, subject_id = subject_ref(decision.application)
    return (
        Letter.objects.filter(
            kind=Letter.Kind.GRANT_DECISION,
            subject_type=subject_type,
            subject_id=subject_id,
            previous__isnull=True,
            context__decision_id=decision.pk,
        )
        .order_by("number")
        .first()
    )


def repayment_position_of(revocation: Revocation, on: dt.date) -> Due:
    """The repayment order's principal and 加算金 outstanding on ``on``."""
    if not revocation.repayment_amount or revocation.interest_from is None:
        return Due(principal_outstanding=0, interest_accrued=0, interest_paid=0, overpaid=0)
    receipts = [
        Receipt(on=receipt.received_on, amount=receipt.amount)
        for receipt in revocation.receipts.all()
    ]
    return repayment_position(
        principal=revocation.repayment_amount,
        received_on=revocation.interest_from,
        receipts=receipts,
        on=on,
        percent=_or_setting(revocation.interest_percent, "KOFU_REPAYMENT_INTEREST_PERCENT"),
        days_in_year=_or_setting(revocation.interest_days_in_year, "KOFU_REPAYMENT_DAYS_IN_YEAR"),
    )


def _or_setting(value: Any, name: str) -> Any:
    """A decided order keeps the terms of its day; a prepared one shows today's settings."""
    return getattr(settings, name) if value is None else value


def repayment_due(revocation: Revocation, on: dt.date) -> dict[str, int]:
    """What the company must still pay on ``on``: principal, 加算金 and their total, in yen."""
    due = repayment_position_of(revocation, on)
    return {
        "principal_outstanding": due.principal_outstanding,
        "interest": due.interest,
        "total": due.total,
    }


def revocations_outstanding() -> QuerySet[Revocation]:
    """Repayment orders not yet settled, oldest deadline first, with what was repaid so far."""
    return (
        Revocation.objects.filter(status=Revocation.Status.ORDERED)
        .select_related("application__company", "application__round", "letter")
        .annotate(repaid=Coalesce(Sum("receipts__amount"), Value(0)))
        .order_by("repayment_deadline", "id")
    )


def repayment_orders() -> QuerySet[Revocation]:
    """Decided revocations that ordered a repayment: open ones first, by deadline."""
    return (
        Revocation.objects.filter(status__in=[Revocation.Status.ORDERED, Revocation.Status.SETTLED])
        .filter(repayment_amount__gt=0)
        .select_related("application__company", "application__round")
        .prefetch_related("receipts")
        .annotate(
            open_first=Case(
                When(status=Revocation.Status.ORDERED, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("open_first", "repayment_deadline", "id")
    )


def revocations_awaiting_decision() -> QuerySet[Revocation]:
    """Prepared revocations an approver has still to decide, oldest first."""
    return (
        Revocation.objects.filter(status=Revocation.Status.PREPARED)
        .select_related("application__company", "prepared_by")
        .order_by("prepared_at", "id")
    )
