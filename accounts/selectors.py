from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from core.roles import Role

from .models import ApiToken, Profile

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


def company_id_of_user(user: AbstractBaseUser | AnonymousUser | None) -> int | None:
    if user is None or not user.is_authenticated:
        return None
    cached = getattr(user, "_kofu_company_id", "unset")
    if cached == "unset":
        cached = Profile.objects.filter(user=user).values_list("company_id", flat=True).first()
        user._kofu_company_id = cached  # type: ignore[union-attr]
    return cached


def users_with_role(role: str) -> QuerySet:
    """Active users holding a role, with their profiles (for their language)."""
    return (
        get_user_model()
        .objects.filter(groups__name=role, is_active=True)
        .select_related("profile")
        .distinct()
    )


def language_of_user(user: AbstractBaseUser) -> str:
    """The user's language; no query when the profile came along (select_related)."""
    try:
        return user.profile.language  # type: ignore[attr-defined]
    except Profile.DoesNotExist:
        return Profile.Language.JA


def company_applicants(*company_ids: int) -> list:
    """The users who act for these companies in the portal, with their profiles (for their
    language); a reviewer employed there is not one of them."""
    return list(
        get_user_model()
        .objects.filter(
            profile__company_id__in=company_ids, groups__name=Role.APPLICANT, is_active=True
        )
        .select_related("profile")
        .distinct()
        .order_by("pk")
    )


def api_token_list_for_user(user: AbstractBaseUser) -> QuerySet:
    """The user's own API tokens, newest first, revoked and expired ones included."""
    return ApiToken.objects.filter(user=user)
