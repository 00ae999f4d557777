"""The base of every error a user can act on: a stable code, a translated message, a field."""

from __future__ import annotations

from django.utils.functional import Promise


class KofuError(Exception):
    """A refused request. Subclasses set ``code`` and ``http_status``."""

    code = "refused"
    http_status = 400

    def __init__(
        self, message: str | Promise, *, field: str | None = None, code: str | None = None
    ):
        super().__init__(str(message))
        self.message = message
        self.field = field
        if code:
            self.code = code

    def as_dict(self) -> dict[str, str | None]:
        return {"code": self.code, "message": str(self.message), "field": self.field}


class NotAllowed(KofuError):
    """The user's role or company does not allow this action."""

    code = "not_allowed"
    http_status = 403


class InvalidState(KofuError):
    """The record is not in a status from which this action is possible."""

    code = "invalid_state"
    http_status = 409


class ValidationFailed(KofuError):
    code = "invalid"
    http_status = 400


class CorrectionDeadlineNotPassed(InvalidState):
    """A lapse was asked for before the end of the correction's answer-by day."""

    code = "correction_deadline_not_passed"


class CorrectionMissing(InvalidState):
    """A record is returned for correction but no unanswered correction says by when."""

    code = "correction_missing"


class AlreadyDone(InvalidState):
    """The step was completed a moment ago, e.g. by the same person's double click."""

    code = "already_done"


class Conflict(KofuError):
    """Another request changed the record at the same time; reading it again shows its state."""

    code = "conflict"
    http_status = 409
