from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from accounts.selectors import company_id_of_user
from core.roles import is_staff_side

from .models import Letter


def letter_list_for_user(user: Any) -> QuerySet[Letter]:
    """Staff-side roles see every letter; a company member only their company's."""
    letters = Letter.objects.select_related("company")
    if is_staff_side(user):
        return letters
    company_id = company_id_of_user(user)
    return letters.filter(company_id=company_id) if company_id else letters.none()


def letter_get_for_user(user: Any, letter_id: int) -> Letter:
    letter = letter_list_for_user(user).filter(pk=letter_id).first()
    if letter is None:
        raise Http404("No such letter.")
    return letter


def letters_for_subject(subject_type: str, subject_id: Any) -> QuerySet[Letter]:
    return Letter.objects.filter(subject_type=subject_type, subject_id=str(subject_id))
