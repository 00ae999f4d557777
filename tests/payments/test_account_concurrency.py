"""The same account registered from many sessions at once, on PostgreSQL with real threads and
connections: one registration wins, the others are refused with duplicate_account."""

import pytest

from audit.models import AuditEvent
from payments import services
from payments.models import PayeeAccount
from tests.concurrency import THREADS, outcome_names, run_concurrently

from .conftest import ACCOUNT

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_registrations_of_one_account_register_it_once(people):
    applicants = [people.applicant, people.colleague]

    outcomes = run_concurrently(
        lambda i: services.payee_account_register(by=applicants[i % 2], **ACCOUNT)
    )

    assert outcome_names(outcomes) == {"PayeeAccount": 1, "ValidationFailed": THREADS - 1}
    assert {outcome.code for outcome in outcomes if isinstance(outcome, Exception)} == {
        "duplicate_account"
    }
    assert PayeeAccount.objects.count() == 1
    assert AuditEvent.objects.filter(action="payee_account_register").count() == 1
