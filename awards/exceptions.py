"""Refusals of the award's use cases, each with a stable code."""

from core.errors import InvalidState, KofuError, NotAllowed, ValidationFailed

__all__ = [
    "AlreadyNominated",
    "ConsentRequired",
    "DecisionNotApplicable",
    "DeclarationRequired",
    "InvalidState",
    "NominationIncomplete",
    "NotAllowed",
    "NotFound",
    "PanelMissing",
    "SubmissionRefused",
    "ValidationFailed",
    "WindowClosed",
]


class NotFound(KofuError):
    code = "not_found"
    http_status = 404


class SubmissionRefused(KofuError):
    code = "submission_refused"
    http_status = 422


class WindowClosed(SubmissionRefused):
    code = "window_closed"


class ConsentRequired(SubmissionRefused):
    code = "consent_required"


class DeclarationRequired(SubmissionRefused):
    code = "declaration_required"


class NominationIncomplete(SubmissionRefused):
    code = "nomination_incomplete"


class AlreadyNominated(KofuError):
    code = "already_nominated"
    http_status = 409


class PanelMissing(InvalidState):
    code = "panel_missing"


class DecisionNotApplicable(InvalidState):
    code = "decision_not_applicable"
