"""An independent reader of Zengin 総合振込 files, written from the published field table.

It shares nothing with payments.zengin: the table below is copied from the layout in
NOTES-japan.md (fields in order, type and width), and each field's slice is computed from the
widths, so a shifted or mis-sized field in the writer shows up as a wrong value here.
"""

from __future__ import annotations

from itertools import accumulate

RECORD_BYTES = 120

# (name, type, width) after the one-byte data kind, in the order the table gives them
LAYOUT: dict[str, list[tuple[str, str, int]]] = {
    "1": [
        ("kind_code", "N", 2),  # 種別コード
        ("code_division", "N", 1),  # コード区分
        ("originator_code", "N", 10),  # 依頼人コード
        ("originator_name", "C", 40),  # 依頼人名
        ("transfer_date", "N", 4),  # 振込指定日 MMDD
        ("bank_code", "N", 4),  # 仕向銀行番号
        ("bank_name", "C", 15),  # 仕向銀行名
        ("branch_code", "N", 3),  # 仕向支店番号
        ("branch_name", "C", 15),  # 仕向支店名
        ("account_type", "N", 1),  # 預金種目
        ("account_number", "N", 7),  # 口座番号
        ("dummy", "C", 17),
    ],
    "2": [
        ("bank_code", "N", 4),  # 被仕向銀行番号
        ("bank_name", "C", 15),  # 被仕向銀行名
        ("branch_code", "N", 3),  # 被仕向支店番号
        ("branch_name", "C", 15),  # 被仕向支店名
        ("clearing_house", "N", 4),  # 手形交換所番号
        ("account_type", "N", 1),  # 預金種目
        ("account_number", "N", 7),  # 口座番号
        ("payee_name", "C", 30),  # 受取人名
        ("amount", "N", 10),  # 振込金額
        ("new_code", "N", 1),  # 新規コード
        ("customer_code_1", "C", 10),  # 顧客コード1
        ("customer_code_2", "C", 10),  # 顧客コード2
        ("transfer_kind", "N", 1),  # 振込指定区分
        ("edi_flag", "C", 1),  # 識別表示
        ("dummy", "C", 7),
    ],
    "8": [
        ("count", "N", 6),  # 合計件数
        ("total", "N", 12),  # 合計金額
        ("dummy", "C", 101),
    ],
    "9": [("dummy", "C", 119)],
}

for _kind, _fields in LAYOUT.items():
    assert 1 + sum(width for _, _, width in _fields) == RECORD_BYTES, _kind


class ZenginFormatError(ValueError):
    """The bytes are not a well-formed 総合振込 file."""


def records_split(data: bytes) -> list[bytes]:
    """Cut a file into 120-byte records, separated by CRLF or by nothing."""
    if b"\r\n" in data:
        records = data.split(b"\r\n")
        if records[-1] == b"":
            records.pop()
    else:
        if len(data) % RECORD_BYTES:
            raise ZenginFormatError(f"{len(data)} bytes is not a whole number of records")
        records = [data[i : i + RECORD_BYTES] for i in range(0, len(data), RECORD_BYTES)]
    for number, record in enumerate(records, start=1):
        if len(record) != RECORD_BYTES:
            raise ZenginFormatError(f"record {number} has {len(record)} bytes")
    return records


def record_read(record: bytes) -> dict[str, object]:
    """One record as a dict: `kind`, N fields as int, C fields as text without trailing spaces.

    Raw text of every field is kept under `<name>_raw` so tests can check the padding.
    """
    kind = record[:1].decode("ascii")
    if kind not in LAYOUT:
        raise ZenginFormatError(f"unknown data kind {kind!r}")
    fields = LAYOUT[kind]
    ends = list(accumulate((width for _, _, width in fields), initial=1))
    result: dict[str, object] = {"kind": kind}
    for (name, kind_of_field, _width), start, end in zip(fields, ends[:-1], ends[1:], strict=True):
        raw = record[start:end].decode("cp932")
        result[f"{name}_raw"] = raw
        if kind_of_field == "N":
            if not (raw.isascii() and raw.isdigit()):
                raise ZenginFormatError(f"{name}: N field {raw!r} is not all digits")
            result[name] = int(raw)
        else:
            result[name] = raw.rstrip(" ")
    return result


def file_read(data: bytes) -> list[dict[str, object]]:
    """Every record of the file, checked for the header-data-trailer-end order."""
    records = [record_read(record) for record in records_split(data)]
    kinds = "".join(str(record["kind"]) for record in records)
    if not (kinds.startswith("12") and kinds.endswith("89") and set(kinds[1:-2]) == {"2"}):
        raise ZenginFormatError(f"records in the wrong order: {kinds}")
    return records
