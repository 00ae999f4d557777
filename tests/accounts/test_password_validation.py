"""Django's standard password validators apply wherever a password is set through a form."""

from __future__ import annotations

import pytest
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "weak",
    [
        "password1234",  # a common password
        "83920174650138",  # digits only
        "staff@example.jp1",  # too like the e-mail address
        "short-pw1",  # shorter than 12
    ],
)
def test_validate_password_weak_refused(people, weak):
    with pytest.raises(ValidationError):
        validate_password(weak, user=people.staff)


def test_set_password_form_weak_refused_strong_accepted(people):
    weak = SetPasswordForm(
        people.staff, {"new_password1": "password1234", "new_password2": "password1234"}
    )
    strong = SetPasswordForm(
        people.staff, {"new_password1": "tsukuba-plum-71", "new_password2": "tsukuba-plum-71"}
    )
    assert not weak.is_valid()
    assert "new_password2" in weak.errors
    assert strong.is_valid()
