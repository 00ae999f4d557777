"""Reads for the finance pages and the applicant's payment pages."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from accounts.selectors import company_id_of_user
from applications.models import Application

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


BATCH_REFERENCE = re.compile(r"^PAY-(?P<date>\d{8})-(?P<id>\d+)$", re.IGNORECASE)


def batch_find(text: str) -> PaymentBatch | None:
    """The batch a person names: by the reference the finance pages show
    (PAY-<transfer date>-<number>, whose date must be the batch's) or by its id."""
    text = text.strip()
    match = BATCH_REFERENCE.match(text)
    if match:
        try:
            transfer_date = dt.datetime.strptime(match["date"], "%Y%m%d").date()
        except ValueError:
            return None
        return PaymentBatch.objects.filter(pk=int(match["id"]), transfer_date=transfer_date).first()
    if text.isascii() and text.isdigit():
        return PaymentBatch.objects.filter(pk=int(text)).first()
    return None
