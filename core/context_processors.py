from django.http import HttpRequest

from .roles import Role, has_role, is_auditor, is_staff_side


def roles(request: HttpRequest) -> dict[str, bool]:
    """Which work pages the header should offer: staff tasks, committee reviews, the finance
    pages (finance staff act there; auditors read them), the audit trail."""
    user = getattr(request, "user", None)
    return {
        "is_staff_side": is_staff_side(user),
        "is_reviewer": has_role(user, Role.REVIEWER),
        "is_finance": has_role(user, Role.FINANCE) or has_role(user, Role.AUDITOR),
        "is_auditor": is_auditor(user),
        # roles that do staff steps (document checks, screening, decisions)
        "takes_steps": any(
            has_role(user, role) for role in (Role.STAFF, Role.APPROVER, Role.ADMIN)
        ),
        "is_admin": has_role(user, Role.ADMIN),
    }
