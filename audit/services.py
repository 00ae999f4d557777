from __future__ import annotations

from typing import Any

from django.db import models

from core.roles import Role

from .models import AuditEvent


def event_record(
    subject: models.Model,
    action: str,
    *,
    by: Any | None,
    role: Role,
    from_status: str = "",
    to_status: str = "",
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event; call it inside the transaction that makes the change."""
    return AuditEvent.objects.create(
        actor=by,
        actor_role=role.value,
        action=action,
        subject_type=subject._meta.label_lower,
        subject_id=str(subject.pk),
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        data=data or {},
    )
