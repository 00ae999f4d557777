"""The KPI dashboard's reads: a handful of SQL statements that aggregate in the database and
return small frames (counts by fiscal year, one row per round), plus one narrow read of the
applications' milestones as stage durations in days for the percentiles.

Fiscal years (April–March) and deadlines are computed in SQL in Japan time, so that the rows
never cross into Python one by one; the few dialect differences live in ``_Dialect``. Nothing
here reads the audit log: the milestones on ``Application`` exist so that timings need not
replay it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from applications.models import Application, SubsidyRound, TrainingLine
from awards.models import Nomination
from core.dates import JST
from declarations.models import Declaration
from outcomes.selectors import outcome_reports_due
from payments.selectors import paid_by_round
from revocations.models import RepaymentReceipt, Revocation

Status = Application.Status

# Granted: a grant decision was made (whatever happened after it). Decided adds the
# non-grant decisions (rejected).
GRANTED_STATUSES = (
    Status.GRANTED,
    Status.RESULTS_SUBMITTED,
    Status.RESULTS_CHECKED,
    Status.CONFIRMED,
    Status.PAID,
    Status.REVOKED,
)


@dataclass(frozen=True)
class Stage:
    """A processing stage: from one milestone on ``Application`` to the next."""

    key: str
    start: str
    end: str


STAGES = (
    Stage("document_check", "submitted_at", "documents_accepted_at"),
    Stage("screening", "documents_accepted_at", "screened_at"),
    Stage("decision", "screened_at", "decided_at"),
    Stage("results_check", "results_submitted_at", "results_checked_at"),
    Stage("confirmation", "results_checked_at", "confirmed_at"),
    Stage("payment", "confirmed_at", "paid_at"),
    Stage("application_total", "submitted_at", "decided_at"),
    Stage("results_total", "results_submitted_at", "paid_at"),
)

# The columns the round query returns; ``paid`` and ``paid_amount`` join them from the payment
# ledger (payments.selectors), the one definition of "paid".
_QUERY_COLUMNS = [
    "round_id",
    "name",
    "fiscal_year",
    "budget",
    "results_report_deadline",
    "submitted",
    "withdrawn",
    "lapsed",
    "granted",
    "rejected",
    "revoked",
    "decided_amount",
    "results_late",
    "results_missing",
]
ROUND_COLUMNS = [
    *_QUERY_COLUMNS[: _QUERY_COLUMNS.index("decided_amount")],
    "paid",
    "decided_amount",
    "paid_amount",
    *_QUERY_COLUMNS[_QUERY_COLUMNS.index("decided_amount") + 1 :],
]


class _Dialect:
    """The SQL that differs between SQLite and PostgreSQL: Japan-time fiscal years, timestamps
    as numbers, the end of a day in Japan, join order. Japan keeps no daylight saving time, so
    +9 hours is exact."""

    def __init__(self, vendor: str) -> None:
        self.postgres = vendor == "postgresql"

    def fiscal_year(self, column: str) -> str:
        if self.postgres:
            return (
                f"CAST(EXTRACT(YEAR FROM ({column} AT TIME ZONE 'Asia/Tokyo') "
                "- INTERVAL '3 months') AS integer)"
            )
        return f"CAST(strftime('%%Y', {column}, '+9 hours', '-3 months') AS integer)"

    def instant(self, column: str) -> str:
        """A timestamp as a number (NULL stays NULL) in units of ``instant_unit`` days, the
        cheapest for each to compute and fetch: SQLite's julianday (days, float), PostgreSQL's
        whole seconds (psycopg loads integers far faster than floats or numerics)."""
        if self.postgres:
            return f"CAST(date_part('epoch', {column}) AS bigint)"
        return f"julianday({column})"

    @property
    def instant_unit(self) -> float:
        return 1 / 86_400 if self.postgres else 1.0

    def day_after(self, day_column: str) -> str:
        """Midnight (JST) after the date in ``day_column``, comparable with stored timestamps."""
        if self.postgres:
            return f"(({day_column} + 1)::timestamp AT TIME ZONE 'Asia/Tokyo')"
        return f"datetime({day_column}, '+1 day', '-9 hours')"

    def driving_join(self) -> str:
        """Join keyword that keeps the left table as the outer loop. SQLite's planner otherwise
        walks the applications through an index and fetches each row at random, about twice
        as slow over 100,000 of them; PostgreSQL plans these joins well on its own."""
        return "JOIN" if self.postgres else "CROSS JOIN"


def _dialect() -> _Dialect:
    return _Dialect(connection.vendor)


def _quoted(value: str) -> str:
    """One of our own status constants as an SQL literal (never user input)."""
    return f"'{value}'"


def _in(values: Sequence[str]) -> str:
    return "(" + ", ".join(map(_quoted, values)) + ")"


def _counts(sql: str, params: Sequence[object]) -> pd.Series:
    """Rows of (fiscal_year, count) as a Series indexed by fiscal year."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    years = [int(year) for year, _count in rows]
    return pd.Series(
        [int(count) for _year, count in rows],
        index=pd.Index(years, dtype="int64", name="fiscal_year"),
        dtype="int64",
    ).sort_index()


def declarations_first_registered() -> pd.Series:
    """Companies by the fiscal year (JST) of their first registered declaration. A declaration
    counts once registered, whatever happened later (withdrawn, expired)."""
    table = Declaration._meta.db_table
    year = _dialect().fiscal_year("first_registered")
    sql = (
        f"SELECT {year} AS fiscal_year, COUNT(*) FROM ("  # noqa: S608 (our table and SQL)
        f"  SELECT company_id, MIN(registered_at) AS first_registered FROM {table}"
        "   WHERE registered_at IS NOT NULL GROUP BY company_id"
        ") AS first GROUP BY 1"
    )
    return _counts(sql, [])


def commended_pairs() -> pd.DataFrame:
    """One row per company commended in an award round: (company_id, the round's fiscal year)."""
    rows = (
        Nomination.objects.filter(status=Nomination.Status.COMMENDED)
        .values_list("company_id", "round__fiscal_year")
        .distinct()
    )
    frame = pd.DataFrame(list(rows), columns=["entity", "fiscal_year"])
    return frame.astype({"entity": "int64", "fiscal_year": "int64"})


def subsidy_users_first_paid(since: int) -> pd.Series:
    """Trainees (company + trainee name, spaces ignored) of paid applications, by the fiscal
    year (JST) of the first payment since fiscal year ``since`` that included them."""
    dialect = _dialect()
    lines, applications = TrainingLine._meta.db_table, Application._meta.db_table
    paid_year = dialect.fiscal_year("a.paid_at")
    # Half-width and full-width spaces: "佐藤 花子" and "佐藤　花子" are one person.
    name = "REPLACE(REPLACE(t.trainee_name, ' ', ''), '\u3000', '')"
    sql = (
        "SELECT first_year, COUNT(*) FROM ("  # noqa: S608 (our tables and SQL)
        f"  SELECT a.company_id, {name} AS trainee, MIN({paid_year}) AS first_year"
        f"  FROM {lines} t {dialect.driving_join()} {applications} a ON a.id = t.application_id"
        "   WHERE a.status = %s AND a.paid_at >= %s"
        f"  GROUP BY a.company_id, {name}"
        ") AS trainees GROUP BY first_year"
    )
    start = connection.ops.adapt_datetimefield_value(dt.datetime(since, 4, 1, tzinfo=JST))
    return _counts(sql, [Status.PAID.value, start])


@dataclass(frozen=True)
class BudgetLedger:
    """A round's budget as a ledger, in yen.

    ``granted`` (every grant decision) less ``unspent`` (不用額: granted but not confirmed) less
    ``revoked`` is ``committed``, what the grants still hold; ``available`` is what the round can
    still grant, the budget less the budget guard's running total. The two are kept apart so
    that ``available + committed == budget`` checks the guard against the records. ``confirmed``
    and ``paid`` (the payment ledger) count every confirmation and payment, a revoked grant's
    included; ``repaid`` is what companies returned under repayment orders (加算金 included).
    """

    round_id: int
    budget: int
    granted: int
    confirmed: int
    paid: int
    unspent: int
    revoked: int
    repaid: int
    committed: int
    available: int


def _sums_by_round(queryset: QuerySet, **sums: Sum) -> dict[int, dict[str, int]]:
    rows = (
        queryset.order_by()
        .values("round_id")
        .annotate(**{name: Coalesce(total, 0) for name, total in sums.items()})
    )
    return {row.pop("round_id"): row for row in rows}


def budget_ledgers() -> dict[int, BudgetLedger]:
    """The budget ledger of every subsidy round, by round id (a few grouped queries)."""
    confirmed = Q(confirmed_amount__isnull=False)
    applications = _sums_by_round(
        Application.objects.filter(decided_amount__isnull=False),
        granted=Sum("decided_amount"),
        confirmed=Sum("confirmed_amount"),
        unspent=Sum(F("decided_amount") - F("confirmed_amount"), filter=confirmed),
    )
    decided = Q(status__in=[Revocation.Status.ORDERED, Revocation.Status.SETTLED])
    revoked = _sums_by_round(
        Revocation.objects.filter(decided).annotate(round_id=F("application__round_id")),
        revoked=Sum("revoked_amount"),
    )
    repaid = _sums_by_round(
        RepaymentReceipt.objects.annotate(round_id=F("revocation__application__round_id")),
        repaid=Sum("amount"),
    )
    paid = paid_by_round()
    ledgers = {}
    for round_id, budget, committed_total in SubsidyRound.objects.values_list(
        "pk", "budget", "committed_total"
    ):
        figures = applications.get(round_id, {})
        granted, unspent = figures.get("granted", 0), figures.get("unspent", 0)
        taken_back = revoked.get(round_id, {}).get("revoked", 0)
        ledgers[round_id] = BudgetLedger(
            round_id=round_id,
            budget=budget,
            granted=granted,
            confirmed=figures.get("confirmed", 0),
            paid=paid[round_id].amount if round_id in paid else 0,
            unspent=unspent,
            revoked=taken_back,
            repaid=repaid.get(round_id, {}).get("repaid", 0),
            committed=granted - unspent - taken_back,
            available=budget - committed_total,
        )
    return ledgers


def round_budget_ledger(round_id: int) -> BudgetLedger:
    """One round's budget ledger."""
    return budget_ledgers()[round_id]


LEDGER_COLUMNS = {
    "confirmed_amount": "confirmed",
    "unspent_amount": "unspent",
    "revoked_amount": "revoked",
    "repaid_amount": "repaid",
    "committed_amount": "committed",
    "remaining_amount": "available",
}


def round_figures(today: dt.date) -> pd.DataFrame:
    """One row per subsidy round: its funnel counts, amounts (integer yen) and breaches of the
    results-report deadline (late, or still missing after ``today``). ``paid`` and
    ``paid_amount`` are the payment ledger's: applications paid and the yen paid to them; the
    ``LEDGER_COLUMNS`` are the round's budget ledger (``remaining_amount``: still available)."""
    dialect = _dialect()
    rounds, applications = SubsidyRound._meta.db_table, Application._meta.db_table
    granted = _in(GRANTED_STATUSES)
    withdrawn, lapsed, rejected = (
        _quoted(Status.WITHDRAWN),
        _quoted(Status.LAPSED),
        _quoted(Status.REJECTED),
    )
    revoked, waiting = _quoted(Status.REVOKED), _quoted(Status.GRANTED)
    # The applications are read in one pass (``+round_id``: not through the round index, whose
    # order costs a random row fetch per application), each round's deadline computed once.
    sql = f"""
        SELECT r.id, r.name, r.fiscal_year, r.budget, r.results_report_deadline, f.*
        FROM {rounds} r LEFT JOIN (
          SELECT +a.round_id AS round_id,
            COUNT(a.submitted_at) AS submitted,
            SUM(CASE WHEN a.status = {withdrawn} AND a.submitted_at IS NOT NULL
                THEN 1 ELSE 0 END) AS withdrawn,
            SUM(CASE WHEN a.status = {lapsed} THEN 1 ELSE 0 END) AS lapsed,
            SUM(CASE WHEN a.status IN {granted} THEN 1 ELSE 0 END) AS granted,
            SUM(CASE WHEN a.status = {rejected} THEN 1 ELSE 0 END) AS rejected,
            SUM(CASE WHEN a.status = {revoked} THEN 1 ELSE 0 END) AS revoked,
            SUM(CASE WHEN a.status IN {granted} THEN a.decided_amount ELSE 0 END)
              AS decided_amount,
            SUM(CASE WHEN a.results_submitted_at >= d.late_from AND a.status IN {granted}
                THEN 1 ELSE 0 END) AS results_late,
            SUM(CASE WHEN a.status = {waiting} AND a.results_submitted_at IS NULL AND d.overdue
                THEN 1 ELSE 0 END) AS results_missing
          FROM {applications} a {dialect.driving_join()} (
            SELECT id, {dialect.day_after("results_report_deadline")} AS late_from,
                   results_report_deadline < %s AS overdue
            FROM {rounds}
          ) d ON d.id = a.round_id
          GROUP BY +a.round_id
        ) f ON f.round_id = r.id
        ORDER BY r.fiscal_year, r.opens_at, r.id
    """  # noqa: S608 (our tables and status constants; the date is a parameter)
    with connection.cursor() as cursor:
        cursor.execute(sql, [connection.ops.adapt_datefield_value(today)])
        rows = [row[:5] + row[6:] for row in cursor.fetchall()]  # without f.round_id
    frame = pd.DataFrame(rows, columns=_QUERY_COLUMNS)
    paid = paid_by_round()
    frame["paid"] = frame["round_id"].map(lambda pk: paid[pk].count if pk in paid else 0)
    frame["paid_amount"] = frame["round_id"].map(lambda pk: paid[pk].amount if pk in paid else 0)
    ledgers = budget_ledgers()
    for column, attribute in LEDGER_COLUMNS.items():
        frame[column] = frame["round_id"].map(lambda pk, a=attribute: getattr(ledgers[pk], a))
    frame = frame[[*ROUND_COLUMNS, *LEDGER_COLUMNS]]
    numeric = [
        column
        for column in [*ROUND_COLUMNS, *LEDGER_COLUMNS]
        if column not in ("name", "results_report_deadline")
    ]
    frame[numeric] = frame[numeric].fillna(0).astype("int64")
    frame.insert(frame.columns.get_loc("granted"), "decided", frame["granted"] + frame["rejected"])
    frame["results_report_deadline"] = pd.to_datetime(frame["results_report_deadline"]).dt.date
    return frame


def outcome_reports_overdue_by_round(today: dt.date) -> pd.Series:
    """Outcome reports still owed after their due date, counted by subsidy round."""
    rows = (
        outcome_reports_due(until=today - dt.timedelta(days=1))
        .order_by()
        .values("application__round_id")
        .annotate(overdue=Count("pk"))
        .values_list("application__round_id", "overdue")
    )
    return pd.Series(dict(rows), dtype="int64")


_CHUNK = 20_000


MILESTONES = (
    "submitted_at",
    "documents_accepted_at",
    "screened_at",
    "decided_at",
    "results_submitted_at",
    "results_checked_at",
    "confirmed_at",
    "paid_at",
)


def stage_durations() -> pd.DataFrame:
    """Per submitted application: its round and each stage's duration in days (float32, NaN
    where the stage lacks an end). The milestones come as numbers, fetched in chunks straight
    into one float array; the durations are differences of its columns."""
    dialect = _dialect()
    columns = ", ".join(dialect.instant(milestone) for milestone in MILESTONES)
    table = Application._meta.db_table
    sql = f"SELECT round_id, {columns} FROM {table} WHERE submitted_at IS NOT NULL"  # noqa: S608
    chunks = []
    with connection.cursor() as cursor:
        cursor.execute(sql)
        while rows := cursor.fetchmany(_CHUNK):
            chunks.append(np.array(rows, dtype=np.float64))
    values = np.concatenate(chunks) if chunks else np.empty((0, len(MILESTONES) + 1))
    at = {milestone: values[:, index + 1] for index, milestone in enumerate(MILESTONES)}
    unit = dialect.instant_unit
    frame = pd.DataFrame(
        {
            stage.key: ((at[stage.end] - at[stage.start]) * unit).astype(np.float32)
            for stage in STAGES
        }
    )
    frame.insert(0, "round_id", values[:, 0].astype(np.int64))
    return frame
