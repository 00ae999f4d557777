"""The audit log's hash chain: sealing after commit, and a verifier that names the first entry
a tamperer edited, deleted or moved. Runs on SQLite and PostgreSQL (where tampering must
first switch the append-only trigger off, as a superuser could)."""

import datetime as dt
from itertools import pairwise

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import timezone

from audit.chain import GENESIS_HASH, chain_verify, entry_hash_compute, events_seal
from audit.models import AuditEvent
from audit.services import event_record
from core.roles import Role
from fixtures.demo import advance

pytestmark = pytest.mark.django_db
TABLE = AuditEvent._meta.db_table


def tamper(sql, params=()):
    """Raw SQL past the trigger (PostgreSQL) the way a database superuser could."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")


def record(n, people, **kwargs):
    return [
        event_record(
            ("applications.application", str(i)), "note", by=people.staff, role=Role.STAFF, **kwargs
        )
        for i in range(n)
    ]


@pytest.fixture
def chain(people):
    """Eight sealed events after whatever the fixtures wrote; returns them in seq order."""
    record(8, people, reason="理由", data={"amount": 120_000, "items": ["a", "b"]})
    events_seal()
    return list(AuditEvent.objects.order_by("seq"))


def test_events_seal_in_id_order_each_linked_to_the_one_before(people):
    # given events written out of any particular seq order
    first = record(3, people)
    events_seal()
    later = record(2, people)

    # when
    sealed = events_seal()

    # then
    assert sealed == 2
    rows = list(AuditEvent.objects.order_by("seq"))
    assert [row.seq for row in rows] == list(range(1, len(rows) + 1))
    assert [row.id for row in rows] == sorted(row.id for row in rows)
    assert rows[0].prev_hash == GENESIS_HASH
    for before, after in pairwise(rows):
        assert after.prev_hash == before.entry_hash
    positions = {row.id: row.seq for row in rows}
    assert positions[later[0].id] == positions[first[-1].id] + 1


def test_entry_hash_covers_the_content_as_stored(chain):
    row = AuditEvent.objects.filter(seq=chain[3].seq).values().get()
    assert row["entry_hash"] == entry_hash_compute(row, seq=row["seq"], prev_hash=row["prev_hash"])
    row["reason"] = "改ざん"
    assert row["entry_hash"] != entry_hash_compute(row, seq=row["seq"], prev_hash=row["prev_hash"])


def test_events_seal_twice_changes_nothing(chain):
    assert events_seal() == 0
    assert list(AuditEvent.objects.order_by("seq").values_list("entry_hash", flat=True)) == [
        row.entry_hash for row in chain
    ]


def test_chain_verify_real_application_flow_passes(draft, people):
    # given a subsidy application taken to its confirmed amount by each role
    advance(draft, "confirmed", vars(people))
    events_seal()

    # when
    result = chain_verify()

    # then
    assert result.ok, result
    assert result.checked == AuditEvent.objects.count() > 10
    assert result.head_hash == AuditEvent.objects.order_by("-seq").first().entry_hash
    assert result.unsealed == 0


def test_chain_verify_edited_reason_names_that_entry(chain):
    tamper(f"UPDATE {TABLE} SET reason = %s WHERE seq = %s", ["書き換え", chain[4].seq])  # noqa: S608

    result = chain_verify()

    assert not result.ok
    assert (result.first_broken.seq, result.first_broken.id) == (chain[4].seq, chain[4].id)
    assert result.code == "changed"
    assert result.checked == chain[4].seq - 1


def test_chain_verify_edited_data_names_that_entry(chain):
    tamper(
        f"UPDATE {TABLE} SET data = %s WHERE seq = %s",  # noqa: S608
        ['{"amount": 1200000, "items": ["a", "b"]}', chain[2].seq],
    )

    result = chain_verify()

    assert (result.first_broken.seq, result.code) == (chain[2].seq, "changed")


def test_chain_verify_edit_with_recomputed_hash_names_the_next_entry(chain):
    # a tamperer who also recomputes the edited entry's own hash breaks the link after it
    row = AuditEvent.objects.filter(seq=chain[4].seq).values().get()
    row["reason"] = "書き換え"
    forged = entry_hash_compute(row, seq=row["seq"], prev_hash=row["prev_hash"])
    tamper(
        f"UPDATE {TABLE} SET reason = %s, entry_hash = %s WHERE seq = %s",  # noqa: S608
        [row["reason"], forged, chain[4].seq],
    )

    result = chain_verify()

    assert (result.first_broken.seq, result.code) == (chain[5].seq, "out_of_order")


def test_chain_verify_deleted_entry_names_the_entry_after_the_gap(chain):
    tamper(f"DELETE FROM {TABLE} WHERE seq = %s", [chain[3].seq])  # noqa: S608

    result = chain_verify()

    assert not result.ok
    assert (result.first_broken.seq, result.first_broken.id) == (chain[4].seq, chain[4].id)
    assert result.code == "missing"
    assert str(chain[3].seq) in result.problem


def test_chain_verify_swapped_positions_names_the_first_moved_entry(chain):
    a, b = chain[2], chain[5]
    tamper(f"UPDATE {TABLE} SET seq = -1 WHERE id = %s", [a.id])  # noqa: S608
    tamper(f"UPDATE {TABLE} SET seq = %s WHERE id = %s", [a.seq, b.id])  # noqa: S608
    tamper(f"UPDATE {TABLE} SET seq = %s WHERE id = %s", [b.seq, a.id])  # noqa: S608

    result = chain_verify()

    assert (result.first_broken.seq, result.first_broken.id) == (a.seq, b.id)
    assert result.code == "out_of_order"


def test_chain_verify_swapped_contents_names_the_first_of_the_two(chain):
    a, b = chain[3], chain[6]
    for row, other in ((a, b), (b, a)):
        tamper(
            f"UPDATE {TABLE} SET actor_role = %s, subject_id = %s WHERE id = %s",  # noqa: S608
            [other.actor_role, other.subject_id, row.id],
        )

    result = chain_verify()

    assert (result.first_broken.seq, result.code) == (a.seq, "changed")


def test_chain_verify_entry_moved_below_one_is_named(chain):
    tamper(f"UPDATE {TABLE} SET seq = 0 WHERE id = %s", [chain[-1].id])  # noqa: S608

    result = chain_verify()

    assert (result.first_broken.seq, result.first_broken.id) == (0, chain[-1].id)


def test_chain_verify_old_unsealed_event_fails_young_one_waits(chain, people):
    (young,) = record(1, people)
    assert chain_verify().ok
    assert chain_verify().unsealed == 1

    tamper(
        f"UPDATE {TABLE} SET occurred_at = %s WHERE id = %s",  # noqa: S608
        [timezone.now() - dt.timedelta(minutes=11), young.id],
    )
    result = chain_verify(grace_minutes=10)

    assert not result.ok
    assert (result.first_broken.seq, result.first_broken.id, result.code) == (
        None,
        young.id,
        "unsealed",
    )


def test_audit_verify_command_reports_count_and_head(chain, capsys):
    call_command("audit_verify")

    out = capsys.readouterr().out
    assert f"{len(chain)} entries" in out
    assert chain[-1].entry_hash in out


def test_audit_verify_command_fails_naming_the_entry(chain):
    tamper(f"UPDATE {TABLE} SET reason = %s WHERE seq = %s", ["x", chain[1].seq])  # noqa: S608

    with pytest.raises(CommandError) as failed:
        call_command("audit_verify")

    assert f"seq {chain[1].seq} (event id {chain[1].id})" in str(failed.value)
    assert failed.value.returncode != 0


def test_audit_seal_command_seals_what_is_pending(people, capsys):
    events_seal()
    record(3, people)

    call_command("audit_seal")

    assert "sealed: 3" in capsys.readouterr().out
    assert not AuditEvent.objects.filter(seq=None).exists()


def sealers():
    return [f for _, f, _ in connection.run_on_commit if f.__name__ == "seal"]


@pytest.mark.django_db(transaction=True)
def test_one_sealer_per_transaction_however_many_events(people):
    with transaction.atomic():
        record(3, people)
        assert len(sealers()) == 1

    assert not AuditEvent.objects.filter(seq=None).exists()
    assert chain_verify().ok


@pytest.mark.django_db(transaction=True)
def test_rolled_back_savepoint_drops_its_sealer_and_the_next_event_adds_one(people):
    with transaction.atomic():
        try:
            with transaction.atomic():
                record(1, people)
                raise RuntimeError("refused")
        except RuntimeError:
            pass
        assert sealers() == []
        (kept,) = record(1, people)
        assert len(sealers()) == 1

    kept.refresh_from_db()
    assert kept.seq is not None


@pytest.mark.django_db(transaction=True)
def test_committed_events_are_sealed_right_after_commit(people):
    with transaction.atomic():
        record(2, people)
    with transaction.atomic():
        record(1, people)

    assert not AuditEvent.objects.filter(seq=None).exists()
    assert chain_verify().ok
