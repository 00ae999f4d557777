"""The OpenAPI schema documents the errors every operation can answer with, in the one shape the
API's exception handler gives them: {code, message, field}."""

from __future__ import annotations

from typing import Any

ERROR_SCHEMA = {
    "type": "object",
    "description": "Every refusal: a stable `code` a client can act on, a `message` in the "
    "request's language, the `field` it is about (or null).",
    "properties": {
        "code": {"type": "string", "example": "not_found"},
        "message": {"type": "string"},
        "field": {"type": "string", "nullable": True},
        "errors": {
            "type": "object",
            "additionalProperties": True,
            "description": "Validation errors only: every field's messages.",
        },
    },
    "required": ["code", "message", "field"],
}

ERRORS = {
    "400": "The request is invalid (`code` `invalid`; `field` names the first bad field).",
    "401": "Not signed in, or the credentials are wrong.",
    "403": "Signed in, but the user's role may not do this.",
    "404": "No such record, or not one this user may see.",
    "405": "The method is not allowed here.",
    "409": "The record's state does not allow this now, or the request was already submitted.",
    "415": "The body's media type is not one the operation reads, or it cannot be parsed.",
    "422": "The Idempotency-Key was used before with a different request.",
    "429": "Too many requests: wait and try again.",
    "503": "The service is briefly unavailable (e.g. the database): try again.",
}
ON_EVERY_OPERATION = ["400", "401", "403", "404", "405", "429", "503"]
ON_WRITES = ["409", "415", "422"]
WRITES = {"post", "put", "patch", "delete"}
METHODS = WRITES | {"get", "head", "options", "trace"}


def document_errors(result: dict[str, Any], generator: Any, request: Any, public: Any) -> dict:
    """drf-spectacular postprocessing hook: one `Error` component, one response per status, and
    each operation refers to those it can answer with (its own documented ones win)."""
    components = result.setdefault("components", {})
    components.setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    responses = components.setdefault("responses", {})
    for status, description in ERRORS.items():
        responses[f"Error{status}"] = {
            "description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
    for item in result.get("paths", {}).values():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            statuses = ON_EVERY_OPERATION + (ON_WRITES if method in WRITES else [])
            documented = operation.setdefault("responses", {})
            for status in statuses:
                documented.setdefault(status, {"$ref": f"#/components/responses/Error{status}"})
    return result
