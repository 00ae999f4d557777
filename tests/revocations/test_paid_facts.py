"""A revocation reads what the company was paid, and when, from the payment ledger."""

from __future__ import annotations

import pytest

from audit.services import subject_ref
from letters.models import Letter
from payments.models import Payment
from payments.selectors import payment_received
from revocations import services

from .conftest import GRANTED_AMOUNT, REASON

pytestmark = pytest.mark.django_db


def test_revocation_prepare_takes_paid_amount_and_day_from_the_payment_ledger(
    paid, people, deadline
):
    # given the payment notice is not there to read back (the ledger is the record of money out)
    subject_type, subject_id = subject_ref(paid)
    Letter.objects.filter(
        kind=Letter.Kind.PAYMENT_NOTICE, subject_type=subject_type, subject_id=subject_id
    ).delete()
    payment = Payment.objects.select_related("item__batch").get(application=paid)
    # when a part of the grant is revoked after payment
    revocation = services.revocation_prepare(
        application_id=paid.pk,
        by=people.staff,
        reason=REASON,
        revoked_amount=50_000,
        repayment_deadline=deadline,
    )
    # then the repayment is computed from the payment row and its transfer date
    assert payment_received(paid.pk).amount == payment.amount == GRANTED_AMOUNT
    assert revocation.paid_amount == GRANTED_AMOUNT
    assert revocation.interest_from == payment.item.batch.transfer_date
    assert revocation.repayment_amount == 50_000
