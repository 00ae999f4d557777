"""Reads for the finance pages and the applicant's payment pages, and the paid facts.

"Paid" means one thing: a ``Payment`` row, the ledger of money out. What an application was
paid and the day the company received it, and what a round paid, are read here and only here;
revocations (the repayment and its 加算金) and the KPIs read them from these functions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.selectors import company_id_of_user
from applications.models import Application
from core.dates import JST

from .models import BatchItem, Payable, PayeeAccount, Payment, PaymentBatch

Paid = BatchItem.Result.PAID


def payables_awaiting_batch() -> QuerySet[Payable]:
    """Claims waiting for a batch, oldest first, with what the list shows; a claim whose grant
    was revoked meanwhile is not one."""
    return (
        Payable.objects.filter(
            status=Payable.Status.PAYABLE, application__status=Application.Status.CONFIRMED
        )
        .select_related("application__round", "company")
        .order_by("claimed_at", "pk")
    )


def batch_list() -> QuerySet[PaymentBatch]:
    """Batches, newest transfer date first, with paid and failed totals from their items."""
    return PaymentBatch.objects.select_related(
        "prepared_by", "released_by", "second_releaser"
    ).annotate(
        paid_total=Coalesce(Sum("items__amount", filter=Q(items__result=Paid)), 0),
        paid_count=Count("items", filter=Q(items__result=Paid)),
        failed_count=Count("items", filter=Q(items__result=BatchItem.Result.FAILED)),
        pending_count=Count("items", filter=Q(items__result=BatchItem.Result.PENDING)),
    )


def batch_get(batch_id: int) -> PaymentBatch:
    return batch_list().get(pk=batch_id)


def batch_items(batch: PaymentBatch) -> QuerySet[BatchItem]:
    return batch.items.select_related("payable__application__round", "payable__company").order_by(
        "pk"
    )


def payee_accounts_for_user(user: Any) -> QuerySet[PayeeAccount]:
    company_id = company_id_of_user(user)
    if company_id is None:
        return PayeeAccount.objects.none()
    return PayeeAccount.objects.filter(company_id=company_id)


def payable_for_application(application_id: int) -> Payable | None:
    return (
        Payable.objects.filter(application_id=application_id)
        .select_related("account")
        .prefetch_related("items__batch")
        .first()
    )


def paid_total() -> int:
    """Every yen recorded as paid (by bank transfer or released directly)."""
    return Payment.objects.aggregate(total=Coalesce(Sum("amount"), 0))["total"]


def confirmed_total() -> int:
    """Every yen confirmed (額の確定), whatever happened to the application since."""
    return Application.objects.filter(confirmed_amount__isnull=False).aggregate(
        total=Coalesce(Sum("confirmed_amount"), 0)
    )["total"]


@dataclass(frozen=True)
class PaymentReceived:
    amount: int
    on: dt.date


def _received_on(payment: Payment) -> dt.date:
    """A bank transfer arrives on its batch's transfer date; a direct release on its day (JST)."""
    if payment.item_id is not None:
        return payment.item.batch.transfer_date
    return timezone.localtime(payment.released_at, JST).date()


def payment_received(application_id: int) -> PaymentReceived | None:
    """What the company was paid for the application and the day it received it, or None."""
    payment = (
        Payment.objects.select_related("item__batch").filter(application_id=application_id).first()
    )
    if payment is None:
        return None
    return PaymentReceived(amount=payment.amount, on=_received_on(payment))


@dataclass(frozen=True)
class RoundPaid:
    count: int
    amount: int


def paid_by_round() -> dict[int, RoundPaid]:
    """Per subsidy round id: how many applications were paid and how many yen, from the ledger
    (a payment stays paid whatever happened to its application since, a revocation included)."""
    rows = (
        Payment.objects.order_by()
        .values("application__round_id")
        .annotate(count=Count("pk"), amount=Sum("amount"))
        .values_list("application__round_id", "count", "amount")
    )
    return {round_id: RoundPaid(count, amount) for round_id, count, amount in rows}


def paid_of_round(round_id: int) -> RoundPaid:
    """What one round paid, as ``paid_by_round`` counts it."""
    row = Payment.objects.filter(application__round_id=round_id).aggregate(
        count=Count("pk"), amount=Coalesce(Sum("amount"), 0)
    )
    return RoundPaid(row["count"], row["amount"])
