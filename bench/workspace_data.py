"""The staff-workspace benchmark's database: open subsidy applications, each with its viewflow
process and the tasks a real run leaves (the start, the steps already done, the gateway between
them, and one open human step), built by bulk inserts (``COPY`` on PostgreSQL, through
``bench.kpis_data.Loader``) rather than through the services.

``build(options)`` grows the migrated database to ``options.tasks`` open human steps: the
first call loads the roles, the reference data, two rounds and the users; each call adds the
applications, processes and tasks still missing, so the 1,000 of the first scale stay in the
10,000 of the next. Application ``i`` (from 0) belongs to company ``i // 2`` and
round ``i % 2``: each company has one open application per round.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from time import perf_counter
from typing import Any

import numpy as np

from .kpis_data import Loader, _corporate_number

# The open application's status → the open step, and the steps done before it
STEPS = {
    "submitted": ("check_documents", ()),
    "screening": ("screen", ("check_documents", "documents_complete")),
    "decision_pending": ("decide", ("check_documents", "documents_complete", "screen")),
}
SHARES = {"submitted": 0.45, "screening": 0.35, "decision_pending": 0.20}
# Who holds an open step: the measured staff user holds this share of the staff steps, a
# colleague another; the approver holds some decisions. The rest wait in the team's queue.
HELD_BY_STAFF, HELD_BY_COLLEAGUE, HELD_BY_APPROVER = 0.02, 0.05, 0.10
STAFF, COLLEAGUE, APPROVER = "bench-staff", "bench-staff2", "bench-approver"
APPLICANT = "bench-applicant"  # who created the applications
WAITING_DAYS = 30  # open steps were created over the last month
COMPANY_NAME = "株式会社ベンチ{:05d}"


@dataclass(frozen=True)
class Options:
    tasks: int
    seed: int = 2026


def _now() -> np.datetime64:
    return np.datetime64(dt.datetime.now(dt.UTC).replace(tzinfo=None), "us")


def _people() -> None:
    from core.roles import Role, roles_sync
    from fixtures.demo import round_create, user_create
    from fixtures.reference import reference_data_load

    roles_sync()
    reference_data_load()
    round_create(name="令和8年度 中小企業人材育成支援補助金 第1回")
    round_create(name="令和8年度 中小企業人材育成支援補助金 第2回")
    unusable = "!bench"  # no password: the benchmark signs in with force_login
    user_create(STAFF, Role.STAFF, None, password_hash=unusable)
    user_create(COLLEAGUE, Role.STAFF, None, password_hash=unusable)
    user_create(APPROVER, Role.APPROVER, None, password_hash=unusable)
    user_create(APPLICANT, Role.APPLICANT, None, password_hash=unusable)


class Builder:
    def __init__(self, options: Options) -> None:
        from django.contrib.auth import get_user_model
        from django.contrib.contenttypes.models import ContentType
        from viewflow.workflow.models import Process, Task

        from applications.models import Application, SubsidyRound
        from workflows.flows import SubsidyFlow

        self.options = options
        self.load = Loader()
        self.application_type = ContentType.objects.get_for_model(Application).pk
        users = dict(get_user_model().objects.values_list("username", "pk"))
        self.users = {name: users[name] for name in (STAFF, COLLEAGUE, APPROVER)}
        self.applicant = users[APPLICANT]
        self.rounds = list(SubsidyRound.objects.order_by("pk").values_list("pk", flat=True))
        # viewflow stores the flow class and each node as text: its fields convert them
        self.flow_ref = Process._meta.get_field("flow_class").get_prep_value(SubsidyFlow)
        task_ref = Task._meta.get_field("flow_task").get_prep_value
        flow = SubsidyFlow.instance
        self.nodes = {
            name: (task_ref(flow.node(name)), flow.node(name).task_type)
            for name in ("start", "check_documents", "documents_complete", "screen", "decide")
        }
        self.permissions = {
            "check_documents": SubsidyFlow.check_permission,
            "screen": "applications.screen_application",
            "decide": "applications.decide_grant",
        }
        self.first = Application.objects.count()
        self.first_task = (Task.objects.order_by("-pk").values_list("pk", flat=True).first()) or 0

    def companies(self) -> None:
        from accounts.models import Company

        have = Company.objects.count()
        need = (self.options.tasks + 1) // 2
        rows = (
            (COMPANY_NAME.format(i), "", _corporate_number(i), "", "", 10 + i % 90)
            for i in range(have, need)
        )
        columns = ["name", "name_kana", "corporate_number", "address", "representative"]
        self.load.insert(Company, [*columns, "employee_count"], rows)
        self.company_ids = np.array(
            Company.objects.order_by("pk").values_list("pk", flat=True), dtype=np.int64
        )

    def draw(self) -> None:
        """Status, times and holder of each application to add."""
        count = self.options.tasks - self.first
        rng = np.random.default_rng([self.options.seed, self.first])
        names = np.array(list(SHARES), dtype=object)
        self.count = count
        self.statuses = rng.choice(names, size=count, p=list(SHARES.values()))
        now = _now()
        waiting = rng.integers(60, WAITING_DAYS * 86_400, size=count).astype("timedelta64[s]")
        self.opened = now - waiting  # the open step's creation
        # each earlier step took a few days
        self.gaps = rng.integers(86_400, 10 * 86_400, size=(count, 3)).astype("timedelta64[s]")
        self.holder = rng.random(count)

    def _times(self, n: int) -> list[str]:
        """When each step of application ``n`` began: the submission (the start and the
        document check), then the screening and the decision as far as it got; the last is
        when its open step was created."""
        steps = list(SHARES).index(self.statuses[n]) + 1  # 1, 2 or 3 steps begun
        times = [self.opened[n]]
        for gap in range(steps - 1):
            times.insert(0, times[0] - self.gaps[n, gap])
        return self.load.timestamp(np.array(times))

    def applications(self) -> None:
        from applications.models import Application

        def rows() -> Iterator[tuple]:
            for n in range(self.count):
                i = self.first + n
                status = str(self.statuses[n])
                times = self._times(n)
                submitted = times[0]
                accepted = times[1] if len(times) > 1 else None
                screened = times[2] if len(times) > 2 else None
                yield (
                    i + 1,
                    self.rounds[i % len(self.rounds)],
                    int(self.company_ids[i // 2]),
                    self.applicant,
                    status,
                    "生成AI活用研修とITパスポート取得",
                    (1 + i % 5) * 93_000,
                    submitted,
                    accepted,
                    screened,
                    submitted,
                    times[-1],
                )

        columns = [
            "id",
            "round_id",
            "company_id",
            "created_by_id",
            "status",
            "plan_summary",
            "requested_amount",
            "submitted_at",
            "documents_accepted_at",
            "screened_at",
            "created_at",
            "updated_at",
        ]
        self.load.insert(Application, columns, rows())

    def processes(self) -> None:
        from viewflow.workflow.models import Process

        def rows() -> Iterator[tuple]:
            for n in range(self.count):
                i = self.first + n
                yield (i + 1, self.flow_ref, "NEW", self._times(n)[0], self.application_type, i + 1)

        columns = [
            "id",
            "flow_class",
            "status",
            "created",
            "artifact_content_type_id",
            "artifact_object_id",
        ]
        self.load.insert(Process, columns, rows())

    def _holder(self, n: int, step: str) -> int | None:
        draw = self.holder[n]
        if step == "decide":
            return self.users[APPROVER] if draw < HELD_BY_APPROVER else None
        if draw < HELD_BY_STAFF:
            return self.users[STAFF]
        if draw < HELD_BY_STAFF + HELD_BY_COLLEAGUE:
            return self.users[COLLEAGUE]
        return None

    def tasks(self) -> None:
        from viewflow.workflow.models import Task

        colleague = self.users[COLLEAGUE]
        self.open_count = 0

        def rows() -> Iterator[tuple]:
            pk = self.first_task
            for n in range(self.count):
                process = self.first + n + 1
                step, done = STEPS[str(self.statuses[n])]
                times = self._times(n)
                # the start, each step done (the human ones by the colleague), the gateway
                history = [("start", times[0], times[0])]
                for name in done:
                    if name == "documents_complete":
                        history.append((name, times[1], times[1]))
                    else:  # a human step: begun when the one before it ended
                        position = 0 if name == "check_documents" else 1
                        history.append((name, times[position], times[position + 1]))
                for name, created, finished in history:
                    ref, kind = self.nodes[name]
                    human = kind == "HUMAN"
                    pk += 1
                    yield (
                        pk,
                        ref,
                        kind,
                        "DONE",
                        created,
                        created if human else None,
                        finished,
                        self.permissions.get(name) if human else None,
                        colleague if human else None,
                        created if human else None,
                        process,
                    )
                owner = self._holder(n, step)
                ref, kind = self.nodes[step]
                pk += 1
                self.open_count += 1
                yield (
                    pk,
                    ref,
                    kind,
                    "ASSIGNED" if owner else "NEW",
                    times[-1],
                    None,
                    None,
                    self.permissions[step],
                    owner,
                    times[-1] if owner else None,
                    process,
                )

        columns = [
            "id",
            "flow_task",
            "flow_task_type",
            "status",
            "created",
            "started",
            "finished",
            "owner_permission",
            "owner_id",
            "assigned",
            "process_id",
        ]
        self.load.insert(Task, columns, rows())


def _finish(load: Loader) -> None:
    from django.core.management.color import no_style
    from viewflow.workflow.models import Process, Task

    from accounts.models import Company
    from applications.models import Application

    with load.connection.cursor() as cursor:
        models = [Application, Company, Process, Task]
        for statement in load.connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
        cursor.execute("VACUUM ANALYZE")


def build(options: Options) -> dict[str, Any]:
    """Grow the migrated database to ``options.tasks`` open steps; row counts and times."""
    from django.db import transaction

    from applications.models import SubsidyRound

    started = perf_counter()
    if not SubsidyRound.objects.exists():
        with transaction.atomic():  # a few rows through the ORM and the fixtures, as usual
            _people()
    builder = Builder(options)
    if builder.first >= options.tasks:
        return {"rows": {}, "insert_s": {}, "build_s": perf_counter() - started}
    builder.draw()
    with transaction.atomic():
        with builder.load.connection.cursor() as cursor:  # no triggers while bulk loading
            cursor.execute("SET LOCAL session_replication_role = replica")
        builder.companies()
        builder.applications()
        builder.processes()
        builder.tasks()
    _finish(builder.load)
    return {
        "rows": builder.load.counts,
        "insert_s": builder.load.timings,
        "build_s": perf_counter() - started,
    }
