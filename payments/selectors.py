"""Reads for the finance pages and the applicant's payment pages, and the paid facts.

"Paid" means one thing: a ``Payment`` row, the ledger of money out. What an application was
paid and the day the company received it, and what a round paid, are read here and only here;
revocations (the repayment and its 加算金) and the KPIs read them from these functions.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.selectors import company_id_of_user
from applications.models import Application
from audit.models import AuditEvent
from audit.selectors import events_about
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


def payee_accounts_for_user(user: Any, *, retired: bool = False) -> QuerySet[PayeeAccount]:
    """The accounts of the user's company that a claim can name; with ``retired``, the
    retired ones too."""
    company_id = company_id_of_user(user)
    if company_id is None:
        return PayeeAccount.objects.none()
    accounts = PayeeAccount.objects.filter(company_id=company_id)
    return accounts if retired else accounts.filter(retired_at__isnull=True)


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


def _label(model: type) -> str:
    return model._meta.label_lower


def application_trail_subjects(application_id: int) -> dict[str, set[str]]:
    """The records whose events make an application's trail: the application, its payment
    claim, the payee account it names and every batch that carried (or was to carry) it."""
    subjects: dict[str, set[str]] = defaultdict(set)
    subjects[_label(Application)].add(str(application_id))
    for payable_id, account_id in Payable.objects.filter(application_id=application_id).values_list(
        "pk", "account_id"
    ):
        subjects[_label(Payable)].add(str(payable_id))
        subjects[_label(PayeeAccount)].add(str(account_id))
        batch_ids = BatchItem.objects.filter(payable_id=payable_id).values_list(
            "batch_id", flat=True
        )
        subjects[_label(PaymentBatch)].update(str(pk) for pk in batch_ids)
    return subjects


def application_trail(
    application_id: int, *, also: Mapping[str, Iterable[object]] | None = None
) -> list[AuditEvent]:
    """An application's audit trail, in time order, as the API and the auditor's trace both
    show it: its own events with those of its payment claim (claimed by the company), its
    account, and its batches (prepared by one finance user, released by another and, above the
    threshold, a third; the bank's results imported by whoever imported them), each under the
    act it records. ``also`` adds other records' events ({subject type: ids})."""
    subjects = application_trail_subjects(application_id)
    for subject_type, ids in (also or {}).items():
        subjects[subject_type] = subjects.get(subject_type, set()) | {str(pk) for pk in ids}
    return list(events_about(subjects))


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
