from core.errors import InvalidState, KofuError, NotAllowed, ValidationFailed

__all__ = [
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
    code = "budget_exceeded"
    http_status = 409


class SamePersonDecides(KofuError):
    code = "four_eyes"
    http_status = 403
