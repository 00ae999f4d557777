"""Permissions from roles, without a permission query per request."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from .roles import ROLE_PERMISSIONS, user_roles


class RoleModelBackend(ModelBackend):
    """Django's ModelBackend, answering first from each role's permissions
    (core.roles.ROLE_PERMISSIONS, read from the user's groups once per user object).

    Permissions granted by hand in the admin still count: they are asked of ModelBackend when
    no role grants the permission.
    """

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        if self._role_grants(user_obj, perm, obj):
            return True
        return super().has_perm(user_obj, perm, obj)

    @staticmethod
    def _role_grants(user_obj: Any, perm: str, obj: Any) -> bool:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return False
        return any(perm in ROLE_PERMISSIONS.get(role, ()) for role in user_roles(user_obj))
