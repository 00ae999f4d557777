"""The demo's stand-in for the bank: a result file that reconciliation accepts."""

from __future__ import annotations

import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

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


def released_batch(draft, people):
    advance(draft, "confirmed", vars(people))
    payable = claim(draft, people.applicant)
    batch = batch_prepare(
        by=people.finance,
        transfer_date=add_business_days(today_jst(), 2),
        payable_ids=[payable.pk],
    )
    return batch_release(batch_id=batch.pk, by=people.finance2)


def shown_reference(batch, user) -> str:
    """The batch's number as the finance page's heading shows it."""
    client = Client()
    client.force_login(user)
    html = client.get(f"/finance/batches/{batch.pk}/").content.decode()
    return re.search(r"<h1>([^<]+)</h1>", html)[1].strip()


def test_demo_result_file_accepts_the_number_the_finance_page_shows(draft, people, tmp_path):
    # given
    batch = released_batch(draft, people)
    item = batch.items.get()
    reference = shown_reference(batch, people.finance)
    path = tmp_path / "result.csv"

    # when: the batch as the page names it, the transfer by its customer code
    call_command("demo_bank_results", reference, "--fail", item.customer_code, "-o", str(path))

    # then
    assert path.read_text().splitlines() == [
        "customer_code,result,reason",
        f"{item.customer_code},failed,口座なし",
    ]
    reconciliation_import(batch_id=batch.pk, by=people.finance, data=path.read_bytes())
    assert Payable.objects.get(pk=item.payable_id).failure_reason == "口座なし"


def test_demo_result_file_unknown_batch_number_is_refused(draft, people, tmp_path):
    batch = released_batch(draft, people)
    wrong_date = f"PAY-19990101-{batch.pk:06d}"

    with pytest.raises(CommandError, match="PAY-19990101"):
        call_command("demo_bank_results", wrong_date, "-o", str(tmp_path / "r.csv"))
    with pytest.raises(CommandError):
        call_command("demo_bank_results", "no-such-batch", "-o", str(tmp_path / "r.csv"))
