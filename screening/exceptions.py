"""Refusals of the committee screening, each with a stable code for the API."""

from core.errors import InvalidState, KofuError, NotAllowed, ValidationFailed

__all__ = [
    "DeadlinePassed",
    "DepartureUnexplained",
    "InvalidState",
    "NotAllowed",
    "NotEnoughReviewers",
    "ReviewNotFound",
    "SameMemberApproves",
    "ValidationFailed",
]


class ReviewNotFound(KofuError):
    """Nothing the user may see: also the answer to a conflicted reviewer, so that the
    refusal does not reveal which company they asked about."""

    code = "not_found"
    http_status = 404


class NotEnoughReviewers(KofuError):
    code = "not_enough_reviewers"
    http_status = 409


class DeadlinePassed(KofuError):
    code = "deadline_passed"
    http_status = 409


class DepartureUnexplained(ValidationFailed):
    code = "departure_unexplained"


class SameMemberApproves(KofuError):
    code = "four_eyes"
    http_status = 403
