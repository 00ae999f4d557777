from core.errors import InvalidState, KofuError, NotAllowed, ValidationFailed

__all__ = ["InvalidState", "KofuError", "NotAllowed", "ValidationFailed"]
