"""Who may fire which transition: used as django-fsm-2 ``permission=`` callables."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from accounts.selectors import company_id_of_user
from core.roles import Role, has_role


def role_required(role: Role) -> Callable[[Any, Any], bool]:
    def check(instance: Any, user: Any) -> bool:
        return has_role(user, role)

    check.__name__ = f"role_{role.value}"
    return check


def company_member(instance: Any, user: Any) -> bool:
    """An applicant acting for their own company."""
    return has_role(user, Role.APPLICANT) and company_id_of_user(user) == instance.company_id


def system_only(instance: Any, user: Any) -> bool:
    """No person fires this transition; timers and jobs do, through their service."""
    return False
