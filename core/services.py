"""Writes of the shared plumbing."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import IdempotencyRecord


@transaction.atomic
def idempotency_keys_expire(*, now: dt.datetime | None = None) -> int:
    """Forget Idempotency-Keys older than KOFU_IDEMPOTENCY_KEY_HOURS; return how many."""
    cutoff = (now or timezone.now()) - dt.timedelta(hours=settings.KOFU_IDEMPOTENCY_KEY_HOURS)
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted
