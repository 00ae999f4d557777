"""The KPIs' "paid" is the payment ledger's: a payment counts whatever happened since."""

from __future__ import annotations

import pytest

from core.dates import today_jst
from fixtures.demo import advance
from kpis.selectors import round_figures
from payments.selectors import paid_of_round
from revocations import services as revocations

pytestmark = pytest.mark.django_db


def test_round_figures_paid_then_revoked_agree_with_the_payment_ledger(
    draft, people, run_on_commit
):
    # given an application paid ¥187,000, then revoked in part (the company repays ¥87,000)
    paid = run_on_commit(advance, draft, "paid", vars(people))
    revocation = revocations.revocation_prepare(
        application_id=paid.pk,
        by=people.staff,
        reason="実績報告に虚偽があったため",
        revoked_amount=87_000,
        repayment_deadline=today_jst().replace(year=today_jst().year + 1),
    )
    revocations.revocation_decide(revocation_id=revocation.pk, by=people.approver)
    # when the KPIs are read
    row = round_figures(today_jst()).set_index("round_id").loc[paid.round_id]
    # then they say what the ledger says: the money was paid
    ledger = paid_of_round(paid.round_id)
    assert (ledger.count, ledger.amount) == (1, 187_000)
    assert (row["paid"], row["paid_amount"]) == (ledger.count, ledger.amount)
    assert row["revoked"] == 1
