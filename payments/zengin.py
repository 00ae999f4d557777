"""The Zengin 総合振込 transfer file (種別コード 21) that the bank takes for a payment batch.

Pure functions: no models, no I/O. A file is a header record (1), one data record (2) per
payee, a trailer (8) and an end record (9), each exactly 120 bytes of cp932, joined and ended
by CRLF. `N` fields are right-aligned and zero-filled, `C` fields left-aligned and space-filled.

Names are written in the JIS X 0201 subset banks accept: digits, A–Z, half-width katakana
(ﾞ and ﾟ one byte each, small kana written full-size), space and ( ) . - / , ¥ ｢ ｣. Names
longer than their field (bank and branch C15, payee C30, originator C40) are cut at the field
width, as banks' own systems do: the account is identified by the codes and the account
number, the name is only checked against it. A cut never leaves a base kana without the ﾞ
or ﾟ that belonged to it. Anything the format cannot carry is refused, never dropped or
guessed, with a message naming the payee and the character.
"""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

import jaconv
from django.utils.translation import gettext_lazy as _

from core.errors import ValidationFailed

RECORD_BYTES = 120
AMOUNT_MAX = 9_999_999_999  # 振込金額 N10
TOTAL_MAX = 999_999_999_999  # 合計金額 N12
COUNT_MAX = 999_999  # 合計件数 N6
ACCOUNT_TYPES = {1: "普通", 2: "当座", 4: "貯蓄", 9: "その他"}

_SPECIAL = " ().-/,\\｢｣"  # 0x5C is ¥ in JIS X 0201, so ¥ travels as the cp932 byte of "\"
_HALF_KANA = "ｦｰ" + "".join(chr(c) for c in range(0xFF71, 0xFFA0))  # ｦ ｰ ｱ…ﾝ ﾞ ﾟ
_CARRIED = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ" + _SPECIAL + _HALF_KANA)
_VOICING_MARKS = "ﾞﾟ"

# What jaconv leaves alone: kana it has no small→large rule for, and symbols with an obvious
# counterpart in the format.
_BEFORE_HALF_WIDTH = str.maketrans({"ヮ": "ワ", "ヰ": "イ", "ヱ": "エ"})
_AFTER_HALF_WIDTH = str.maketrans(
    {
        **{small: large for small, large in zip("ｧｨｩｪｫｬｭｮｯ", "ｱｲｳｴｵﾔﾕﾖﾂ", strict=True)},
        **{chr(c): chr(c - 32) for c in range(ord("a"), ord("z") + 1)},
        "･": ".",
        "｡": ".",
        "､": ",",
        "¥": "\\",
        "￥": "\\",
        "‐": "-",
        "‑": "-",
        "‒": "-",
        "–": "-",
        "−": "-",
    }
)


class ZenginError(ValidationFailed):
    """A value the Zengin format cannot carry; the message names the payee or the field."""

    code = "zengin_invalid"


@dataclass(frozen=True)
class Originator:
    """The prefecture's own account that pays (依頼人)."""

    code: str
    name: str
    bank_code: str
    branch_code: str
    account_type: int
    account_number: str


@dataclass(frozen=True)
class Transfer:
    """One payee (受取人) and the amount to send them."""

    bank_code: str
    branch_code: str
    account_type: int
    account_number: str
    payee_name: str  # as registered, full-width allowed; converted to half-width kana
    amount: int  # whole yen > 0
    customer_code: str = ""  # 顧客コード1: our reference of the batch item, digits


def zengin_kana(text: str, *, what: str, field: str | None = None) -> str:
    """Return `text` as the half-width katakana the format carries, or refuse naming `what`."""
    converted = _to_half_width(text).strip(" ")
    if not _CARRIED.issuperset(converted):
        char = _first_not_carried(text)
        raise ZenginError(
            _(
                '%(what)s: the character "%(char)s" (U+%(point)04X) cannot be written in a '
                "bank transfer file. Use katakana, A–Z, 0–9, spaces and ( ) . - / , only."
            )
            % {"what": what, "char": char, "point": ord(char)},
            field=field,
        )
    if not converted:
        raise ZenginError(
            _("%(what)s: the name is empty; a bank transfer needs a name in katakana.")
            % {"what": what},
            field=field,
        )
    return converted


def bank_names(bank_code: str, branch_code: str) -> tuple[str, str]:
    """Return the half-width kana names of a bank and its branch, from the zengin-code data."""
    bank = _banks().get(bank_code)
    if bank is None:
        raise ZenginError(
            _("Bank code %(code)s is not in the Zengin bank code list.") % {"code": bank_code},
            field="bank_code",
        )
    branch = bank.branches.get(branch_code)
    if branch is None:
        raise ZenginError(
            _("Branch code %(branch)s is not a branch of bank %(bank)s in the Zengin code list.")
            % {"branch": branch_code, "bank": bank_code},
            field="branch_code",
        )
    return (
        zengin_kana(bank.kana, what=f"bank {bank_code}"),
        zengin_kana(branch.kana, what=f"branch {bank_code}-{branch_code}"),
    )


def bank_list() -> list[tuple[str, str]]:
    """Every bank in the zengin-code data as (code, name), by code: for finding a bank by name."""
    return sorted((code, bank.name) for code, bank in _banks().items())


def branch_list(bank_code: str) -> list[tuple[str, str]]:
    """The branches of a bank as (code, name), by code; none for a code not in the data."""
    bank = _banks().get(bank_code)
    if bank is None:
        return []
    return sorted((code, branch.name) for code, branch in bank.branches.items())


def bank_branch_names(bank_code: str, branch_code: str = "") -> tuple[str, str]:
    """The names people read (みずほ, 東京営業部) of a bank and its branch; "" for what the
    zengin-code data does not know."""
    bank = _banks().get(bank_code)
    if bank is None:
        return "", ""
    branch = bank.branches.get(branch_code)
    return bank.name, branch.name if branch is not None else ""


def transfer_file(
    originator: Originator, transfer_date: datetime.date, transfers: Sequence[Transfer]
) -> bytes:
    """Return the whole 総合振込 file: header, data records, trailer and end, CRLF after each."""
    if not transfers:
        raise ZenginError(_("A bank transfer file needs at least one payee."))
    if len(transfers) > COUNT_MAX:
        raise ZenginError(
            _("A bank transfer file holds at most %(max)s payees.") % {"max": COUNT_MAX}
        )
    records = [_header(originator, transfer_date)]
    records += [_data(transfer) for transfer in transfers]
    total = sum(int(transfer.amount) for transfer in transfers)
    if total > TOTAL_MAX:
        raise ZenginError(
            _("The batch total %(total)s yen exceeds the file's limit of %(max)s yen.")
            % {"total": f"{total:,}", "max": f"{TOTAL_MAX:,}"}
        )
    records.append(_trailer(len(transfers), total))
    records.append(_record("9", _c("", 119)))
    return b"".join(record + b"\r\n" for record in records)


# --- records -------------------------------------------------------------------------------


def _header(originator: Originator, transfer_date: datetime.date) -> bytes:
    what = str(_("Originator"))
    bank_name, branch_name = _bank_names_for(originator.bank_code, originator.branch_code, what)
    return _record(
        "1",
        "21",  # 種別コード: 総合振込
        "0",  # コード区分: JIS/cp932
        _digits(originator.code, 10, what=what, label="依頼人コード", field="code"),
        _c(zengin_kana(originator.name, what=what, field="name"), 40),
        transfer_date.strftime("%m%d"),
        originator.bank_code,
        _c(bank_name, 15),
        originator.branch_code,
        _c(branch_name, 15),
        _account_type(originator.account_type, what=what),
        _digits(originator.account_number, 7, what=what, label="口座番号", field="account_number"),
        _c("", 17),
    )


def _data(transfer: Transfer) -> bytes:
    what = _payee(transfer)
    bank_name, branch_name = _bank_names_for(transfer.bank_code, transfer.branch_code, what)
    return _record(
        "2",
        transfer.bank_code,
        _c(bank_name, 15),
        transfer.branch_code,
        _c(branch_name, 15),
        "0000",  # 手形交換所番号: unused for 電信 transfers
        _account_type(transfer.account_type, what=what),
        _digits(transfer.account_number, 7, what=what, label="口座番号", field="account_number"),
        _c(zengin_kana(transfer.payee_name, what=what, field="payee_name"), 30),
        _amount(transfer.amount, what=what),
        "0",  # 新規コード: not flagged as a new payee
        _c(_customer_code(transfer.customer_code, what=what), 10),
        _c("", 10),  # 顧客コード2
        "7",  # 振込指定区分: 電信
        " ",  # 識別表示: no EDI information
        _c("", 7),
    )


def _trailer(count: int, total: int) -> bytes:
    return _record("8", f"{count:06d}", f"{total:012d}", _c("", 101))


def _record(*fields: str) -> bytes:
    record = "".join(fields).encode("cp932")
    if len(record) != RECORD_BYTES:  # a bug here would make the bank reject the whole file
        raise AssertionError(f"Zengin record of {len(record)} bytes: {record!r}")
    return record


# --- fields --------------------------------------------------------------------------------


def _c(text: str, width: int) -> str:
    """A C field: the text cut to `width` (never between a kana and its ﾞ/ﾟ), space-filled."""
    if len(text) > width and text[width] in _VOICING_MARKS:
        text = text[: width - 1]
    return text[:width].ljust(width)


def _digits(value: str, width: int, *, what: str, label: str, field: str) -> str:
    """An N field from a string of digits: zero-filled on the left to `width`."""
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()) or len(text) > width:
        raise ZenginError(
            _("%(what)s: %(label)s must be 1 to %(width)s digits, not %(value)s.")
            % {"what": what, "label": label, "width": width, "value": repr(value)},
            field=field,
        )
    return text.zfill(width)


def _account_type(account_type: int, *, what: str) -> str:
    if isinstance(account_type, bool) or account_type not in ACCOUNT_TYPES:
        raise ZenginError(
            _("%(what)s: account type %(value)s is not one of 1 普通, 2 当座, 4 貯蓄, 9 その他.")
            % {"what": what, "value": repr(account_type)},
            field="account_type",
        )
    return str(account_type)


def _amount(amount: int, *, what: str) -> str:
    whole = (isinstance(amount, int) and not isinstance(amount, bool)) or (
        isinstance(amount, Decimal) and amount.is_finite() and amount == amount.to_integral_value()
    )
    if not whole or not 0 < amount <= AMOUNT_MAX:
        raise ZenginError(
            _("%(what)s: the amount must be whole yen from 1 to %(max)s, not %(amount)s.")
            % {"what": what, "max": f"{AMOUNT_MAX:,}", "amount": amount},
            field="amount",
        )
    return f"{int(amount):010d}"


def _customer_code(code: str, *, what: str) -> str:
    if code and not (code.isascii() and code.isdigit() and len(code) <= 10):
        raise ZenginError(
            _("%(what)s: the customer code must be up to 10 digits, not %(code)s.")
            % {"what": what, "code": repr(code)},
            field="customer_code",
        )
    return code


def _bank_names_for(bank_code: str, branch_code: str, what: str) -> tuple[str, str]:
    if not _is_code(bank_code, 4) or not _is_code(branch_code, 3):
        raise ZenginError(
            _("%(what)s: bank code must be 4 digits and branch code 3 digits, not %(codes)s.")
            % {"what": what, "codes": f"{bank_code!r}/{branch_code!r}"},
            field="bank_code",
        )
    try:
        return bank_names(bank_code, branch_code)
    except ZenginError as error:
        raise ZenginError(f"{what}: {error.message}", field=error.field) from error


def _is_code(value: str, width: int) -> bool:
    return isinstance(value, str) and len(value) == width and value.isascii() and value.isdigit()


def _payee(transfer: Transfer) -> str:
    if transfer.customer_code:
        return str(
            _('Payee "%(name)s" (reference %(ref)s)')
            % {"name": transfer.payee_name, "ref": transfer.customer_code}
        )
    return str(_('Payee "%(name)s"') % {"name": transfer.payee_name})


def _first_not_carried(text: str) -> str:
    """The character as the person typed it, so they can find it in what they registered."""
    for char in unicodedata.normalize("NFC", text):
        converted = _to_half_width(char)
        if not _CARRIED.issuperset(converted):
            return char
    return next(char for char in _to_half_width(text) if char not in _CARRIED)


def _to_half_width(text: str) -> str:
    text = unicodedata.normalize("NFC", text)  # a kana and a combining ゙ become one character
    text = jaconv.enlarge_smallkana(jaconv.hira2kata(text)).translate(_BEFORE_HALF_WIDTH)
    text = jaconv.z2h(text, kana=True, ascii=True, digit=True)
    return text.translate(_AFTER_HALF_WIDTH)


@cache
def _banks() -> dict:
    # zengin_code reads ~1,400 JSON files when imported: only when a file is actually built.
    from zengin_code import Bank

    return dict(Bank.all)
