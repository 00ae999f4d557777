"""Reading the bank's result file: which transfers were paid and which failed, and why."""

from __future__ import annotations

import pytest
from django.utils import translation

from core.errors import ValidationFailed
from payments.bank_results import BankResult, bank_results_parse


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_bank_results_parse_cp932_with_japanese_results():
    data = "customer_code,result,reason\r\n101,済,\r\n102,不能,口座なし\r\n".encode("cp932")

    results = bank_results_parse(data)

    assert results == [
        BankResult(customer_code="101", paid=True, reason=""),
        BankResult(customer_code="102", paid=False, reason="口座なし"),
    ]


def test_bank_results_parse_utf8_with_bom():
    data = "customer_code,result,reason\n201,paid,\n202,failed,受取人名相違\n".encode("utf-8-sig")

    results = bank_results_parse(data)

    assert results == [
        BankResult(customer_code="201", paid=True, reason=""),
        BankResult(customer_code="202", paid=False, reason="受取人名相違"),
    ]


def test_bank_results_parse_utf8_without_bom_and_synonyms():
    data = (
        "Customer_Code , Result , Reason\n"
        "301,振込済,\n"
        "302,振込不能,解約済\n"
        "303,PAID,\n"
        '304,failed,"口座番号相違, 再確認"\n'
    ).encode()

    results = bank_results_parse(data)

    assert [(r.customer_code, r.paid) for r in results] == [
        ("301", True),
        ("302", False),
        ("303", True),
        ("304", False),
    ]
    assert results[3].reason == "口座番号相違, 再確認"


def test_bank_results_parse_full_width_digits_and_two_columns_are_read():
    data = "customer_code,result\n４０１,済\n".encode("cp932")

    assert bank_results_parse(data) == [BankResult(customer_code="401", paid=True, reason="")]


def test_bank_results_parse_header_only_gives_no_results():
    assert bank_results_parse(b"customer_code,result,reason\r\n") == []


def _refusal(data: bytes) -> str:
    with pytest.raises(ValidationFailed) as refused:
        bank_results_parse(data)
    assert refused.value.code == "bank_results_invalid"
    return str(refused.value)


def test_bank_results_parse_unknown_result_names_the_line():
    data = "customer_code,result,reason\n101,済,\n\n102,保留,\n".encode("cp932")

    message = _refusal(data)

    assert "line 4" in message  # the blank line 3 still counts
    assert "保留" in message


def test_bank_results_parse_missing_header_names_line_one():
    message = _refusal(b"101,paid,\n")

    assert "line 1" in message
    assert "customer_code,result,reason" in message


@pytest.mark.parametrize("code", ["A101", "12345678901", ""])
def test_bank_results_parse_bad_customer_code_names_the_line(code):
    message = _refusal(f"customer_code,result,reason\n101,paid,\n{code},paid,\n".encode())

    assert "line 3" in message


def test_bank_results_parse_wrong_column_count_names_the_line():
    message = _refusal(b"customer_code,result,reason\n101,paid,,extra\n")

    assert "line 2" in message


def test_bank_results_parse_same_customer_code_twice_names_both_lines():
    message = _refusal(b"customer_code,result,reason\n101,paid,\n102,paid,\n101,failed,x\n")

    assert "line 4" in message
    assert "on line 2" in message


def test_bank_results_parse_undecodable_bytes_name_the_line():
    data = b"customer_code,result,reason\r\n101,paid,\r\n102,failed,\x82\r\n"

    message = _refusal(data)

    assert "line 3" in message


def test_bank_results_parse_empty_file_is_refused():
    _refusal(b"")
    _refusal(b"\xef\xbb\xbf\r\n\r\n")
