"""Concurrent decisions and repayments, on PostgreSQL with real threads and connections."""

import threading
from collections import Counter

import pytest
from django.db import connection

from applications.models import Application
from audit.models import AuditEvent
from letters.models import Letter
from revocations import services
from revocations.models import Revocation

from .conftest import GRANTED_AMOUNT, REASON, at

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 10


def run_concurrently(action, count=THREADS):
    """Start ``count`` threads at one barrier; return each outcome (a value or an exception)."""
    barrier = threading.Barrier(count)
    outcomes = [None] * count

    def worker(index):
        try:
            barrier.wait()
            outcomes[index] = action(index)
        except Exception as error:  # each outcome is inspected by the test
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def outcome_names(outcomes):
    return Counter(type(outcome).__name__ for outcome in outcomes)


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
