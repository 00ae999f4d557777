"""Reads of promotion declarations: who holds one, the public list, a user's own."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.selectors import company_id_of_user
from core.corrections import correction_open_of
from core.dates import today_jst
from core.roles import is_staff_side

from .models import Declaration, DeclarationCorrection

Status = Declaration.Status


def company_has_registered_declaration(company_id: int, on: dt.date | None = None) -> bool:
    """Whether the company holds a registered declaration whose period includes ``on``
    (default: today in Japan)."""
    on = on or today_jst()
    return Declaration.objects.filter(
        company_id=company_id,
        status=Status.REGISTERED,
        period_start__lte=on,
        period_end__gte=on,
    ).exists()


def published_declarations(search: str = "") -> QuerySet[Declaration]:
    """Registered declarations whose company consented to publication, by registration number;
    ``search`` narrows them to a company name, its kana, its 法人番号 or words of the goals."""
    queryset = Declaration.objects.filter(status=Status.REGISTERED, publish_consent=True)
    for word in search.split():
        queryset = queryset.filter(
            Q(company__name__icontains=word)
            | Q(company__name_kana__icontains=word)
            | Q(company__corporate_number=word)
            | Q(goals__icontains=word)
        )
    return queryset.select_related("company").order_by("registration_number")


def open_correction(declaration: Declaration) -> DeclarationCorrection | None:
    """The return for correction still waiting for the company's answer, if any."""
    return correction_open_of(declaration)


def declarations_of_company(company_id: int) -> QuerySet[Declaration]:
    return Declaration.objects.filter(company_id=company_id).select_related("company")


def active_declaration_of_company(
    company_id: int, *, exclude_id: int | None = None
) -> Declaration | None:
    """The company's submitted, returned or registered declaration (at most one exists)."""
    queryset = Declaration.objects.filter(company_id=company_id, status__in=Declaration.ACTIVE)
    if exclude_id is not None:
        queryset = queryset.exclude(pk=exclude_id)
    return queryset.first()


def declaration_list_for_user(user: Any) -> QuerySet[Declaration]:
    """Staff-side roles see every declaration; a company member sees only their company's."""
    queryset = Declaration.objects.select_related("company")
    if is_staff_side(user):
        return queryset
    company_id = company_id_of_user(user)
    if company_id is None:
        return queryset.none()
    return queryset.filter(company_id=company_id)


def declaration_get_for_user(user: Any, declaration_id: int) -> Declaration:
    """The declaration if the user may see it; otherwise 404, whether or not it exists."""
    declaration = declaration_list_for_user(user).filter(pk=declaration_id).first()
    if declaration is None:
        raise Http404("No such declaration.")
    return declaration
