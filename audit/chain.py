"""The audit log as a hash chain.

Events are inserted unsealed inside the business transaction. Right after that transaction
commits, ``events_seal`` gives the committed, unsealed rows (in id order) the next chain
positions: ``seq`` = head + 1, ``prev_hash`` = the head's hash, ``entry_hash`` = SHA-256 of the
row's canonical content. Sealing after commit, in its own short transaction, keeps business
transactions independent of each other: appending to one chain inside them would serialise
every audited transaction and deadlock against their row locks.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent

GENESIS_HASH = "0" * 64
# pg_advisory_xact_lock key of the sealer ("KofuAudt"); SQLite writers queue anyway
# (transaction_mode IMMEDIATE in settings).
SEAL_LOCK_KEY = 0x4B6F667541756474
HASHED_FIELDS = (
    "occurred_at",
    "actor_id",
    "actor_role",
    "action",
    "subject_type",
    "subject_id",
    "from_status",
    "to_status",
    "reason",
    "data",
    "request_id",
)
_CHAIN_FIELDS = ("id", "seq", "prev_hash", "entry_hash", *HASHED_FIELDS)


def _utc_iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry_hash_compute(row: Mapping[str, Any], *, seq: int, prev_hash: str) -> str:
    """SHA-256 (hex) of sorted-key compact JSON of the row's content as read back from the
    database, its chain position and the previous entry's hash."""
    content = {field: row[field] for field in HASHED_FIELDS}
    content["occurred_at"] = _utc_iso(row["occurred_at"])
    content["seq"] = seq
    content["prev_hash"] = prev_hash
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


# --- sealing -------------------------------------------------------------------------------


def _chain_lock() -> None:
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SEAL_LOCK_KEY])


def _head() -> tuple[int, str]:
    head = (
        AuditEvent.objects.filter(seq__isnull=False)
        .order_by("-seq")
        .values_list("seq", "entry_hash")
        .first()
    )
    return head or (0, GENESIS_HASH)


def _seal_batch(batch_size: int) -> int:
    with transaction.atomic():
        _chain_lock()
        seq, prev_hash = _head()
        rows = list(
            AuditEvent.objects.filter(seq__isnull=True)
            .order_by("id")
            .values("id", *HASHED_FIELDS)[:batch_size]
        )
        sealed = []
        for row in rows:
            seq += 1
            entry_hash = entry_hash_compute(row, seq=seq, prev_hash=prev_hash)
            sealed.append((seq, prev_hash, entry_hash, row["id"]))
            prev_hash = entry_hash
        if sealed:
            _seal_write(sealed)
    return len(rows)


def _seal_write(sealed: list[tuple[int, str, str, int]]) -> None:
    """One UPDATE from a VALUES list for the whole batch: Django's CASE-per-row bulk_update is
    quadratic on SQLite, and executemany does not mix with pghistory's context injection."""
    table = AuditEvent._meta.db_table
    rows = ", ".join(["(%s, %s, %s, %s)"] * len(sealed))
    sql = (
        f"WITH v(seq, prev_hash, entry_hash, id) AS (VALUES {rows}) "  # noqa: S608
        f"UPDATE {table} SET seq = v.seq, prev_hash = v.prev_hash, entry_hash = v.entry_hash "
        f"FROM v WHERE {table}.id = v.id AND {table}.seq IS NULL"
    )
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(sql, [value for row in sealed for value in row])


def events_seal(*, batch_size: int = 500) -> int:
    """Seal every committed, unsealed event into the chain; returns how many. Call it outside
    a transaction (it runs after commit); two sealers queue on one lock."""
    total = 0
    while True:
        count = _seal_batch(batch_size)
        total += count
        if count < batch_size:
            return total


def seal_after_commit() -> None:
    """Seal once the current transaction commits: one sealer per transaction, however many
    events it writes. A rolled-back savepoint drops its sealer, so the next event adds one."""
    connection = connections[DEFAULT_DB_ALIAS]
    pending = getattr(connection, "_kofu_audit_sealer", None)
    if (
        pending is not None
        and connection.in_atomic_block
        and any(callback is pending for _, callback, _ in connection.run_on_commit)
    ):
        return

    def seal() -> None:
        if getattr(connection, "_kofu_audit_sealer", None) is seal:
            connection._kofu_audit_sealer = None
        events_seal()

    connection._kofu_audit_sealer = seal
    # robust: the business transaction has committed; a failed seal is retried by audit_seal
    transaction.on_commit(seal, robust=True)


# --- verification --------------------------------------------------------------------------


@dataclass(frozen=True)
class BrokenEntry:
    seq: int | None
    id: int


@dataclass(frozen=True)
class ChainResult:
    """``first_broken`` is the first entry that fails, ``problem`` says how (``code`` is its
    stable name: changed, missing, out_of_order, unsealed)."""

    ok: bool
    checked: int
    head_hash: str
    unsealed: int
    first_broken: BrokenEntry | None = None
    problem: str = ""
    code: str = ""


def _link_problem(row: Mapping[str, Any], seq: int, prev_hash: str) -> tuple[str, str] | None:
    if row["seq"] < seq:
        return "out_of_order", str(_("its position %(seq)s is out of order") % {"seq": row["seq"]})
    if row["seq"] == seq + 1:
        return "missing", str(_("entry %(seq)s before it is missing") % {"seq": seq})
    if row["seq"] > seq:
        return "missing", str(
            _("entries %(first)s–%(last)s before it are missing")
            % {"first": seq, "last": row["seq"] - 1}
        )
    if row["prev_hash"] != prev_hash:
        return "out_of_order", str(
            _(
                "it does not follow the entry before it (its previous-entry hash differs): "
                "entries were reordered or the one before it was rewritten"
            )
        )
    if entry_hash_compute(row, seq=row["seq"], prev_hash=prev_hash) != row["entry_hash"]:
        return "changed", str(_("its content no longer matches its hash: the entry was changed"))
    return None


def _unsealed_problem(grace_minutes: int) -> tuple[BrokenEntry, str] | None:
    cutoff = timezone.now() - dt.timedelta(minutes=grace_minutes)
    stale = (
        AuditEvent.objects.filter(seq__isnull=True, occurred_at__lt=cutoff)
        .order_by("id")
        .values_list("id", flat=True)
        .first()
    )
    if stale is None:
        return None
    return BrokenEntry(seq=None, id=stale), str(
        _("it has been unsealed for more than %(minutes)s minutes (run audit_seal)")
        % {"minutes": grace_minutes}
    )


def chain_verify(*, grace_minutes: int | None = None, chunk_size: int = 2000) -> ChainResult:
    """Walk the chain in seq order (a chunk at a time), recompute each hash, check each link
    and that no position is missing; then that no event stayed unsealed too long."""
    if grace_minutes is None:
        grace_minutes = settings.KOFU_AUDIT_UNSEALED_GRACE_MINUTES
    unsealed = AuditEvent.objects.filter(seq__isnull=True).count()
    seq, prev_hash, checked = 1, GENESIS_HASH, 0
    sealed = AuditEvent.objects.filter(seq__isnull=False).order_by("seq").values(*_CHAIN_FIELDS)
    while True:
        # the first chunk starts below 1 too, so that a row moved to seq 0 is named
        rows = list((sealed.filter(seq__gte=seq) if checked else sealed)[:chunk_size])
        for row in rows:
            problem = _link_problem(row, seq, prev_hash)
            if problem is not None:
                code, text = problem
                broken = BrokenEntry(seq=row["seq"], id=row["id"])
                return ChainResult(False, checked, prev_hash, unsealed, broken, text, code)
            checked, seq, prev_hash = checked + 1, seq + 1, row["entry_hash"]
        if len(rows) < chunk_size:
            break
    stale = _unsealed_problem(grace_minutes)
    if stale is not None:
        return ChainResult(False, checked, prev_hash, unsealed, stale[0], stale[1], "unsealed")
    return ChainResult(True, checked, prev_hash, unsealed)
