"""The Zengin 総合振込 writer, checked against a reader written from the published field table."""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from zengin_code import Bank

from payments.zengin import (
    Originator,
    Transfer,
    ZenginError,
    bank_names,
    transfer_file,
    zengin_kana,
)
from tests.payments.zengin_reader import file_read, records_split

# What JIS X 0201 carries in a Zengin name, spelled out here rather than taken from the writer.
CARRIED = set(
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ ().-/,\\｢｣ｦｰｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜﾝﾞﾟ"
)

ORIGINATOR = Originator(
    code="12345",
    name="ヤマナシケン",
    bank_code="0142",  # 山梨中央銀行
    branch_code="101",  # 本店営業部
    account_type=1,
    account_number="7654321",
)
PAYEE = Transfer(
    bank_code="0005",  # 三菱ＵＦＪ銀行
    branch_code="001",  # 本店
    account_type=2,
    account_number="98765",
    payee_name="ｶ)こうふシャッター",
    amount=1_234_567,
    customer_code="901",
)
TRANSFER_DATE = datetime.date(2026, 4, 10)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


# --- the golden file -----------------------------------------------------------------------


def test_transfer_file_one_payee_is_exactly_the_published_layout():
    header = [
        "1",  # データ区分
        "21",  # 種別コード 総合振込
        "0",  # コード区分
        "0000012345",  # 依頼人コード N10
        "ﾔﾏﾅｼｹﾝ" + " " * 34,  # 依頼人名 C40
        "0410",  # 振込指定日 MMDD
        "0142",  # 仕向銀行番号
        "ﾔﾏﾅｼﾁﾕｳｵｳ" + " " * 6,  # 仕向銀行名 C15
        "101",  # 仕向支店番号
        "ﾎﾝﾃﾝ" + " " * 11,  # 仕向支店名 C15
        "1",  # 預金種目 普通
        "7654321",  # 口座番号
        " " * 17,  # ダミー
    ]
    data = [
        "2",  # データ区分
        "0005",  # 被仕向銀行番号
        "ﾐﾂﾋﾞｼﾕ-ｴﾌｼﾞｴｲ" + " " * 2,  # 被仕向銀行名 C15
        "001",  # 被仕向支店番号
        "ﾎﾝﾃﾝ" + " " * 11,  # 被仕向支店名 C15
        "0000",  # 手形交換所番号
        "2",  # 預金種目 当座
        "0098765",  # 口座番号
        "ｶ)ｺｳﾌｼﾔﾂﾀｰ" + " " * 20,  # 受取人名 C30
        "0001234567",  # 振込金額
        "0",  # 新規コード
        "901" + " " * 7,  # 顧客コード1 C10
        " " * 10,  # 顧客コード2 C10
        "7",  # 振込指定区分 電信
        " ",  # 識別表示
        " " * 7,  # ダミー
    ]
    trailer = [
        "8",  # データ区分
        "000001",  # 合計件数 N6
        "000001234567",  # 合計金額 N12
        " " * 101,  # ダミー
    ]
    end = ["9", " " * 119]
    expected = b"".join(
        "".join(record).encode("cp932") + b"\r\n" for record in (header, data, trailer, end)
    )

    produced = transfer_file(ORIGINATOR, TRANSFER_DATE, [PAYEE])

    assert [len(record) for record in records_split(expected)] == [120] * 4
    assert produced == expected
    # 受取人名 is bytes 51–80 of the data record, one byte per half-width kana
    payee_name = produced.split(b"\r\n")[1][50:80]
    assert payee_name == b"\xb6)\xba\xb3\xcc\xbc\xd4\xc2\xc0\xb0" + b" " * 20


def test_transfer_file_same_input_gives_same_bytes():
    first = transfer_file(ORIGINATOR, TRANSFER_DATE, [PAYEE, PAYEE])
    second = transfer_file(ORIGINATOR, TRANSFER_DATE, [PAYEE, PAYEE])

    assert first == second


# --- property: any valid batch round-trips through the independent reader ------------------


def _units(inputs: str, outputs: str) -> list[tuple[str, str]]:
    return list(zip(inputs, outputs, strict=True))


_PLAIN_HIRA = (
    "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわをん"
)
_PLAIN_KATA = (
    "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン"
)
_PLAIN_HALF = "ｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜｦﾝ"
_VOICED_HIRA = "がぎぐげござじずぜぞだぢづでどばびぶべぼ"
_VOICED_KATA = "ガギグゲゴザジズゼゾダヂヅデドバビブベボ"
_VOICED_BASE = "ｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾊﾋﾌﾍﾎ"
_SMALL_HIRA = "ぁぃぅぇぉゃゅょっ"
_SMALL_KATA = "ァィゥェォャュョッ"
_SMALL_HALF = "ｧｨｩｪｫｬｭｮｯ"
_SMALL_AS_LARGE = "ｱｲｳｴｵﾔﾕﾖﾂ"
_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

# (what a person may type, what the bank must receive) — one character of the name each
NAME_UNITS: list[tuple[str, str]] = [
    *_units(_PLAIN_HIRA, _PLAIN_HALF),
    *_units(_PLAIN_KATA, _PLAIN_HALF),
    *_units(_PLAIN_HALF, _PLAIN_HALF),
    *zip(_VOICED_HIRA, (base + "ﾞ" for base in _VOICED_BASE), strict=True),
    *zip(_VOICED_KATA, (base + "ﾞ" for base in _VOICED_BASE), strict=True),
    *zip("ぱぴぷぺぽ", (base + "ﾟ" for base in "ﾊﾋﾌﾍﾎ"), strict=True),
    *zip("パピプペポ", (base + "ﾟ" for base in "ﾊﾋﾌﾍﾎ"), strict=True),
    ("ヴ", "ｳﾞ"),
    ("ｶﾞ", "ｶﾞ"),
    *_units(_SMALL_HIRA, _SMALL_AS_LARGE),
    *_units(_SMALL_KATA, _SMALL_AS_LARGE),
    *_units(_SMALL_HALF, _SMALL_AS_LARGE),
    *_units(_UPPER, _UPPER),
    *_units(_UPPER.lower(), _UPPER),
    *_units("ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ", _UPPER),
    *_units("ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ", _UPPER),
    *_units("0123456789", "0123456789"),
    *_units("０１２３４５６７８９", "0123456789"),
    *_units("().-/,", "().-/,"),
    *_units("（）．－／，", "().-/,"),
    ("ー", "ｰ"),
    ("ｰ", "ｰ"),
    (" ", " "),
    ("\u3000", " "),
]


@st.composite
def names(draw: st.DrawFn) -> tuple[str, str]:
    """A name as typed and the half-width form the bank must receive, outer spaces dropped."""
    units = draw(st.lists(st.sampled_from(NAME_UNITS), min_size=1, max_size=30))
    typed = "".join(typed for typed, _ in units)
    expected = "".join(sent for _, sent in units).strip(" ")
    if not expected:
        expected = "ｱ"
        typed += "あ"
    return typed, expected


def field_cut(text: str, width: int) -> str:
    """The documented truncation: cut at the width, never leaving a kana without its ﾞ/ﾟ."""
    if len(text) > width and text[width] in "ﾞﾟ":
        return text[: width - 1].rstrip(" ")
    return text[:width].rstrip(" ")


BRANCHES = [
    (bank_code, branch_code)
    for bank_code, bank in Bank.all.items()
    for branch_code in bank.branches
]


@st.composite
def transfers(draw: st.DrawFn) -> tuple[Transfer, str]:
    bank_code, branch_code = draw(st.sampled_from(BRANCHES))
    typed, expected = draw(names())
    transfer = Transfer(
        bank_code=bank_code,
        branch_code=branch_code,
        account_type=draw(st.sampled_from([1, 2, 4, 9])),
        account_number=draw(st.text("0123456789", min_size=1, max_size=7)),
        payee_name=typed,
        amount=draw(st.integers(min_value=1, max_value=9_999_999_999)),
        customer_code=draw(st.text("0123456789", max_size=10)),
    )
    return transfer, expected


@settings(
    max_examples=150,
    deadline=None,
    # the suite's autouse fixtures (media root, eager Celery) do not touch these pure functions
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    batch=st.lists(transfers(), min_size=1, max_size=8),
    originator_name=names(),
    transfer_date=st.dates(
        min_value=datetime.date(2020, 1, 1), max_value=datetime.date(2040, 12, 31)
    ),
)
def test_transfer_file_any_valid_batch_round_trips(batch, originator_name, transfer_date):
    # given
    originator = dataclasses.replace(ORIGINATOR, name=originator_name[0])
    payees = [transfer for transfer, _ in batch]

    # when
    produced = transfer_file(originator, transfer_date, payees)

    # then: four kinds of 120-byte cp932 record, each followed by CRLF
    assert produced.endswith(b"\r\n")
    lines = produced.split(b"\r\n")[:-1]
    assert [len(line) for line in lines] == [120] * (len(payees) + 3)
    for line in lines:
        line.decode("cp932")
    header, *data, trailer, end = file_read(produced)

    assert (header["kind_code"], header["code_division"]) == (21, 0)
    assert header["originator_code"] == 12345
    assert header["originator_name"] == field_cut(originator_name[1], 40)
    assert header["transfer_date_raw"] == transfer_date.strftime("%m%d")
    assert (header["bank_code_raw"], header["branch_code_raw"]) == ("0142", "101")

    for record, (transfer, expected_name) in zip(data, batch, strict=True):
        assert record["bank_code_raw"] == transfer.bank_code
        assert record["branch_code_raw"] == transfer.branch_code
        assert record["bank_name"] and set(record["bank_name"]) <= CARRIED
        assert record["branch_name"] and set(record["branch_name"]) <= CARRIED
        assert record["clearing_house_raw"] == "0000"
        assert record["account_type"] == transfer.account_type
        assert record["account_number_raw"] == transfer.account_number.rjust(7, "0")
        assert record["payee_name"] == field_cut(expected_name, 30)
        assert set(record["payee_name_raw"]) <= CARRIED
        assert record["amount"] == transfer.amount
        assert record["new_code"] == 0
        assert record["customer_code_1"] == transfer.customer_code
        assert record["customer_code_2_raw"] == " " * 10
        assert record["transfer_kind"] == 7
        assert record["edi_flag_raw"] == " "

    assert trailer["count"] == len(data) == len(payees)
    assert trailer["total"] == sum(record["amount"] for record in data)
    assert trailer["total"] == sum(transfer.amount for transfer in payees)
    assert end["dummy_raw"] == " " * 119
    assert transfer_file(originator, transfer_date, payees) == produced


# --- names ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "sent"),
    [
        ("やまだ たろう", "ﾔﾏﾀﾞ ﾀﾛｳ"),
        ("キャッシュ", "ｷﾔﾂｼﾕ"),
        ("ｷｬｯｼｭ", "ｷﾔﾂｼﾕ"),
        ("ヴァイオリン", "ｳﾞｱｲｵﾘﾝ"),
        ("サービス", "ｻｰﾋﾞｽ"),
        ("ｂｅｅ－ｃｏ．", "BEE-CO."),
        ("カ\u3099ス", "ｶﾞｽ"),  # a combining voicing mark, as some keyboards send it
        ("　ヤマダ　", "ﾔﾏﾀﾞ"),
        ("ｶ)ﾔﾏﾀﾞ", "ｶ)ﾔﾏﾀﾞ"),
        ("ヰヱヮ", "ｲｴﾜ"),
        ("エー・ビー", "ｴｰ.ﾋﾞｰ"),
        ("Ａ￥Ｂ¥", "A\\B\\"),  # ¥ is byte 0x5C in JIS X 0201
    ],
)
def test_zengin_kana_converts_what_people_type(typed, sent):
    assert zengin_kana(typed, what="payee") == sent


def test_transfer_file_long_payee_name_is_cut_at_thirty_bytes():
    name = "ア" * 29 + "ガ"  # 29 + 2 bytes once half-width: the ﾞ would be byte 31
    payee = dataclasses.replace(PAYEE, payee_name=name)

    (_, record, _, _) = file_read(transfer_file(ORIGINATOR, TRANSFER_DATE, [payee]))

    assert record["payee_name"] == "ｱ" * 29  # the ｶ goes with its ﾞ rather than alone
    assert record["payee_name_raw"] == "ｱ" * 29 + " "


def test_transfer_file_long_originator_name_is_cut_at_forty_bytes():
    originator = dataclasses.replace(ORIGINATOR, name="ABCDEFGHIJ" * 5)

    (header, *_) = file_read(transfer_file(originator, TRANSFER_DATE, [PAYEE]))

    assert header["originator_name_raw"] == "ABCDEFGHIJ" * 4


# --- refusals ------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["😀", "山", "髙", "～", "&", "ゝ", "\t"])
def test_transfer_file_character_the_format_cannot_carry_is_refused_naming_the_payee(bad):
    payee = dataclasses.replace(PAYEE, payee_name=f"ヤマダ{bad}ショウジ")

    with pytest.raises(ZenginError) as refused:
        transfer_file(ORIGINATOR, TRANSFER_DATE, [PAYEE, payee])

    message = str(refused.value)
    assert f"ヤマダ{bad}ショウジ" in message
    assert f'"{bad}"' in message
    assert f"U+{ord(bad):04X}" in message
    assert refused.value.code == "zengin_invalid"
    assert refused.value.field == "payee_name"


def test_transfer_file_kanji_in_originator_name_is_refused_naming_the_originator():
    originator = dataclasses.replace(ORIGINATOR, name="山梨県")

    with pytest.raises(ZenginError, match=r"Originator.*山"):
        transfer_file(originator, TRANSFER_DATE, [PAYEE])


def test_transfer_file_blank_payee_name_is_refused():
    payee = dataclasses.replace(PAYEE, payee_name="　 ")

    with pytest.raises(ZenginError, match="empty"):
        transfer_file(ORIGINATOR, TRANSFER_DATE, [payee])


def test_transfer_file_unknown_bank_code_is_refused_naming_the_payee():
    assert "9999" not in Bank.all
    payee = dataclasses.replace(PAYEE, bank_code="9999", payee_name="ｺｳﾌｼｮｳｼﾞ")

    with pytest.raises(ZenginError) as refused:
        transfer_file(ORIGINATOR, TRANSFER_DATE, [payee])

    assert "ｺｳﾌｼｮｳｼﾞ" in str(refused.value)
    assert "9999" in str(refused.value)
    assert refused.value.field == "bank_code"


def test_transfer_file_unknown_branch_code_is_refused_naming_the_payee():
    assert "999" not in Bank.all["0005"].branches
    payee = dataclasses.replace(PAYEE, branch_code="999", payee_name="ｺｳﾌｼｮｳｼﾞ")

    with pytest.raises(ZenginError) as refused:
        transfer_file(ORIGINATOR, TRANSFER_DATE, [payee])

    assert "ｺｳﾌｼｮｳｼﾞ" in str(refused.value)
    assert "999" in str(refused.value)
    assert refused.value.field == "branch_code"


@pytest.mark.parametrize(
    ("bank_code", "branch_code"), [("5", "001"), ("0005", "1"), ("000A", "001")]
)
def test_transfer_file_malformed_codes_are_refused(bank_code, branch_code):
    payee = dataclasses.replace(PAYEE, bank_code=bank_code, branch_code=branch_code)

    with pytest.raises(ZenginError, match="Payee"):
        transfer_file(ORIGINATOR, TRANSFER_DATE, [payee])


@pytest.mark.parametrize(
    "amount", [0, -1, 10_000_000_000, True, 1.5, Decimal("100.5"), Decimal("NaN"), "100", None]
)
def test_transfer_file_amount_outside_one_yen_to_n10_is_refused(amount):
    payee = dataclasses.replace(PAYEE, amount=amount)

    with pytest.raises(ZenginError) as refused:
        transfer_file(ORIGINATOR, TRANSFER_DATE, [payee])

    assert refused.value.field == "amount"
    assert "ｶ)こうふシャッター" in str(refused.value)


def test_transfer_file_largest_amount_and_whole_decimal_are_written():
    payees = [
        dataclasses.replace(PAYEE, amount=9_999_999_999),
        dataclasses.replace(PAYEE, amount=Decimal("250000")),
    ]

    _, first, second, trailer, _ = file_read(transfer_file(ORIGINATOR, TRANSFER_DATE, payees))

    assert (first["amount_raw"], second["amount_raw"]) == ("9999999999", "0000250000")
    assert trailer["total_raw"] == "010000249999"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"account_type": 3}, "account_type"),
        ({"account_type": True}, "account_type"),
        ({"account_number": "12345678"}, "account_number"),
        ({"account_number": "12-345"}, "account_number"),
        ({"account_number": ""}, "account_number"),
        ({"customer_code": "A1"}, "customer_code"),
        ({"customer_code": "12345678901"}, "customer_code"),
    ],
)
def test_transfer_file_malformed_account_is_refused(change, field):
    payee = dataclasses.replace(PAYEE, **change)

    with pytest.raises(ZenginError) as refused:
        transfer_file(ORIGINATOR, TRANSFER_DATE, [payee])

    assert refused.value.field == field
    assert "ｶ)こうふシャッター" in str(refused.value)


def test_transfer_file_without_payees_is_refused():
    with pytest.raises(ZenginError):
        transfer_file(ORIGINATOR, TRANSFER_DATE, [])


# --- bank names ----------------------------------------------------------------------------


def test_bank_names_known_codes_give_half_width_names():
    assert bank_names("0005", "001") == ("ﾐﾂﾋﾞｼﾕ-ｴﾌｼﾞｴｲ", "ﾎﾝﾃﾝ")
    assert bank_names("0142", "102") == ("ﾔﾏﾅｼﾁﾕｳｵｳ", "ｺｳﾌｼﾔｸｼﾖ")


def test_bank_names_every_bank_and_branch_in_the_data_can_be_written():
    for bank_code, branch_code in BRANCHES:
        bank_name, branch_name = bank_names(bank_code, branch_code)
        assert bank_name and set(bank_name) <= CARRIED, bank_code
        assert branch_name and set(branch_name) <= CARRIED, (bank_code, branch_code)


def test_bank_names_unknown_codes_are_refused():
    with pytest.raises(ZenginError, match="9999"):
        bank_names("9999", "001")
    with pytest.raises(ZenginError, match="999"):
        bank_names("0005", "999")
