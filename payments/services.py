"""Use cases of paying subsidies: payee accounts, claims, four-eyes batches, the bank file and the
reconciliation of the bank's results. Each is one transaction that locks what it changes, checks
who may act, fires its transitions (each writes its audit event) and writes its notifications."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.selectors import company_applicants, company_id_of_user, users_with_role
from applications.exceptions import InvalidState
from applications.letters import payment_letter_prepare
from applications.models import Application
from applications.services import application_mark_paid, lock_application
from audit.services import event_record
from audit.transitions import transition_firer
from core.dates import JST, is_business_day, today_jst
from core.policy import refuse_unless
from core.roles import Role, has_role
from notifications.services import notify
from web.templatetags.kofu import when

from . import policy
from .bank_results import BankResult, bank_results_parse
from .exceptions import BatchNotFound, NotAllowed, ValidationFailed
from .labels import action_label
from .models import (
    ACCOUNT_FIELD_NAMES,
    AccountType,
    BatchItem,
    Payable,
    PayeeAccount,
    Payment,
    PaymentBatch,
)
from .signals import application_paid
from .zengin import Originator, Transfer, bank_names, transfer_file, zengin_kana

BatchStatus = PaymentBatch.Status


# --- helpers -------------------------------------------------------------------------------


_fire = transition_firer(action_label)


def _ensure_finance(by: Any, what: str) -> None:
    refuse_unless(policy.finance_allowed(by, what))


def _locked_batch(batch_id: int) -> PaymentBatch:
    batch = PaymentBatch.objects.select_for_update().filter(pk=batch_id).first()
    if batch is None:
        raise BatchNotFound(_("There is no payment batch %(id)s.") % {"id": batch_id})
    return batch


def _originator() -> Originator:
    return Originator(**settings.KOFU_ORIGINATOR)


def _transfers(items: Iterable[BatchItem]) -> list[Transfer]:
    return [
        Transfer(
            bank_code=item.bank_code,
            branch_code=item.branch_code,
            account_type=item.account_type,
            account_number=item.account_number,
            payee_name=item.holder_name,
            amount=item.amount,
            customer_code=item.customer_code,
        )
        for item in items
    ]


def _digits(value: Any, width: int, *, field: str, label: Any) -> str:
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()) or not 1 <= len(text) <= width:
        raise ValidationFailed(
            _("%(label)s must be up to %(width)s half-width digits.")
            % {"label": label, "width": width},
            field=field,
        )
    return text


# --- payee accounts and claims -------------------------------------------------------------


@transaction.atomic
def payee_account_register(
    *,
    by: Any,
    bank_code: str,
    branch_code: str,
    account_type: int,
    account_number: str,
    holder_name: str,
) -> PayeeAccount:
    """Register an account of the user's company; refuse codes not in the Zengin data and names
    the transfer file cannot carry, naming what is wrong."""
    company_id = company_id_of_user(by)
    if not has_role(by, Role.APPLICANT) or company_id is None:
        raise NotAllowed(_("Only a user registered for a company can register its account."))
    bank_code = _digits(bank_code, 4, field="bank_code", label=_("The bank code")).zfill(4)
    branch_code = _digits(branch_code, 3, field="branch_code", label=_("The branch code")).zfill(3)
    account_number = _digits(
        account_number, 7, field="account_number", label=_("The account number")
    ).zfill(7)
    if account_type not in AccountType.values:
        raise ValidationFailed(
            _("Choose the account type: ordinary, current, savings or other."),
            field="account_type",
        )
    holder_name = holder_name.strip()
    zengin_kana(holder_name, what=holder_name or str(_("Account holder")), field="holder_name")
    bank_name, branch_name = bank_names(bank_code, branch_code)
    same = {
        "company_id": company_id,
        "bank_code": bank_code,
        "branch_code": branch_code,
        "account_type": account_type,
        "account_number": account_number,
    }
    if PayeeAccount.objects.filter(**same, retired_at__isnull=True).exists():
        raise _duplicate_account(bank_code, branch_code, account_number)
    try:
        with transaction.atomic():  # a concurrent registration of the same account loses here
            account = PayeeAccount.objects.create(
                **same,
                holder_name=holder_name,
                bank_name=bank_name,
                branch_name=branch_name,
                created_by=by,
            )
    except IntegrityError as error:
        raise _duplicate_account(bank_code, branch_code, account_number) from error
    event_record(
        account,
        "payee_account_register",
        by=by,
        role=Role.APPLICANT,
        data={"company_id": company_id, **account.account_snapshot()},
    )
    return account


def _duplicate_account(bank_code: str, branch_code: str, account_number: str) -> ValidationFailed:
    return ValidationFailed(
        _(
            "Your company has already registered account %(number)s at bank %(bank)s, branch "
            "%(branch)s: choose it from the list instead of registering it again."
        )
        % {"number": account_number, "bank": bank_code, "branch": branch_code},
        field="account_number",
        code="duplicate_account",
    )


@transaction.atomic
def payee_account_retire(*, account_id: int, by: Any, reason: str = "") -> PayeeAccount:
    """Retire an account of the user's company: no new claim can name it; the claims and
    batches that copied it keep their copy. The same account can then be registered again."""
    company_id = company_id_of_user(by)
    if not has_role(by, Role.APPLICANT) or company_id is None:
        raise NotAllowed(_("Only a user registered for a company can retire its account."))
    account = (
        PayeeAccount.objects.select_for_update()
        .filter(pk=account_id, company_id=company_id)
        .first()
    )
    if account is None:
        raise ValidationFailed(
            _("Choose one of your company's registered accounts."), field="account_id"
        )
    if account.is_retired:
        raise InvalidState(
            _("This account was already retired on %(date)s.")
            % {"date": when(account.retired_at.astimezone(JST).date())},
            code="account_retired",
        )
    account.retired_at = timezone.now()
    account.retired_by = by
    account.save(update_fields=["retired_at", "retired_by"])
    event_record(
        account,
        "payee_account_retire",
        by=by,
        role=Role.APPLICANT,
        reason=reason,
        data={"company_id": company_id, **account.account_snapshot()},
    )
    return account


@transaction.atomic
def payment_claim(*, application_id: int, by: Any, account_id: int) -> Payable:
    """The payment claim (精算払請求) for a confirmed application: its amount becomes payable into
    the chosen account. While not yet in a batch (or after a failed transfer) a new claim only
    changes the account."""
    application = lock_application(application_id)
    refuse_unless(policy.claim_allowed(by, application))
    amount = application.confirmed_amount or 0
    account = PayeeAccount.objects.filter(pk=account_id, company_id=application.company_id).first()
    if account is None:
        raise ValidationFailed(
            _("Choose one of your company's registered accounts."), field="account_id"
        )
    if account.is_retired:
        raise ValidationFailed(
            _("That account was retired: choose an active account or register a new one."),
            field="account_id",
            code="account_retired",
        )
    payable = Payable.objects.select_for_update().filter(application=application).first()
    if payable is not None:
        _fire(
            payable,
            payable.account_change,
            by=by,
            role=Role.APPLICANT,
            action="payable_account_change",
            data={"application_id": application.pk, "account_id": account.pk},
            account=account,
        )
        return payable
    payable = Payable.objects.create(
        application=application,
        company_id=application.company_id,
        account=account,
        amount=amount,
        claimed_by=by,
        **account.account_snapshot(),
    )
    event_record(
        payable,
        "payment_claim",
        by=by,
        role=Role.APPLICANT,
        to_status=payable.status,
        data={"application_id": application.pk, "amount": amount, "account_id": account.pk},
    )
    return payable


# --- batches -------------------------------------------------------------------------------


def _ensure_transfer_date(transfer_date: dt.date) -> None:
    if transfer_date < today_jst():
        raise ValidationFailed(
            _("The transfer date %(date)s is in the past.") % {"date": when(transfer_date)},
            field="transfer_date",
        )
    if not is_business_day(transfer_date):
        raise ValidationFailed(
            _(
                "The transfer date %(date)s is not a business day: choose a weekday that is not "
                "a public holiday or in the year-end closure."
            )
            % {"date": when(transfer_date)},
            field="transfer_date",
        )


def _references(payables: Iterable[Payable]) -> str:
    return "、".join(payable.application.reference for payable in payables)


def _payables_for_batch(payable_ids: list[int]) -> list[Payable]:
    payables = list(
        Payable.objects.select_for_update(of=("self",))
        .filter(pk__in=payable_ids)
        .select_related("application__round")
        .order_by("pk")
    )
    missing = sorted(set(payable_ids) - {payable.pk for payable in payables})
    if missing:
        raise ValidationFailed(
            _("No such payables: %(ids)s.") % {"ids": ", ".join(map(str, missing))},
            field="payable_ids",
        )
    not_payable = [p for p in payables if p.status != Payable.Status.PAYABLE]
    if not_payable:
        raise InvalidState(
            _("Already in a batch or paid: %(refs)s.") % {"refs": _references(not_payable)}
        )
    _ensure_still_payable(payables)
    return payables


def _ensure_still_payable(payables: list[Payable]) -> None:
    """The application must still be confirmed at its claimed amount and not paid another way."""
    application_ids = [payable.application_id for payable in payables]
    statuses = dict(Application.objects.filter(pk__in=application_ids).values_list("pk", "status"))
    paid_directly = set(
        Payment.objects.filter(application_id__in=application_ids).values_list(
            "application_id", flat=True
        )
    )
    stale = [
        payable
        for payable in payables
        if statuses[payable.application_id] != Application.Status.CONFIRMED
        or payable.application_id in paid_directly
        or payable.amount != payable.application.confirmed_amount
    ]
    if stale:
        raise InvalidState(
            _("No longer payable (not confirmed, paid or changed): %(refs)s.")
            % {"refs": _references(stale)}
        )


@transaction.atomic
def batch_prepare(*, by: Any, transfer_date: dt.date, payable_ids: Iterable[int]) -> PaymentBatch:
    """A finance user gathers payables into a batch for a business-day transfer date; the
    transfer file is built once as a check, so a payee the bank format refuses is named now."""
    _ensure_finance(by, _("prepare a payment batch"))
    _ensure_transfer_date(transfer_date)
    payable_ids = sorted(set(payable_ids))
    if not payable_ids:
        raise ValidationFailed(_("Choose at least one payable."), field="payable_ids")
    payables = _payables_for_batch(payable_ids)
    total = sum(payable.amount for payable in payables)
    batch = PaymentBatch.objects.create(
        transfer_date=transfer_date,
        total=total,
        item_count=len(payables),
        needs_second_releaser=total > settings.KOFU_SECOND_RELEASER_ABOVE,
        prepared_by=by,
    )
    items = []
    for payable in payables:
        _fire(
            payable,
            payable.batch,
            by=by,
            role=Role.FINANCE,
            action="payable_batch",
            data={"batch_id": batch.pk, "application_id": payable.application_id},
        )
        items.append(
            BatchItem.objects.create(
                batch=batch,
                payable=payable,
                amount=payable.amount,
                **{name: getattr(payable, name) for name in ACCOUNT_FIELD_NAMES},
            )
        )
    transfer_file(_originator(), transfer_date, _transfers(items))
    event_record(
        batch,
        "batch_prepare",
        by=by,
        role=Role.FINANCE,
        to_status=batch.status,
        data={
            "transfer_date": transfer_date.isoformat(),
            "total": total,
            "item_count": len(items),
            "payable_ids": payable_ids,
            "needs_second_releaser": batch.needs_second_releaser,
        },
    )
    return batch


def _ensure_may_release(batch: PaymentBatch, by: Any) -> None:
    refuse_unless(policy.release_allowed(by, batch))


@transaction.atomic
def batch_release(*, batch_id: int, by: Any) -> PaymentBatch:
    """Release a batch to the bank, by a finance user who did not prepare it; above the
    threshold the first call records the first releaser and a second one's call releases it.
    The final release writes its audit event and the notifications in this transaction and
    builds the bank file after commit."""
    from .tasks import batch_file_build_task

    batch = _locked_batch(batch_id)
    _ensure_may_release(batch, by)
    items = list(batch.items.select_related("payable__application__round").order_by("pk"))
    _ensure_still_payable([item.payable for item in items])
    data = {"total": batch.total, "item_count": batch.item_count}
    if batch.needs_second_releaser and batch.released_by_id is None:
        _fire(
            batch,
            batch.release_first,
            by=by,
            role=Role.FINANCE,
            action="batch_release_first",
            data=data,
            by_user=by,
        )
        _notify_finance(batch, "batch_second_release_needed", exclude={batch.prepared_by_id, by.pk})
        return batch
    _fire(
        batch,
        batch.release,
        by=by,
        role=Role.FINANCE,
        action="batch_release",
        data=data,
        by_user=by,
    )
    _notify_finance(batch, "batch_released")
    for item in items:
        _notify_company(item, "payment_scheduled", legally_required=False)
    transaction.on_commit(lambda: batch_file_build_task.delay(batch.pk))
    return batch


def _notify_finance(batch: PaymentBatch, kind: str, exclude: Iterable[int] = ()) -> None:
    excluded = set(exclude)
    notify(
        recipients=[user for user in users_with_role(Role.FINANCE) if user.pk not in excluded],
        kind=kind,
        context={
            "batch": batch.reference,
            "transfer_date": batch.transfer_date.isoformat(),
            "total": batch.total,
            "item_count": batch.item_count,
        },
        link=f"/finance/batches/{batch.pk}/",
    )


def _notify_company(item: BatchItem, kind: str, *, legally_required: bool, **context: Any) -> None:
    application = item.payable.application
    notify(
        recipients=company_applicants(item.payable.company_id),
        kind=kind,
        context={
            "reference": application.reference,
            "amount": item.amount,
            "transfer_date": item.batch.transfer_date.isoformat(),
            **context,
        },
        link=application.get_absolute_url(),
        legally_required=legally_required,
    )


@transaction.atomic
def batch_cancel(*, batch_id: int, by: Any, reason: str = "") -> PaymentBatch:
    """Cancel a batch before its release; its payables can join another batch."""
    _ensure_finance(by, _("cancel a payment batch"))
    batch = _locked_batch(batch_id)
    _fire(
        batch,
        batch.cancel,
        by=by,
        role=Role.FINANCE,
        action="batch_cancel",
        reason=reason,
        by_user=by,
    )
    items = list(batch.items.order_by("pk"))
    BatchItem.objects.filter(batch=batch).update(live=False)
    payables = (
        Payable.objects.select_for_update()
        .filter(pk__in=[item.payable_id for item in items])
        .order_by("pk")
    )
    for payable in payables:
        _fire(
            payable,
            payable.unbatch,
            by=by,
            role=Role.FINANCE,
            action="payable_unbatch",
            reason=reason,
            data={"batch_id": batch.pk, "application_id": payable.application_id},
        )
    return batch


# --- the bank file -------------------------------------------------------------------------


def batch_file_build(*, batch_id: int) -> PaymentBatch:
    """Build and store the Zengin file of a released batch, once: a second run (a redelivered
    task) finds the file and returns. The bytes depend only on the batch, so the same batch
    always gives the same file and the same SHA-256."""
    with transaction.atomic():
        batch = _locked_batch(batch_id)
        if batch.file_sha256:
            return batch
        if batch.status not in (BatchStatus.RELEASED, BatchStatus.RECONCILED):
            raise InvalidState(
                _("The bank file is built only for a released batch; %(ref)s is %(status)s.")
                % {"ref": batch.reference, "status": batch.get_status_display()}
            )
        data = transfer_file(
            _originator(), batch.transfer_date, _transfers(batch.items.order_by("pk"))
        )
        sha256 = hashlib.sha256(data).hexdigest()
        path = batch.file.field.generate_filename(batch, f"{sha256}.txt")
        if default_storage.exists(path):  # written by a run whose transaction did not commit
            batch.file.name = path
        else:
            batch.file.save(f"{sha256}.txt", ContentFile(data), save=False)
        batch.file_sha256 = sha256
        batch.file_generated_at = timezone.now()
        batch.save(update_fields=["file", "file_sha256", "file_generated_at"])
        event_record(
            batch,
            "batch_file_build",
            by=None,
            role=Role.SYSTEM,
            data={"sha256": sha256, "size": len(data), "name": batch.file.name},
        )
    return batch


# --- reconciliation ------------------------------------------------------------------------


def _items_for_results(batch: PaymentBatch, results: list[BankResult]) -> dict[str, BatchItem]:
    """The batch's items by the customer codes the bank reported; refuse codes of other
    batches and codes we never sent, naming each."""
    codes = {result.customer_code: int(result.customer_code) for result in results}
    items = {
        item.pk: item
        for item in BatchItem.objects.select_for_update(of=("self",))
        .filter(pk__in=codes.values())
        .select_related("payable__application", "batch")
    }
    unknown = [code for code, pk in codes.items() if pk not in items]
    foreign = [
        f"{code} ({items[pk].batch.reference})"
        for code, pk in codes.items()
        if pk in items and items[pk].batch_id != batch.pk
    ]
    if unknown or foreign:
        problems = []
        if unknown:
            problems.append(
                str(_("unknown customer codes: %(codes)s") % {"codes": ", ".join(unknown)})
            )
        if foreign:
            problems.append(
                str(_("items of another batch: %(codes)s") % {"codes": ", ".join(foreign)})
            )
        raise ValidationFailed(
            _("The bank result file does not match batch %(ref)s: %(problems)s.")
            % {"ref": batch.reference, "problems": "; ".join(problems)},
            field="data",
        )
    return {code: items[pk] for code, pk in codes.items()}


def _ensure_consistent(item: BatchItem, result: BankResult) -> bool:
    """True if the item still awaits its result; False if it already has this one."""
    if item.result == BatchItem.Result.PENDING:
        return True
    if (item.result == BatchItem.Result.PAID) == result.paid:
        return False
    raise InvalidState(
        _(
            "Customer code %(code)s was already recorded as %(was)s; the file says otherwise. "
            "Nothing was imported."
        )
        % {"code": item.customer_code, "was": item.get_result_display()}
    )


def _item_paid(batch: PaymentBatch, item: BatchItem, by: Any) -> int:
    # the application before the payable, in the order payment_claim locks them
    application = lock_application(item.payable.application_id)
    payable = Payable.objects.select_for_update().get(pk=item.payable_id)
    context = {"batch_id": batch.pk, "item_id": item.pk, "application_id": payable.application_id}
    _fire(payable, payable.pay, by=by, role=Role.FINANCE, action="payable_pay", data=context)
    BatchItem.objects.filter(pk=item.pk).update(
        result=BatchItem.Result.PAID, resulted_at=timezone.now()
    )
    Payment.objects.create(
        application=application, amount=item.amount, released_by=batch.released_by, item=item
    )
    if application.status == Application.Status.REVOKED:
        _paid_after_revocation(batch, item, application, by, context)
        return application.pk
    application_mark_paid(application, by=by, data={"amount": item.amount, **context})
    payment_letter_prepare(
        application, amount=item.amount, paid_on=batch.transfer_date.isoformat(), by=by
    )
    _notify_company(item, "payment_paid", legally_required=True)
    application_paid.send(sender=Payment, application_id=application.pk)
    return application.pk


def _paid_after_revocation(
    batch: PaymentBatch, item: BatchItem, application: Application, by: Any, context: dict
) -> None:
    """The grant was revoked while the transfer was at the bank: the money left all the same.
    The payment is recorded, the application stays revoked, and finance is told to recover it."""
    event_record(
        application,
        "paid_after_revocation",
        by=by,
        role=Role.FINANCE,
        data={"amount": item.amount, **context},
    )
    notify(
        recipients=users_with_role(Role.FINANCE),
        kind="payment_after_revocation",
        context={
            "reference": application.reference,
            "amount": item.amount,
            "batch": batch.reference,
            "transfer_date": batch.transfer_date.isoformat(),
        },
        link=application.get_absolute_url(),
    )


def _item_failed(batch: PaymentBatch, item: BatchItem, reason: str, by: Any) -> int:
    reason = reason or str(_("The bank reported the transfer as failed without a reason."))
    payable = Payable.objects.select_for_update().get(pk=item.payable_id)
    _fire(
        payable,
        payable.fail,
        by=by,
        role=Role.FINANCE,
        action="payable_fail",
        reason=reason,
        data={"batch_id": batch.pk, "item_id": item.pk, "application_id": payable.application_id},
        failure_reason=reason,
    )
    BatchItem.objects.filter(pk=item.pk).update(
        result=BatchItem.Result.FAILED, reason=reason, live=False, resulted_at=timezone.now()
    )
    _notify_company(item, "payment_failed", legally_required=True, reason=reason)
    return payable.application_id


def _ensure_not_paid_early(batch: PaymentBatch, results: list[BankResult]) -> None:
    """Money leaves on the transfer date: a result that says paid before it is not the bank's
    result for this batch, and a payment notice must never be dated before the money left."""
    today = today_jst()
    if today >= batch.transfer_date:
        return
    early = [result.customer_code for result in results if result.paid]
    if early:
        raise ValidationFailed(
            _(
                "The file reports %(codes)s as paid, but batch %(ref)s transfers on %(date)s "
                "and today is %(today)s: a transfer cannot be paid before its transfer date. "
                "Import the bank's results on or after the transfer date. Nothing was imported."
            )
            % {
                "codes": ", ".join(early),
                "ref": batch.reference,
                "date": when(batch.transfer_date),
                "today": when(today),
            },
            field="data",
            code="before_transfer_date",
        )


@transaction.atomic
def reconciliation_import(*, batch_id: int, by: Any, data: bytes) -> dict[str, Any]:
    """Record the bank's result file for a released batch, all or nothing: a paid transfer ends
    its application as paid (payment, letter, notice), exactly once; a failed one returns its
    payable to the payables with the bank's reason. Importing the same file again changes
    nothing. When every item has its result the batch is reconciled."""
    _ensure_finance(by, _("import the bank's results"))
    batch = _locked_batch(batch_id)
    if batch.status not in (BatchStatus.RELEASED, BatchStatus.RECONCILED):
        raise InvalidState(
            _("Bank results can be imported only for a released batch; %(ref)s is %(status)s.")
            % {"ref": batch.reference, "status": batch.get_status_display()}
        )
    results = bank_results_parse(data)
    items = _items_for_results(batch, results)
    _ensure_not_paid_early(batch, results)
    pending = [r for r in results if _ensure_consistent(items[r.customer_code], r)]
    paid = [_item_paid(batch, items[r.customer_code], by) for r in pending if r.paid]
    failed = [
        _item_failed(batch, items[r.customer_code], r.reason, by) for r in pending if not r.paid
    ]
    if pending:
        event_record(
            batch,
            "reconciliation_import",
            by=by,
            role=Role.FINANCE,
            data={
                "sha256": hashlib.sha256(data).hexdigest(),
                "paid_application_ids": paid,
                "failed_application_ids": failed,
            },
        )
    open_items = batch.items.filter(result=BatchItem.Result.PENDING).exists()
    if batch.status == BatchStatus.RELEASED and not open_items:
        _fire(
            batch,
            batch.reconcile,
            by=by,
            role=Role.FINANCE,
            action="batch_reconcile",
            data={"paid_total": batch_paid_total(batch)},
        )
    return {
        "batch_id": batch.pk,
        "status": batch.status,
        "paid": len(paid),
        "failed": len(failed),
        "unchanged": len(results) - len(pending),
        "paid_application_ids": paid,
        "failed_application_ids": failed,
    }


def batch_paid_total(batch: PaymentBatch) -> int:
    return sum(batch.items.filter(result=BatchItem.Result.PAID).values_list("amount", flat=True))
