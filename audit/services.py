from __future__ import annotations

from typing import Any

from django.db import models

from core.roles import Role

from .chain import seal_after_commit
from .context import current_request_id
from .models import AuditEvent

SubjectRef = tuple[str, str]  # ("applications.application", "42")


def subject_ref(subject: models.Model) -> SubjectRef:
    return subject._meta.label_lower, str(subject.pk)


def event_record(
    subject: models.Model | SubjectRef,
    action: str,
    *,
    by: Any | None,
    role: Role,
    from_status: str = "",
    to_status: str = "",
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event; call it inside the transaction that makes the change.

    ``subject`` is the record the event is about, or its (label, id) when only that is known.
    The event carries the current request's (or job's) id and is sealed into the hash chain
    once the transaction commits.
    """
    subject_type, subject_id = subject if isinstance(subject, tuple) else subject_ref(subject)
    event = AuditEvent.objects.create(
        actor=by,
        actor_role=role.value,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        data=data or {},
        request_id=current_request_id(),
    )
    seal_after_commit()
    return event


def document_open_record(
    subject: models.Model, *, document_id: int, sha256: str, name: str, by: Any
) -> AuditEvent | None:
    """Record that a staff-side user or a committee reviewer opened one of the subject's
    documents (an applicant opening their own company's is not recorded)."""
    from .receivers import actor_role

    role = actor_role(by)
    if role == Role.APPLICANT:
        return None
    return event_record(
        subject,
        "document_open",
        by=by,
        role=role,
        data={"document_id": document_id, "sha256": sha256, "name": name},
    )
