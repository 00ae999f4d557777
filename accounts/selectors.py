from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from core.roles import Role

from .models import ApiToken, Company, Profile

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


def company_of_user(user: AbstractBaseUser | AnonymousUser | None) -> Company | None:
    """The company the user acts for, if any."""
    company_id = company_id_of_user(user)
    return None if company_id is None else Company.objects.filter(pk=company_id).first()


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


def two_factor_enrolled(user: AbstractBaseUser | AnonymousUser | None) -> bool:
    """Has the user a confirmed second factor (authenticator, passkey or recovery codes)?"""
    from django_otp import user_has_device

    if user is None or not user.is_authenticated:
        return False
    return user_has_device(user, confirmed=True)


def two_factor_required(user: AbstractBaseUser | AnonymousUser | None) -> bool:
    """Must the user pass a second factor after the password: when their role requires it
    (settings.KOFU_TWO_FACTOR_ROLES, unless KOFU_TWO_FACTOR_REQUIRED is off) or when they have
    enrolled a device of their own accord."""
    from django.conf import settings

    from core.roles import user_roles

    if user is None or not user.is_authenticated:
        return False
    if settings.KOFU_TWO_FACTOR_REQUIRED and {r.value for r in user_roles(user)} & set(
        settings.KOFU_TWO_FACTOR_ROLES
    ):
        return True
    return two_factor_enrolled(user)


def recovery_codes_left(user: AbstractBaseUser) -> int:
    """How many unused recovery codes the user has."""
    from django_otp.plugins.otp_static.models import StaticToken

    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def api_token_list_for_user(user: AbstractBaseUser) -> QuerySet:
    """The user's own API tokens, newest first, revoked and expired ones included."""
    return ApiToken.objects.filter(user=user)
