from core.errors import InvalidState, KofuError, NotAllowed

__all__ = ["InvalidState", "LetterNotReady", "NotAllowed"]


class LetterNotReady(KofuError):
    code = "letter_not_ready"
    http_status = 409
