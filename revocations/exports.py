"""What the repayment pages, the API and the Excel export show of revocations: one row per
repayment order with what is due on a day, and the grant decision a revocation refers to."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.dates import JST

from .models import Revocation
from .selectors import decision_letter, repayment_due

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
AMOUNT_COLUMNS = ("repayment_amount", "repaid", "principal_outstanding", "interest", "total")

Status = Revocation.Status


def _local_date(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localtime(moment, JST).date() if moment else None


def repayment_row(revocation: Revocation, on: dt.date) -> dict[str, Any]:
    """A repayment order as it stands on ``on``; receipts come from the prefetch if there is one."""
    due = repayment_due(revocation, on)
    settled = revocation.status == Status.SETTLED
    return {
        "id": revocation.pk,
        "reference": revocation.application.reference,
        "company": revocation.application.company.name,
        "decided_on": _local_date(revocation.decided_at),
        "repayment_amount": revocation.repayment_amount,
        "repaid": sum(receipt.amount for receipt in revocation.receipts.all()),
        **due,
        "deadline": revocation.repayment_deadline,
        "overdue": not settled
        and revocation.repayment_deadline is not None
        and revocation.repayment_deadline < on,
        "settled": settled,
        "settled_on": _local_date(revocation.settled_at),
        "status": revocation.get_status_display(),
    }


def original_decision(revocation: Revocation) -> dict[str, Any]:
    """The grant decision revoked: its notice's number and date, its amount."""
    decision = revocation.original
    notice = decision_letter(decision)
    return {
        "id": decision.pk,
        "amount": decision.amount,
        "decided_on": _local_date(decision.decided_at),
        "number": notice.number_text if notice else "",
        "date": notice.context.get("issued_on", "") if notice else "",
        "letter_id": notice.pk if notice else None,
    }


def _columns() -> list[tuple[str, str]]:
    return [
        ("reference", _("Application")),
        ("company", _("Company")),
        ("decided_on", _("Decided on")),
        ("repayment_amount", _("Ordered to repay (yen)")),
        ("repaid", _("Repaid (yen)")),
        ("principal_outstanding", _("Principal outstanding (yen)")),
        ("interest", _("Additional charge due (yen)")),
        ("total", _("Total due (yen)")),
        ("deadline", _("Repay by")),
        ("settled_text", _("Settled")),
        ("settled_on", _("Settled on")),
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
    keys = [key for key, _label in columns]
    for key in AMOUNT_COLUMNS:
        for cell in sheet[get_column_letter(keys.index(key) + 1)][1:]:
            cell.number_format = "#,##0"
    for key in ("decided_on", "deadline", "settled_on"):
        for cell in sheet[get_column_letter(keys.index(key) + 1)][1:]:
            cell.number_format = "yyyy-mm-dd"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def repayments_xlsx(revocations: Iterable[Revocation], on: dt.date) -> bytes:
    """The repayment orders and what is due on ``on`` as an Excel workbook, one row each."""
    rows = (
        {**row, "settled_text": _("yes") if row["settled"] else _("no")}
        for row in (repayment_row(revocation, on) for revocation in revocations)
    )
    return _xlsx(_("Repayments %(on)s") % {"on": on.isoformat()}, _columns(), rows)
