"""The KPI benchmark's database: many years of a busy programme, built by bulk inserts
(``executemany`` on SQLite, ``COPY`` on PostgreSQL) in a few seconds rather than through the
services. Every application has the milestones its status implies, 1–4 trainees on 1–2 lines
each (trainees recur across a company's applications), and the audit log holds the events of
those milestones plus document uploads, sorted by time.

Run in the benchmark's build subprocess after ``migrate``; ``build(options)`` returns the row
counts and how long each insert took."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from time import perf_counter
from typing import Any

import numpy as np

FIRST_YEAR, LAST_YEAR = 2016, 2025
ROUNDS_PER_YEAR = 2
CHUNK = 50_000
DAY = np.timedelta64(1, "D")

# Status → (share of applications, the last milestone reached)
STATUSES = {
    "draft": (0.02, None),
    "withdrawn": (0.02, "submitted_at"),
    "lapsed": (0.01, "submitted_at"),
    "submitted": (0.01, "submitted_at"),
    "screening": (0.01, "documents_accepted_at"),
    "decision_pending": (0.01, "screened_at"),
    "rejected": (0.17, "decided_at"),
    "granted": (0.03, "decided_at"),
    "results_submitted": (0.01, "results_submitted_at"),
    "results_checked": (0.01, "results_checked_at"),
    "confirmed": (0.01, "confirmed_at"),
    "paid": (0.68, "paid_at"),
    "revoked": (0.01, "paid_at"),
}
# Milestone → mean days after the previous one (gamma-distributed, shape 2)
MILESTONES = {
    "submitted_at": 0.0,
    "documents_accepted_at": 5.0,
    "screened_at": 14.0,
    "decided_at": 7.0,
    "results_submitted_at": 150.0,
    "results_checked_at": 6.0,
    "confirmed_at": 4.0,
    "paid_at": 10.0,
}
ACTIONS = {
    "submitted_at": ("submit", "draft", "submitted"),
    "documents_accepted_at": ("accept_documents", "submitted", "screening"),
    "screened_at": ("record_screening", "screening", "decision_pending"),
    "decided_at": ("grant", "decision_pending", "granted"),
    "results_submitted_at": ("report_results", "granted", "results_submitted"),
    "results_checked_at": ("accept_results", "results_submitted", "results_checked"),
    "confirmed_at": ("confirm_amount", "results_checked", "confirmed"),
    "paid_at": ("mark_paid", "confirmed", "paid"),
}
SURNAMES = (
    "佐藤 鈴木 高橋 田中 伊藤 渡辺 山本 中村 小林 加藤 吉田 山田 佐々木 山口 松本 井上 木村 林 "
    "斎藤 清水"
)
GIVEN = (
    "花子 一郎 次郎 美咲 大輔 翔太 陽菜 結衣 健太 直樹 由美 真一 恵子 拓也 彩 悠真 葵 蓮 湊 陽翔"
)


@dataclass(frozen=True)
class Options:
    applications: int = 100_000
    events: int = 1_000_000
    companies: int = 20_000
    declarations: int = 8_000
    seed: int = 2026


class Loader:
    """Bulk inserts into one model's table, with Django's defaults for the columns not given."""

    def __init__(self) -> None:
        from django.db import connection

        self.connection = connection
        self.postgres = connection.vendor == "postgresql"
        self.timings: dict[str, float] = {}
        self.counts: dict[str, int] = {}

    def timestamp(self, values: np.ndarray) -> list[str | None]:
        """UTC datetime64 values as the backend stores them (NaT: NULL)."""
        text = np.datetime_as_string(values.astype("datetime64[us]"), unit="us")
        suffix = "+00" if self.postgres else ""
        return [None if value == "NaT" else value.replace("T", " ") + suffix for value in text]

    def _defaults(self, model: Any, given: Sequence[str]) -> dict[str, Any]:
        defaults = {}
        for field in model._meta.concrete_fields:
            if field.primary_key or field.column in given:
                continue
            value = field.get_default()
            if value is None and not field.null:
                raise ValueError(f"{model.__name__}.{field.name} needs a value")
            if value is not None:
                value = field.get_db_prep_save(value, self.connection)
                if self.postgres and isinstance(value, dict | list):
                    value = json.dumps(value)
                elif hasattr(value, "obj"):  # psycopg's Jsonb wrapper: COPY takes the text
                    value = json.dumps(value.obj)
            defaults[field.column] = value
        return defaults

    def insert(self, model: Any, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        started = perf_counter()
        defaults = self._defaults(model, columns)
        names = [*columns, *defaults]
        constant = tuple(defaults.values())
        table = model._meta.db_table
        count = 0
        with self.connection.cursor() as wrapper:
            raw = wrapper.cursor
            if self.postgres:
                statement = f"COPY {table} ({', '.join(names)}) FROM STDIN"
                with raw.copy(statement) as copy:
                    for row in rows:
                        copy.write_row((*row, *constant))
                        count += 1
            else:
                marks = ", ".join("?" * len(names))
                statement = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})"  # noqa: S608
                for chunk in _chunks(rows, CHUNK):
                    raw.executemany(statement, [(*row, *constant) for row in chunk])
                    count += len(chunk)
        self.timings[table] = self.timings.get(table, 0.0) + perf_counter() - started
        self.counts[table] = self.counts.get(table, 0) + count


def _chunks(rows: Iterable[Sequence[Any]], size: int) -> Iterator[list[Sequence[Any]]]:
    chunk: list[Sequence[Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _corporate_number(index: int) -> str:
    from core.corporate_number import corporate_number_check_digit

    base = f"7777{index:08d}"
    return f"{corporate_number_check_digit(base)}{base}"


def _jst_midnight(day: dt.date) -> np.datetime64:
    """Midnight in Japan as a UTC datetime64."""
    return np.datetime64(dt.datetime(day.year, day.month, day.day)) - np.timedelta64(9, "h")


class Builder:
    def __init__(self, options: Options) -> None:
        self.options = options
        self.rng = np.random.default_rng(options.seed)
        self.load = Loader()

    # --- reference rows through the ORM: a few, and they need the services' defaults -----------

    def people(self) -> None:
        from django.contrib.auth import get_user_model

        from core.roles import roles_sync
        from fixtures.reference import reference_data_load

        roles_sync()
        reference_data_load()
        self.user = get_user_model().objects.create(username="bench-kpis", is_active=False)

    def companies(self) -> None:
        from accounts.models import Company

        rows = (
            (f"株式会社ベンチ{index:05d}", "", _corporate_number(index), "", "", 10 + index % 90)
            for index in range(self.options.companies)
        )
        columns = ["name", "name_kana", "corporate_number", "address", "representative"]
        self.load.insert(Company, [*columns, "employee_count"], rows)
        self.company_ids = np.array(
            Company.objects.order_by("pk").values_list("pk", flat=True), dtype=np.int64
        )

    def rounds(self) -> None:
        from applications.models import CostType, SubsidyRound

        self.round_pks, self.round_opens = [], []
        cost_types = list(CostType.objects.filter(code__in=["tuition", "exam_fee"]))
        for year in range(FIRST_YEAR, LAST_YEAR + 1):
            for number in range(ROUNDS_PER_YEAR):
                opens = dt.datetime(year, 5 + 4 * number, 1, tzinfo=dt.UTC)
                round_ = SubsidyRound.objects.create(
                    name=f"{year}年度 人材育成支援補助金 第{number + 1}回",
                    fiscal_year=year,
                    opens_at=opens,
                    closes_at=opens + dt.timedelta(days=60),
                    budget=2_000_000_000,
                    cap_per_trainee=100_000,
                    cap_per_company=500_000,
                    results_report_deadline=dt.date(year + 1, 2, 27),
                )
                round_.eligible_cost_types.set(cost_types)
                self.round_pks.append(round_.pk)
                self.round_opens.append(np.datetime64(opens.replace(tzinfo=None), "us"))
        self.cost_types = {cost.code: cost.pk for cost in cost_types}

    # --- applications and their milestones --------------------------------------------------

    def _statuses(self, count: int) -> np.ndarray:
        names = list(STATUSES)
        shares = np.array([share for share, _last in STATUSES.values()])
        return self.rng.choice(np.array(names, dtype=object), size=count, p=shares / shares.sum())

    def _milestones(self, rounds: np.ndarray, statuses: np.ndarray) -> dict[str, np.ndarray]:
        count = len(rounds)
        opens = np.array(self.round_opens, dtype="datetime64[us]")[rounds]
        seconds = self.rng.integers(0, 60 * 86_400, size=count).astype("timedelta64[s]")
        at = opens + seconds
        reached = {name: np.zeros(count, dtype=bool) for name in MILESTONES}
        order = list(MILESTONES)
        for status, (_share, last) in STATUSES.items():
            if last is None:
                continue
            mask = statuses == status
            for name in order[: order.index(last) + 1]:
                reached[name] |= mask
        values = {}
        for name, mean in MILESTONES.items():
            step = self.rng.gamma(2.0, mean / 2.0, size=count) * 86_400 if mean else 0
            at = at + np.asarray(step, dtype=np.int64).astype("timedelta64[s]")
            values[name] = np.where(reached[name], at, np.datetime64("NaT"))
        return values

    def applications(self) -> None:
        from applications.models import Application

        count = self.options.applications
        rounds = self.rng.integers(0, len(self.round_pks), size=count)
        statuses = self._statuses(count)
        self.app_companies = self.rng.choice(self.company_ids, size=count)
        self.trainees = self.rng.integers(1, 5, size=count)
        self.milestones = self._milestones(rounds, statuses)
        self.statuses = statuses
        undecided = ["draft", "withdrawn", "lapsed", "submitted", "screening", "decision_pending"]
        granted = np.isin(statuses, [*undecided, "rejected"], invert=True)
        amount = np.minimum(self.trainees * 93_000, 500_000)
        decided_on = self.milestones["decided_at"] + np.timedelta64(9, "h")
        text = {name: self.load.timestamp(values) for name, values in self.milestones.items()}
        decided_days = np.datetime_as_string(decided_on.astype("datetime64[D]"))
        round_ids = np.array(self.round_pks)[rounds]
        now = self.load.timestamp(np.array([np.datetime64("2026-11-24T03:00")]))[0]
        rows = (
            (
                index + 1,
                int(round_ids[index]),
                int(self.app_companies[index]),
                self.user.pk,
                str(statuses[index]),
                "生成AI活用研修",
                int(amount[index]),
                int(amount[index]) if granted[index] else None,
                int(amount[index]) if text["confirmed_at"][index] else None,
                None if decided_days[index] == "NaT" else str(decided_days[index]),
                *(text[name][index] for name in MILESTONES),
                now,
                now,
            )
            for index in range(count)
        )
        columns = [
            "id",
            "round_id",
            "company_id",
            "created_by_id",
            "status",
            "plan_summary",
            "requested_amount",
            "decided_amount",
            "confirmed_amount",
            "decided_on",
            *MILESTONES,
            "created_at",
            "updated_at",
        ]
        self.load.insert(Application, columns, rows)

    def training_lines(self) -> None:
        from applications.models import TrainingLine

        surnames, given = SURNAMES.split(), GIVEN.split()
        names = [f"{s} {g}" for g in given for s in surnames]
        tuition, exam = self.cost_types["tuition"], self.cost_types["exam_fee"]
        # a company draws its trainees from its own 12 staff: they recur across applications
        staff = self.rng.integers(0, 12, size=(self.options.applications, 4))

        def rows() -> Iterator[tuple]:
            for index in range(self.options.applications):
                company = int(self.app_companies[index])
                for slot in range(int(self.trainees[index])):
                    name = names[(company * 7 + int(staff[index, slot])) % len(names)]
                    yield (
                        index + 1,
                        name,
                        "生成AI業務活用講座",
                        "いばらきアカデミー",
                        "2025-08-01",
                        "2025-09-01",
                        tuition,
                        180_000,
                    )
                    if (index + slot) % 2:
                        yield (
                            index + 1,
                            name,
                            "ITパスポート試験",
                            "IPA",
                            "2025-09-10",
                            "2025-09-10",
                            exam,
                            7_500,
                        )

        columns = [
            "application_id",
            "trainee_name",
            "course_name",
            "provider",
            "start_date",
            "end_date",
            "cost_type_id",
            "amount",
        ]
        self.load.insert(TrainingLine, columns, rows())

    # --- the audit log ----------------------------------------------------------------------

    def chain_head(self) -> None:
        """Where the bulk events continue the audit chain, if the log is chained."""
        from audit.models import AuditEvent

        names = {field.name for field in AuditEvent._meta.concrete_fields}
        self.chained = {"seq", "prev_hash", "entry_hash"} <= names
        if self.chained:
            head = AuditEvent.objects.exclude(seq=None).order_by("-seq").first()
            self.head = (head.seq, head.entry_hash) if head else (0, "0" * 64)

    def _chain(self, count: int) -> Iterator[tuple[int, str, str]]:
        """Chain columns of the right width for the bulk events: positions after the head,
        stand-in hashes (the log is sealed as if by the sealer; not verifiable)."""
        for _n in range(count):
            seq, previous = self.head
            entry = hashlib.sha256(f"bench {seq + 1} {previous}".encode()).hexdigest()
            self.head = (seq + 1, entry)
            yield seq + 1, previous, entry

    def events(self) -> None:
        from audit.models import AuditEvent

        subjects, times, kinds = [], [], []
        actions = [*ACTIONS.values(), ("document_upload", "", "")]
        for kind, name in enumerate(MILESTONES):
            reached = np.flatnonzero(~np.isnat(self.milestones[name]))
            subjects.append(reached + 1)
            times.append(self.milestones[name][reached])
            kinds.append(np.full(len(reached), kind))
        missing = self.options.events - sum(len(part) for part in subjects)
        if missing > 0:  # document uploads around submission fill the log up to its size
            uploads = self.rng.integers(0, self.options.applications, size=missing)
            start = self.milestones["submitted_at"][uploads]
            start = np.where(np.isnat(start), np.datetime64("2025-06-01T00:00", "us"), start)
            subjects.append(uploads + 1)
            times.append(
                start - self.rng.integers(1, 7 * 86_400, size=missing).astype("timedelta64[s]")
            )
            kinds.append(np.full(missing, len(actions) - 1))
        subject = np.concatenate(subjects)[: self.options.events]
        at = np.concatenate(times)[: self.options.events]
        kind = np.concatenate(kinds)[: self.options.events]
        order = np.argsort(at, kind="stable")
        subject, at, kind = subject[order], at[order], kind[order]
        for start in range(0, len(subject), CHUNK):
            part = slice(start, start + CHUNK)
            stamps = self.load.timestamp(at[part])
            subjects_part, kinds_part = subject[part].tolist(), kind[part].tolist()
            chain = self._chain(len(stamps)) if self.chained else None
            rows = (
                (
                    stamps[i],
                    self.user.pk,
                    "staff",
                    actions[k][0],
                    "applications.application",
                    str(s),
                    actions[k][1],
                    actions[k][2],
                    "{}",
                    *(next(chain) if chain else ()),
                )
                for i, (s, k) in enumerate(zip(subjects_part, kinds_part, strict=True))
            )
            columns = [
                "occurred_at",
                "actor_id",
                "actor_role",
                "action",
                "subject_type",
                "subject_id",
                "from_status",
                "to_status",
                "data",
                *(("seq", "prev_hash", "entry_hash") if chain else ()),
            ]
            self.load.insert(AuditEvent, columns, rows)

    # --- declarations, nominations, outcome reports -----------------------------------------

    def declarations(self) -> None:
        from declarations.models import Declaration

        count = min(self.options.declarations, len(self.company_ids))
        companies = self.rng.choice(self.company_ids, size=count, replace=False)
        start = np.datetime64(f"{FIRST_YEAR}-04-01T00:00", "us")
        span = (LAST_YEAR + 1 - FIRST_YEAR) * 365 * 86_400
        registered = start + self.rng.integers(0, span, size=count).astype("timedelta64[s]")
        not_yet = self.rng.random(count) < 0.1
        registered = np.where(not_yet, np.datetime64("NaT"), registered)
        stamps = self.load.timestamp(registered)
        created = self.load.timestamp(np.array([start]))[0]
        rows = (
            (
                int(company),
                self.user.pk,
                "submitted" if stamps[i] is None else "registered",
                "目標",
                "取組",
                "人事 太郎",
                "",
                "2016-04-01",
                "2030-03-31",
                False,
                None if stamps[i] is None else f"B-{i:06d}",
                stamps[i],
                stamps[i] or created,
                created,
                created,
            )
            for i, company in enumerate(companies.tolist())
        )
        columns = [
            "company_id",
            "created_by_id",
            "status",
            "goals",
            "measures",
            "responsible_name",
            "responsible_title",
            "period_start",
            "period_end",
            "publish_consent",
            "registration_number",
            "registered_at",
            "submitted_at",
            "created_at",
            "updated_at",
        ]
        self.load.insert(Declaration, columns, rows)

    def award_rounds(self) -> None:
        from awards.models import AwardRound

        self.award_round_pks = [
            AwardRound.objects.create(
                name=f"{year}年度 表彰",
                fiscal_year=year,
                nominations_open=dt.datetime(year, 7, 1, tzinfo=dt.UTC),
                nominations_close=dt.datetime(year, 9, 30, tzinfo=dt.UTC),
            ).pk
            for year in range(FIRST_YEAR, LAST_YEAR + 1)
        ]

    def nominations(self) -> None:
        from awards.models import Nomination

        stamp = self.load.timestamp(np.array([np.datetime64("2025-08-01T00:00")]))[0]
        for round_pk in self.award_round_pks:
            companies = self.rng.choice(self.company_ids, size=100, replace=False)
            rows = (
                (
                    round_pk,
                    int(company),
                    int(company),
                    self.user.pk,
                    "self",
                    "commended" if n < 20 else "not_selected",
                    stamp,
                    stamp,
                    stamp,
                )
                for n, company in enumerate(companies.tolist())
            )
            columns = [
                "round_id",
                "company_id",
                "nominating_company_id",
                "nominated_by_id",
                "nominator_kind",
                "status",
                "submitted_at",
                "created_at",
                "updated_at",
            ]
            self.load.insert(Nomination, columns, rows)

    def outcome_reports(self) -> None:
        """Reports of the applications paid in the last two fiscal years: most accepted, with
        three measures each, some better than their baselines."""
        from applications.models import OutcomeMeasure
        from outcomes.models import OutcomeReport, OutcomeValue

        paid = self.milestones["paid_at"]
        recent = np.flatnonzero(
            (self.statuses == "paid") & (paid >= np.datetime64(f"{LAST_YEAR - 1}-04-01"))
        )
        paid_days = np.datetime_as_string(paid[recent].astype("datetime64[D]"))
        due = np.datetime_as_string((paid[recent] + 180 * DAY).astype("datetime64[D]"))
        accepted = self.load.timestamp(paid[recent] + 120 * DAY)
        opened = self.load.timestamp(paid[recent])
        state = self.rng.choice(
            np.array(["accepted", "due", "submitted"], dtype=object),
            size=len(recent),
            p=[0.6, 0.3, 0.1],
        )
        rows = (
            (
                int(index) + 1,
                str(state[n]),
                paid_days[n],
                due[n],
                accepted[n] if state[n] == "accepted" else None,
                opened[n],
            )
            for n, index in enumerate(recent.tolist())
        )
        columns = ["application_id", "status", "paid_on", "due_on", "accepted_at", "opened_at"]
        self.load.insert(OutcomeReport, columns, rows)
        report_ids = list(OutcomeReport.objects.order_by("pk").values_list("pk", flat=True))
        measures = list(OutcomeMeasure.objects.order_by("position").values_list("pk", flat=True))
        change = self.rng.normal(1.0, 0.08, size=(len(recent), 3))
        values = (
            (report, measures[m], "100.00", f"{100 * change[n, m]:.2f}")
            for n, report in enumerate(report_ids)
            for m in range(3)
        )
        self.load.insert(OutcomeValue, ["report_id", "measure_id", "baseline", "value"], values)


def _finish(load: Loader) -> None:
    from django.core.management.color import no_style

    from accounts.models import Company
    from applications.models import Application

    with load.connection.cursor() as cursor:
        if load.postgres:
            for statement in load.connection.ops.sequence_reset_sql(
                no_style(), [Application, Company]
            ):
                cursor.execute(statement)
        cursor.execute("ANALYZE")


def build(options: Options) -> dict[str, Any]:
    """Fill the migrated, empty database; returns row counts and insert times."""
    from django.db import transaction

    started = perf_counter()
    builder = Builder(options)
    with transaction.atomic():  # a few rows through the ORM, audited (and sealed) as usual
        builder.people()
        builder.rounds()
        builder.award_rounds()
    builder.chain_head()
    if not builder.load.postgres:
        # Indexes of a million rows are updated at random places: SQLite's default 2 MB page
        # cache would make that disk-bound. Only this build process uses the larger cache.
        with builder.load.connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -1000000")
    with transaction.atomic():  # bulk inserts: no model signals, so nothing else runs
        if builder.load.postgres:  # no triggers (history, FK checks) while bulk loading
            with builder.load.connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
        builder.companies()
        builder.applications()
        builder.training_lines()
        builder.events()
        builder.declarations()
        builder.nominations()
        builder.outcome_reports()
    _finish(builder.load)
    return {
        "rows": builder.load.counts,
        "insert_s": builder.load.timings,
        "build_s": perf_counter() - started,
    }
