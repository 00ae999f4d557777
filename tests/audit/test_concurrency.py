"""Many transactions writing events at once, each on its own connection, make one chain."""

import pytest
from django.db import transaction

from applications.models import Application
from audit.chain import chain_verify
from audit.models import AuditEvent
from audit.services import event_record
from core.roles import Role
from tests.concurrency import THREADS, outcome_names, run_concurrently

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_transactions_produce_one_gap_free_chain(draft, people):
    # given every thread's transaction writes events before and after taking one row lock
    def write(index):
        with transaction.atomic():
            event_record(draft, "note", by=people.staff, role=Role.STAFF, data={"i": index})
            Application.objects.select_for_update().get(pk=draft.pk)
            for step in range(3):
                event_record(draft, "note", by=people.staff, role=Role.STAFF, data={"s": step})
        return index

    # when they all commit at once
    outcomes = run_concurrently(write)

    # then each commit was sealed into the chain, in one unbroken line
    assert outcome_names(outcomes) == {"int": THREADS}, outcomes
    assert not AuditEvent.objects.filter(seq=None).exists()
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    assert AuditEvent.objects.filter(action="note").count() == THREADS * 4
    result = chain_verify()
    assert result.ok, result
    assert result.checked == AuditEvent.objects.count()
