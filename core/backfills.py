"""Data backfills that several apps' migrations run; they take the migration's ``apps``."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Cast, Coalesce


def received_at_backfill(apps: Any, *, model: str, subject_type: str) -> None:
    """Set ``received_at`` (受付日) of submitted records to their first "submit" in the audit log
    (a resubmission is logged as "resubmit"); without one, the submission time on the row is the
    best there is. ``model`` is "app_label.ModelName"; ``subject_type`` as the audit log has it."""
    Record = apps.get_model(model)
    AuditEvent = apps.get_model("audit", "AuditEvent")
    first_submit = (
        AuditEvent.objects.filter(
            subject_type=subject_type,
            subject_id=Cast(OuterRef("pk"), models.CharField()),
            action="submit",
        )
        .order_by("occurred_at", "id")
        .values("occurred_at")[:1]
    )
    Record.objects.filter(submitted_at__isnull=False).update(
        received_at=Coalesce(Subquery(first_submit), "submitted_at")
    )
