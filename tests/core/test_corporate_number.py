import pytest
from django.core.exceptions import ValidationError

from core.corporate_number import (
    corporate_number_check_digit,
    is_valid_corporate_number,
    validate_corporate_number,
)

NTA = "7000012050002"  # the National Tax Agency's own number


def test_corporate_number_nta_example_is_valid():
    assert corporate_number_check_digit(NTA[1:]) == 7
    assert is_valid_corporate_number(NTA)
    validate_corporate_number(NTA)


def _single_digit_changes(number: str):
    for position in range(len(number)):
        for digit in "0123456789":
            if digit != number[position]:
                yield number[:position] + digit + number[position + 1 :]


def test_corporate_number_any_caught_single_digit_change_is_invalid():
    # the check digit cannot see 0<->9 swaps (both are 0 mod 9 when weighted); every other
    # single-digit change must be refused
    caught = 0
    for changed in _single_digit_changes(NTA):
        differs_by_nine = any(
            {a, b} == {"0", "9"} for a, b in zip(changed, NTA, strict=True) if a != b
        )
        if differs_by_nine:
            continue
        assert not is_valid_corporate_number(changed), changed
        caught += 1
    assert caught > 100


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("700001205000", "corporate_number_format"),
        ("70000120500021", "corporate_number_format"),
        ("70000120500O2", "corporate_number_format"),
        ("７０００AAAAAAAAA", "corporate_number_format"),
        ("７００００１２０５０００２", "corporate_number_format"),  # full-width digits
        ("", "corporate_number_format"),
        ("8000012050002", "corporate_number_check_digit"),
    ],
)
def test_corporate_number_bad_input_refused_with_code(value, code):
    with pytest.raises(ValidationError) as caught:
        validate_corporate_number(value)
    assert caught.value.code == code
