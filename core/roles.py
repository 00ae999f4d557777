"""Roles are Django groups; each grants model permissions named here by string so that this
lowest layer depends on no app."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


class Role(StrEnum):
    APPLICANT = "applicant"
    STAFF = "staff"
    APPROVER = "approver"
    FINANCE = "finance"
    AUDITOR = "auditor"
    REVIEWER = "reviewer"  # a member of a screening committee (often from outside the prefecture)
    ADMIN = "admin"
    SYSTEM = "system"  # timers and background jobs; never a group


_PROCESS_VIEW = "workflows.view_subsidyprocess"
_BATCH_VIEW = "workflows.view_letterbatchprocess"
_DECLARATION_VIEW = "workflows.view_declarationprocess"
_NOMINATION_VIEW = "workflows.view_nominationprocess"
_COMMITTEE_VIEW = "workflows.view_committeeprocess"
_PROGRAMME_VIEWS = [_PROCESS_VIEW, _DECLARATION_VIEW, _NOMINATION_VIEW, _COMMITTEE_VIEW]

ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.APPLICANT: [],
    Role.STAFF: [
        *_PROGRAMME_VIEWS,
        _BATCH_VIEW,
        "applications.check_documents",
        "applications.screen_application",
        "applications.check_results",
        "applications.view_application",
        "outcomes.check_outcome_report",
        "declarations.check_declaration",
        "awards.check_nomination",
        "screening.manage_panel",
    ],
    Role.APPROVER: [
        *_PROGRAMME_VIEWS,
        "applications.decide_grant",
        "applications.view_application",
        "screening.approve_committee_decision",
    ],
    Role.FINANCE: [_PROCESS_VIEW, "applications.release_payment", "applications.view_application"],
    Role.AUDITOR: [
        *_PROGRAMME_VIEWS,
        _BATCH_VIEW,
        "applications.view_application",
        "audit.view_auditevent",
    ],
    Role.REVIEWER: ["screening.score_review"],
    Role.ADMIN: [*_PROGRAMME_VIEWS, _BATCH_VIEW, "workflows.manage_subsidyprocess"],
}

STAFF_SIDE_ROLES = frozenset({Role.STAFF, Role.APPROVER, Role.FINANCE, Role.AUDITOR, Role.ADMIN})
# Roles whose sessions end after KOFU_STAFF_IDLE_TIMEOUT_MINUTES without a request.
IDLE_TIMEOUT_ROLES = STAFF_SIDE_ROLES | {Role.REVIEWER}


def user_roles(user: AbstractBaseUser | AnonymousUser | None) -> set[Role]:
    if user is None or not user.is_authenticated:
        return set()
    cached = getattr(user, "_kofu_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))  # type: ignore[union-attr]
        cached = {role for role in Role if role.value in names}
        if user.is_superuser:
            cached.add(Role.ADMIN)
        user._kofu_roles = cached  # type: ignore[union-attr]
    return cached


def has_role(user: AbstractBaseUser | AnonymousUser | None, role: Role) -> bool:
    return role in user_roles(user)


def is_staff_side(user: AbstractBaseUser | AnonymousUser | None) -> bool:
    return bool(user_roles(user) & STAFF_SIDE_ROLES)


def is_auditor(user: AbstractBaseUser | AnonymousUser | None) -> bool:
    """May read the audit trail: auditors and administrators."""
    return bool(user_roles(user) & {Role.AUDITOR, Role.ADMIN})


def roles_sync() -> None:
    """Create one group per role and grant exactly the permissions listed above."""
    from django.contrib.auth.models import Group, Permission

    for role, permission_names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role.value)
        permissions = []
        for name in permission_names:
            app_label, codename = name.split(".")
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is not None:
                permissions.append(permission)
        group.permissions.set(permissions)
