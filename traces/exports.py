"""The audit log of a period as CSV (UTF-8 with a BOM, so that Excel reads the Japanese) and as
an Excel workbook. Both stream the events in chunks: a year of events never sits in memory.

A text cell that begins with = + - @ (or a tab or carriage return) gets a leading apostrophe, so
that a spreadsheet shows what someone typed instead of running it as a formula."""

from __future__ import annotations

import csv
import json
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

from audit.models import AuditEvent
from core.dates import JST

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOM = "\ufeff"
CHUNK = 2000
SHEET_ROWS = 1_048_575  # Excel's limit, less the heading row: more rows go on another sheet
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
COLUMN_WIDTHS = (8, 66, 66, 20, 14, 10, 22, 28, 16, 16, 40, 60, 34)


def log_columns() -> list[str]:
    return [
        _("Sequence"),
        _("Entry hash (SHA-256)"),
        _("Previous hash"),
        _("Occurred at (JST)"),
        _("Actor"),
        _("Role"),
        _("Action"),
        pgettext("audit log", "Subject"),
        _("From status"),
        _("To status"),
        _("Reason"),
        _("Data (JSON)"),
        _("Request ID"),
    ]


def as_text(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def log_row(event: AuditEvent) -> list[Any]:
    """One event as exported: exactly what was recorded, times in Japan."""
    return [
        event.seq,
        event.entry_hash,
        event.prev_hash,
        event.occurred_at.astimezone(JST),
        event.actor.get_username() if event.actor else "",
        event.actor_role,
        event.action,
        f"{event.subject_type}#{event.subject_id}",
        event.from_status,
        event.to_status,
        event.reason,
        json.dumps(event.data, ensure_ascii=False, sort_keys=True, cls=DjangoJSONEncoder),
        event.request_id,
    ]


def _events(events: Iterable[AuditEvent]) -> Iterator[AuditEvent]:
    iterator = getattr(events, "iterator", None)
    return iterator(chunk_size=CHUNK) if iterator else iter(events)


class _Line:
    """A file-like object csv.writer writes one line to, handed straight back."""

    def write(self, line: str) -> str:
        return line


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat(sep=" ")
    return as_text(str(value))


def log_csv_lines(events: Iterable[AuditEvent]) -> Iterator[str]:
    """The heading and one line per event, the first starting with the BOM."""
    writer = csv.writer(_Line(), lineterminator="\r\n")
    yield BOM + writer.writerow(log_columns())
    for event in _events(events):
        yield writer.writerow([_csv_cell(value) for value in log_row(event)])


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    if hasattr(value, "tzinfo"):
        cell = WriteOnlyCell(sheet, value=value.replace(tzinfo=None))
        cell.number_format = "yyyy-mm-dd hh:mm:ss"
        return cell
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", as_text(value)))
        cell.data_type = "s"  # never a formula, whatever the text begins with
        return cell
    return value


def _sheet(workbook: Workbook, number: int) -> Any:
    sheet = workbook.create_sheet(_("Audit log") if number == 1 else f"{_('Audit log')} {number}")
    for index, width in enumerate(COLUMN_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.append(log_columns())
    return sheet


def log_xlsx_file(events: Iterable[AuditEvent]) -> IO[bytes]:
    """The workbook in a temporary file (rewound), one sheet per million events."""
    workbook = Workbook(write_only=True)
    number, rows = 1, 0
    sheet = _sheet(workbook, number)
    for event in _events(events):
        if rows == SHEET_ROWS:
            number, rows = number + 1, 0
            sheet = _sheet(workbook, number)
        sheet.append([_xlsx_cell(sheet, value) for value in log_row(event)])
        rows += 1
    output = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it
    workbook.save(output)
    output.seek(0)
    return output
