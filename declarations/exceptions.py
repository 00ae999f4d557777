from core.errors import InvalidState, KofuError, NotAllowed, ValidationFailed

__all__ = ["DeclarationActive", "InvalidState", "NotAllowed", "ValidationFailed"]


class DeclarationActive(KofuError):
    """The company already has a declaration being checked or registered."""

    code = "declaration_active"
    http_status = 409
