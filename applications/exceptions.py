from typing import Any

from django.utils.functional import Promise

from core.errors import InvalidState, KofuError, NotAllowed, ValidationFailed

__all__ = [
    "AmountChanged",
    "BaselinesMissing",
    "BudgetExceeded",
    "InvalidState",
    "MissingDocuments",
    "NotAllowed",
    "SubmissionRefused",
    "ValidationFailed",
    "WindowClosed",
]


class SubmissionRefused(KofuError):
    code = "submission_refused"
    http_status = 422


class WindowClosed(SubmissionRefused):
    code = "window_closed"


class MissingDocuments(SubmissionRefused):
    code = "documents_missing"


class BaselinesMissing(SubmissionRefused):
    code = "baselines_missing"


class DeclarationRequired(SubmissionRefused):
    code = "declaration_required"


class BudgetExceeded(KofuError):
    """A grant the round's remaining budget cannot cover; says (and returns) what remains."""

    code = "budget_exceeded"
    http_status = 409

    def __init__(self, message: str | Promise, *, remaining: int, field: str | None = None):
        super().__init__(message, field=field)
        self.remaining = remaining

    def as_dict(self) -> dict[str, Any]:
        return {**super().as_dict(), "remaining": self.remaining}


class AmountChanged(KofuError):
    """The amount to confirm is no longer the one the approver saw."""

    code = "amount_changed"
    http_status = 409


class SamePersonDecides(KofuError):
    code = "four_eyes"
    http_status = 403
