"""The demo's stand-in for the bank: a result file that reconciliation accepts."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from applications.models import Application
from core.dates import add_business_days, today_jst
from fixtures.demo import advance
from fixtures.payments import claim
from payments.models import Payable
from payments.services import batch_prepare, batch_release, reconciliation_import

pytestmark = pytest.mark.django_db


def test_demo_result_file_reconciles_paid_and_failed(draft, people, tmp_path):
    advance(draft, "confirmed", vars(people))
    payable = claim(draft, people.applicant)
    batch = batch_prepare(
        by=people.finance,
        transfer_date=add_business_days(today_jst(), 2),
        payable_ids=[payable.pk],
    )
    batch_release(batch_id=batch.pk, by=people.finance2)
    item = batch.items.get()
    path = tmp_path / "result.csv"

    call_command("demo_bank_results", str(batch.pk), "--fail", str(item.pk), "-o", str(path))
    reconciliation_import(batch_id=batch.pk, by=people.finance, data=path.read_bytes())

    payable.refresh_from_db()
    assert payable.status == Payable.Status.PAYABLE
    assert payable.failure_reason == "口座なし"
    assert Application.objects.get(pk=draft.pk).status == Application.Status.CONFIRMED
