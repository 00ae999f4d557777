"""Idempotency-Keys are forgotten after a day, so the same key may be used again."""

import datetime as dt

import pytest
from django.utils import timezone

from core.models import IdempotencyRecord
from core.services import idempotency_keys_expire

pytestmark = pytest.mark.django_db


def _record(user, key: str, age: dt.timedelta) -> None:
    record = IdempotencyRecord.objects.create(
        user=user, key=key, endpoint="/api/x/", request_fingerprint="f", response_status=200
    )
    IdempotencyRecord.objects.filter(pk=record.pk).update(created_at=timezone.now() - age)


def test_idempotency_keys_expire_older_than_a_day_removed_newer_kept(people):
    _record(people.approver, "old", dt.timedelta(hours=25))
    _record(people.approver, "new", dt.timedelta(hours=23))
    assert idempotency_keys_expire() == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]
