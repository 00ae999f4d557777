"""The bank's result file for a transfer batch, as its internet banking exports it.

A CSV in cp932 or UTF-8 (with or without BOM) whose header row is
``customer_code,result,reason``; one row per transfer, the customer code being the 顧客コード1
we wrote into the Zengin file. The result is ``paid`` or ``failed``, or the bank's Japanese
済 / 不能 (also 振込済 / 振込不能). Blank lines are skipped. Every refusal names the line.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from core.errors import ValidationFailed

HEADER = ("customer_code", "result", "reason")
PAID = frozenset({"paid", "済", "振込済"})
FAILED = frozenset({"failed", "不能", "振込不能"})
_UTF8_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class BankResult:
    """What the bank reports for one transfer."""

    customer_code: str
    paid: bool
    reason: str


def bank_results_parse(data: bytes) -> list[BankResult]:
    """Read the bank's result CSV; refuse with ValidationFailed naming the line on bad input."""
    reader = csv.reader(io.StringIO(_decode(data), newline=""))
    header_seen = False
    results: list[BankResult] = []
    first_line_of: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        cells = [_clean(cell) for cell in row]
        if not any(cells):
            continue
        if not header_seen:
            _check_header(cells, line)
            header_seen = True
            continue
        result = _result(cells, line)
        if result.customer_code in first_line_of:
            raise _refusal(
                line,
                _("customer code %(code)s was already reported on line %(first)s.")
                % {"code": result.customer_code, "first": first_line_of[result.customer_code]},
            )
        first_line_of[result.customer_code] = line
        results.append(result)
    if not header_seen:
        raise ValidationFailed(
            _("The bank result file is empty."), field="data", code="bank_results_invalid"
        )
    return results


def _decode(data: bytes) -> str:
    if data.startswith(_UTF8_BOM):
        encoding = "utf-8-sig"
    else:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            encoding = "cp932"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise _refusal(line, _("the file is neither UTF-8 nor Shift_JIS (cp932) text.")) from error


def _clean(cell: str) -> str:
    # full-width digits and letters, as some exports write them, read as their ASCII forms
    return unicodedata.normalize("NFKC", cell).strip()


def _check_header(cells: list[str], line: int) -> None:
    names = tuple(cell.lower() for cell in cells)
    if names not in (HEADER, HEADER[:2]):
        raise _refusal(
            line,
            _('the header must be "%(expected)s", not "%(found)s".')
            % {"expected": ",".join(HEADER), "found": ",".join(cells)},
        )


def _result(cells: list[str], line: int) -> BankResult:
    if len(cells) not in (2, 3):
        raise _refusal(
            line,
            _("expected customer_code,result,reason but found %(count)s columns.")
            % {"count": len(cells)},
        )
    code, result = cells[0], cells[1].lower()
    reason = cells[2] if len(cells) == 3 else ""
    if not (code.isascii() and code.isdigit() and len(code) <= 10):
        raise _refusal(
            line, _("the customer code must be up to 10 digits, not %(code)s.") % {"code": code}
        )
    if result not in PAID | FAILED:
        raise _refusal(
            line,
            _('the result must be paid/済 or failed/不能, not "%(result)s".')
            % {"result": cells[1]},
        )
    return BankResult(customer_code=code, paid=result in PAID, reason=reason)


def _refusal(line: int, problem: str) -> ValidationFailed:
    return ValidationFailed(
        _("Bank result file, line %(line)s: %(problem)s") % {"line": line, "problem": problem},
        field="data",
        code="bank_results_invalid",
    )
