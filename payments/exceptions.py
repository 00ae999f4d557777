from core.errors import InvalidState, KofuError, NotAllowed, ValidationFailed

__all__ = [
    "BatchNotFound",
    "InvalidState",
    "NotAllowed",
    "SamePersonReleases",
    "ValidationFailed",
]


class SamePersonReleases(KofuError):
    """Four eyes: whoever prepared (or already released) a batch cannot release it."""

    code = "four_eyes"
    http_status = 403


class BatchNotFound(KofuError):
    code = "not_found"
    http_status = 404
