from applications.exceptions import SamePersonDecides
from core.errors import InvalidState, KofuError, NotAllowed, ValidationFailed

__all__ = [
    "InvalidState",
    "NotAllowed",
    "RevocationNotFound",
    "SamePersonDecides",
    "ValidationFailed",
]


class RevocationNotFound(KofuError):
    code = "not_found"
    http_status = 404
