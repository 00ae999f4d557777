"""What the finance pages, the API and the Excel exports show of payables and batch items: one
row each, the payee's account number masked but for its last digits, and the bank's file."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.dates import JST
from core.errors import InvalidState, KofuError

from .models import AccountType, BatchItem, Payable, PaymentBatch
from .zengin import ZenginError, bank_names

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
VISIBLE_DIGITS = 3


class BankFileMismatch(KofuError):
    """The stored file is not the one the release built: someone changed it since."""

    code = "bank_file_mismatch"
    http_status = 409


def account_masked(account_number: str) -> str:
    """``****567``: enough to recognise an account, not enough to copy it."""
    hidden = max(len(account_number) - VISIBLE_DIGITS, 0)
    return "*" * hidden + account_number[hidden:]


def bank_label(bank_code: str, branch_code: str) -> tuple[str, str]:
    """The bank and the branch as ``0005 ﾐﾂﾋﾞｼﾕｰｴﾌｼﾞｪｲ``; the codes alone if the Zengin data
    lacks them."""
    try:
        bank, branch = bank_names(bank_code, branch_code)
    except ZenginError:
        return bank_code, branch_code
    return f"{bank_code} {bank}", f"{branch_code} {branch}"


def _account(record: Payable | BatchItem) -> dict[str, Any]:
    bank, branch = bank_label(record.bank_code, record.branch_code)
    return {
        "bank": bank,
        "branch": branch,
        "account_type": str(AccountType(record.account_type).label),
        "account": account_masked(record.account_number),
        "holder": record.holder_name,
    }


def payable_row(payable: Payable) -> dict[str, Any]:
    return {
        "id": payable.pk,
        "reference": payable.application.reference,
        "company": payable.company.name,
        "amount": payable.amount,
        **_account(payable),
        "claimed_on": payable.claimed_at.astimezone(JST).date(),
        "failure_reason": payable.failure_reason,
    }


def item_row(item: BatchItem) -> dict[str, Any]:
    return {
        "id": item.pk,
        "customer_code": item.customer_code,
        "reference": item.payable.application.reference,
        "company": item.payable.company.name,
        "amount": item.amount,
        **_account(item),
        "result": item.get_result_display(),
        "reason": item.reason,
    }


def _account_columns() -> list[tuple[str, str]]:
    return [
        ("bank", _("Bank")),
        ("branch", _("Branch")),
        ("account_type", _("Account type")),
        ("account", _("Account number")),
        ("holder", _("Account holder")),
    ]


def _payable_columns() -> list[tuple[str, str]]:
    return [
        ("reference", _("Application")),
        ("company", _("Company")),
        ("amount", _("Amount (yen)")),
        *_account_columns(),
        ("claimed_on", _("Claimed on")),
        ("failure_reason", _("Previous transfer failed")),
    ]


def _item_columns() -> list[tuple[str, str]]:
    return [
        ("customer_code", _("Customer code")),
        ("reference", _("Application")),
        ("company", _("Company")),
        ("amount", _("Amount (yen)")),
        *_account_columns(),
        ("result", _("Result")),
        ("reason", _("Reason")),
    ]


def _xlsx(title: str, columns: Sequence[tuple[str, str]], rows: Iterable[dict[str, Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]  # Excel's limit on sheet names
    sheet.append([label for _key, label in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([row[key] for key, _label in columns])
    amounts = get_column_letter([key for key, _label in columns].index("amount") + 1)
    for cell in sheet[amounts][1:]:
        cell.number_format = "#,##0"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def payables_xlsx(payables: Iterable[Payable]) -> bytes:
    """The payables awaiting a batch as an Excel workbook, one row each."""
    return _xlsx(_("Payables"), _payable_columns(), map(payable_row, payables))


def batch_items_xlsx(batch: PaymentBatch, items: Iterable[BatchItem]) -> bytes:
    """A batch's transfers and their results as an Excel workbook, one row each."""
    return _xlsx(batch.reference, _item_columns(), map(item_row, items))


def bank_file_name(batch: PaymentBatch) -> str:
    return f"sogo-furikomi-{batch.transfer_date:%Y-%m-%d}-{batch.pk}.txt"


def bank_file_bytes(batch: PaymentBatch) -> bytes:
    """The stored Zengin file of a released batch, as built; refused before it exists."""
    if batch.status not in (PaymentBatch.Status.RELEASED, PaymentBatch.Status.RECONCILED):
        raise InvalidState(
            _("The bank file exists only once the batch is released; %(ref)s is %(status)s.")
            % {"ref": batch.reference, "status": batch.get_status_display()}
        )
    if not batch.file_sha256:
        raise InvalidState(
            _("The bank file of %(ref)s is still being built; try again in a moment.")
            % {"ref": batch.reference}
        )
    with batch.file.open("rb") as stored:
        data = stored.read()
    if hashlib.sha256(data).hexdigest() != batch.file_sha256:
        raise BankFileMismatch(
            _("The stored bank file of %(ref)s does not match its SHA-256: do not send it.")
            % {"ref": batch.reference}
        )
    return data
