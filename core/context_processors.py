from django.http import HttpRequest

from .roles import is_staff_side


def roles(request: HttpRequest) -> dict[str, bool]:
    """Whether the header should offer the staff task pages."""
    return {"is_staff_side": is_staff_side(getattr(request, "user", None))}
