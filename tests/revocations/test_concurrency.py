"""Concurrent decisions and repayments, on PostgreSQL with real threads and connections."""

import pytest

from applications.models import Application
from audit.models import AuditEvent
from letters.models import Letter
from revocations import services
from revocations.models import Revocation
from tests.concurrency import THREADS, outcome_names, run_concurrently

from .conftest import GRANTED_AMOUNT, REASON, at

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_decisions_revoke_once_with_one_notice(paid, people, deadline):
    prepared = services.revocation_prepare(
        application_id=paid.pk,
        by=people.staff,
        reason=REASON,
        revoked_amount=GRANTED_AMOUNT,
        repayment_deadline=deadline,
    )
    approvers = [people.approver, people.approver2]

    outcomes = run_concurrently(
        lambda i: services.revocation_decide(revocation_id=prepared.pk, by=approvers[i % 2])
    )

    assert outcome_names(outcomes) == {"Revocation": 1, "InvalidState": THREADS - 1}, outcomes
    assert Application.objects.get(pk=paid.pk).status == Application.Status.REVOKED
    assert Letter.objects.filter(kind=Letter.Kind.REVOCATION).count() == 1
    assert AuditEvent.objects.filter(action="revoke", subject_id=str(paid.pk)).count() == 1


def test_concurrent_final_repayments_record_one(ordered, people, time_machine):
    settle_on = ordered.interest_from
    time_machine.move_to(at(settle_on), tick=False)

    outcomes = run_concurrently(
        lambda i: services.repayment_record(
            revocation_id=ordered.pk,
            by=people.finance,
            amount=GRANTED_AMOUNT,
            received_on=settle_on,
        )
    )

    assert outcome_names(outcomes) == {"RepaymentReceipt": 1, "InvalidState": THREADS - 1}, outcomes
    ordered.refresh_from_db()
    assert ordered.status == Revocation.Status.SETTLED
    assert ordered.receipts.count() == 1
