"""On PostgreSQL the database refuses to change the audit log, except the one-time seal."""

import pytest
from django.db import DatabaseError, connection, transaction

from audit.chain import chain_verify, events_seal
from audit.models import AuditEvent
from audit.services import event_record
from core.roles import Role

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
TABLE = AuditEvent._meta.db_table


def execute(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def refused(sql, params=()):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        execute(sql, params)


@pytest.fixture
def sealed(people):
    event = event_record(
        ("applications.application", "1"), "decide", by=people.approver, role=Role.APPROVER
    )
    events_seal()
    event.refresh_from_db()
    return event


def test_trigger_rejects_update_of_a_sealed_event(sealed):
    refused(f"UPDATE {TABLE} SET reason = 'x' WHERE id = %s", [sealed.id])  # noqa: S608
    refused(f"UPDATE {TABLE} SET entry_hash = %s WHERE id = %s", ["0" * 64, sealed.id])  # noqa: S608

    assert AuditEvent.objects.get(id=sealed.id).reason == ""


def test_trigger_rejects_delete(sealed):
    refused(f"DELETE FROM {TABLE} WHERE id = %s", [sealed.id])  # noqa: S608

    assert AuditEvent.objects.filter(id=sealed.id).exists()


@pytest.mark.django_db(transaction=True)
def test_trigger_rejects_truncate(sealed):
    # (its own transaction: TRUNCATE refuses to run while the test's inserts await FK checks)
    refused(f"TRUNCATE {TABLE} CASCADE")

    assert AuditEvent.objects.filter(id=sealed.id).exists()


def test_trigger_allows_the_seal_once_and_nothing_else_with_it(people):
    event = event_record(("x.y", "1"), "note", by=None, role=Role.SYSTEM)

    # the seal may not change the content along with it
    refused(
        f"UPDATE {TABLE} SET seq = 1, entry_hash = %s, reason = 'x' WHERE id = %s",  # noqa: S608
        ["a" * 64, event.id],
    )
    assert events_seal() >= 1
    event.refresh_from_db()
    assert event.seq is not None

    # and a sealed row cannot be sealed again
    refused(f"UPDATE {TABLE} SET seq = seq + 1000 WHERE id = %s", [event.id])  # noqa: S608


def test_tampering_with_the_trigger_off_is_caught_by_the_verifier(sealed):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(f"UPDATE {TABLE} SET reason = 'x' WHERE id = %s", [sealed.id])  # noqa: S608
        cursor.execute("SET LOCAL session_replication_role = origin")

    result = chain_verify()

    assert not result.ok
    assert (result.first_broken.seq, result.first_broken.id) == (sealed.seq, sealed.id)
