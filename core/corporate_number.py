"""法人番号 (corporate number): 13 digits, the first a check digit over the other twelve."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CORPORATE_NUMBER_LENGTH = 13


def corporate_number_check_digit(base: str) -> int:
    """Check digit for the 12-digit base: 9 - (sum of Pn*Qn mod 9), n counted from the right."""
    total = sum(int(digit) * (1 if n % 2 else 2) for n, digit in enumerate(reversed(base), start=1))
    return 9 - total % 9


def is_valid_corporate_number(value: str) -> bool:
    if len(value) != CORPORATE_NUMBER_LENGTH or not value.isascii() or not value.isdigit():
        return False
    return int(value[0]) == corporate_number_check_digit(value[1:])


def validate_corporate_number(value: str) -> None:
    """Django validator: refuses wrong length, non-digits and a failing check digit."""
    if len(value) != CORPORATE_NUMBER_LENGTH or not value.isascii() or not value.isdigit():
        raise ValidationError(
            _("A corporate number is exactly 13 digits (half-width); got “%(value)s”."),
            code="corporate_number_format",
            params={"value": value},
        )
    if not is_valid_corporate_number(value):
        raise ValidationError(
            _("Corporate number %(value)s fails its check digit: please check it for a typo."),
            code="corporate_number_check_digit",
            params={"value": value},
        )
