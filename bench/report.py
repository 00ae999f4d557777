"""BENCHMARKS.md: the "Workflow throughput" section, replaced in place so that other sections
written by other benchmarks (the "Letters" section of bench.letters) survive."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from .databases import WorkerOptions
from .figures import (
    ENGINE,
    ENGINE_SAVEPOINTS,
    TARGET_QUERIES,
    TARGET_RATIO,
    Figures,
    figures_of,
    senders_per_transition,
)

HEADER = "## Workflow throughput"
FLOOR_SQL = "`UPDATE … SET status=new WHERE id=? AND status=old`"


@dataclass(frozen=True)
class Run:
    name: str
    result: dict[str, Any] | None = None
    error: str | None = None

    @cached_property
    def figures(self) -> Figures | None:
        return figures_of(self.result) if self.result else None


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], align: str = "") -> str:
    """A markdown table; ``align`` has one letter per column, ``l`` or ``r`` (default l, r…)."""
    align = align or "l" + "r" * (len(header) - 1)
    rules = ["---:" if letter == "r" else "---" for letter in align]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(rules) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _n(value: float, digits: int = 1) -> str:
    return f"{value:,.{digits}f}"


def _pct(value: float) -> str:
    return f"{value:.0%}"


def _machine_line(machine: dict[str, str], runs: Sequence[Run]) -> str:
    software = ", ".join(
        f"{name} {machine[name]}"
        for name in ("Django", "django-viewflow", "django-fsm-2", "celery", "psycopg")
    )
    databases = "; ".join(
        f"{run.name} {run.result['database']['version']} ({run.result['database']['settings']})"
        if run.result
        else f"{run.name}: not measured ({run.error})"
        for run in runs
    )
    return (
        f"**Machine.** {machine['cpus']} CPUs ({machine['cpu_model']}), {machine['memory']} "
        f"RAM, {machine['system']}; Python {machine['python']}; {software}. "
        f"**Databases.** {databases}."
    )


def _method(runs: Sequence[Run], chunk: int) -> str:
    measured = next((run.figures for run in runs if run.figures), None)
    transitions = _n(measured.transitions, 0) if measured else "8"
    return (
        f"**Full lifecycle**: the real services and `SubsidyFlow` take one application from "
        f"submit to paid — {transitions} status transitions, counted in the audit trail "
        "(submit, accept_documents, record_screening, grant, report_results, accept_results, "
        "confirm_amount, mark_paid), plus the applicant's upload of the completion certificate, "
        "a lifecycle step that is not a transition, and the payment as finance makes it: the "
        "claim, a one-item batch prepared by one finance user and released by another, its "
        "Zengin file built and the bank's result imported (the payable, batch and item "
        "transitions are counted in the SQL, not in the status transitions). "
        "Each step acts with a fresh copy of its user, "
        "as an HTTP request would, so role and permission look-ups are counted (loading the "
        "session and the user row is not). What the steps hand to Celery after commit (sending "
        "the notification emails, rendering the decision letters) is queued to an in-memory "
        "broker and not run here, as web processes hand it to workers in production: the outbox "
        "rows and the numbered letter rows are counted, the email and PDF work is not (a letter "
        "renders in about 8–10 ms, see the Letters section). **Floor**: a bare row with a "
        f"status column; per transition one {FLOOR_SQL} and one audit `INSERT`, each "
        "transition in its own transaction, over the same path. "
        f"Both run in one process against the same database, interleaved in chunks of {chunk}, "
        "through the same query-counting execute wrapper. SQL counts are every statement Django "
        "sends (`BEGIN` is sent as a statement on SQLite only). Creating the drafts (application, "
        "4 training lines, 3 documents) is measured separately and is not in the lifecycle."
    )


def _summary(runs: Sequence[Run]) -> str:
    def cell(run: Run, render: Callable[[Figures], str]) -> str:
        return render(run.figures) if run.figures else "not measured (see below)"

    rows: list[tuple[str, Callable[[Figures], str]]] = [
        ("full lifecycle, processes/s", lambda f: _n(f.real_rate)),
        ("floor, processes/s", lambda f: _n(f.floor_rate)),
        ("**lifecycle / floor**", lambda f: f"**{_pct(f.ratio)}**"),
        ("lifecycle / floor, median of the chunks", lambda f: _pct(f.median_chunk_ratio)),
        ("**SQL per transition, lifecycle**", lambda f: f"**{_n(f.real_per_transition)}**"),
        ("SQL per transition, floor", lambda f: _n(f.floor_per_transition)),
        (
            f"target: ≥ {_pct(TARGET_RATIO)} of floor and ≤ {TARGET_QUERIES:.0f} SQL/transition",
            lambda f: "met" if f.target_met else "**not met**",
        ),
        ("draft creation, drafts/s", lambda f: _n(f.draft_rate)),
    ]
    return _table(
        ["", *(run.name for run in runs)],
        [[label, *(cell(run, render) for run in runs)] for label, render in rows],
    )


def _database_table(figures: Figures) -> str:
    rows = [
        ("processes", str(figures.applications), str(figures.applications)),
        (
            "status transitions per process",
            _n(figures.transitions, 0),
            _n(figures.floor_transitions, 0),
        ),
        ("processes/s", _n(figures.real_rate), _n(figures.floor_rate)),
        ("wall ms per process", _n(figures.real_ms), _n(figures.floor_ms)),
        ("client CPU ms per process", _n(figures.real_cpu_ms), _n(figures.floor_cpu_ms)),
        ("SQL statements per process", _n(figures.real_queries), _n(figures.floor_queries)),
        ("SQL per transition", _n(figures.real_per_transition), _n(figures.floor_per_transition)),
        (
            "SQL per transition without BEGIN/SAVEPOINT/RELEASE",
            _n(figures.real_data_per_transition),
            _n(figures.floor_data_per_transition),
        ),
    ]
    return _table(["", "full lifecycle", "floor"], [list(row) for row in rows])


def _steps_table(figures: Figures) -> str:
    rows = [
        [
            f"`{step.name}`",
            _n(step.ms),
            _pct(step.share),
            _n(step.queries),
            ", ".join(f"{kind} ×{count:g}" for kind, count in step.kinds),
        ]
        for step in figures.steps
    ]
    return _table(
        ["step", "wall ms", "share of time", "SQL", "most frequent statements"], rows, "lrrrl"
    )


def _checks(result: dict[str, Any], figures: Figures) -> str:
    real, floor = result["real"], result["floor"]
    return (
        f"Ratio lifecycle / floor: **{_pct(figures.ratio)}**. Draft creation, not included "
        f"above: {_n(figures.draft_rate)} drafts/s ({_n(figures.draft_ms)} ms, "
        f"{_n(figures.draft_queries)} SQL statements per draft). Checks: final statuses "
        f"{real['final_statuses']}, floor {floor['final_statuses']}, "
        f"{_n(figures.mails)} e-mails per process; migrate took {_n(result['migrate_s'])} s. "
        f"Load average (1 min) before / after the run: {_load(result)}."
    )


def _load(result: dict[str, Any]) -> str:
    return " / ".join(f"{value:.2f}" for value in result.get("load_average", []))


def _database_section(run: Run) -> str:
    if not run.figures or not run.result:
        return f"### {run.name}\n\nNot measured: {run.error}.\n"
    parts = [
        f"### {run.name}",
        _database_table(run.figures),
        _checks(run.result, run.figures),
        "Per lifecycle step (per process):",
        _steps_table(run.figures),
    ]
    return "\n\n".join(parts) + "\n"


def _compare(
    runs: Sequence[Run], label: str, values: Callable[[Figures], dict[str, float]], digits: int = 1
) -> str:
    measured = [run for run in runs if run.figures]
    columns = [values(run.figures) for run in measured if run.figures]
    names = sorted(
        {name for column in columns for name in column},
        key=lambda name: -max(column.get(name, 0.0) for column in columns),
    )
    rows = [[name, *(_n(column.get(name, 0.0), digits) for column in columns)] for name in names]
    return _table([label, *(run.name for run in measured)], rows)


def _where_the_time_goes(runs: Sequence[Run]) -> str:
    measured = [run for run in runs if run.figures]
    if not measured:
        return ""
    sample = next((run.result.get("origin_processes", 0) for run in runs if run.result), 0)
    parts = [
        "### Where the time goes",
        *(_bullets(run.name, run.figures) for run in measured if run.figures),
        "SQL statements per status transition, by what they touch:",
        _compare(runs, "statements per transition", lambda f: dict(f.categories())),
        "The same statements by the code that sends them, per transition:",
        _senders(runs),
        *(_reading(run.name, run.result, run.figures) for run in measured if run.result),
        "Who sends them in detail: statements per process by the innermost caller outside "
        f"Django's ORM (over {sample} more lifecycles), with the two most frequent of each:",
        _origins(runs),
        "The 15 most frequent statements, per process:",
        _top_kinds(runs),
        *_profile_parts(runs),
    ]
    return "\n\n".join(part for part in parts if part) + "\n"


def _bullets(name: str, figures: Figures) -> str:
    slowest = sorted(figures.steps, key=lambda step: -step.share)[:3]
    wait = max(figures.real_ms - figures.real_cpu_ms, 0.0)
    floor_wait = max(figures.floor_ms - figures.floor_cpu_ms, 0.0)
    categories = figures.categories()
    return "\n".join(
        [
            f"**{name}.**",
            f"- A lifecycle costs {_n(figures.real_ms)} ms: {_n(figures.real_cpu_ms)} ms of Python "
            f"CPU in this process and {_n(wait)} ms waiting on the database (commits, server); the "
            f"floor costs {_n(figures.floor_ms)} ms ({_n(figures.floor_cpu_ms)} ms CPU, "
            f"{_n(floor_wait)} ms waiting).",
            "- Slowest steps: "
            + ", ".join(
                f"`{step.name}` {_pct(step.share)} ({_n(step.queries)} SQL)" for step in slowest
            )
            + ".",
            "- Statements per transition: "
            + ", ".join(f"{name} {_n(count)}" for name, count in categories[:4])
            + (
                f"; {_n(figures.locks())} `SELECT … FOR UPDATE` per process."
                if figures.locks()
                else "; row locks are plain SELECTs here (SQLite has no `FOR UPDATE`)."
            ),
        ]
    )


def _senders(runs: Sequence[Run]) -> str:
    measured = [run for run in runs if run.result and run.result.get("origins")]
    columns = [senders_per_transition(run.result) for run in measured if run.result]
    names = sorted(
        {name for column in columns for name in column},
        key=lambda name: -max(column.get(name, 0.0) for column in columns),
    )
    rows = [[name, *(_n(column.get(name, 0.0)) for column in columns)] for name in names]
    return _table(["sender", *(run.name for run in measured)], rows) if rows else ""


def _reading(name: str, result: dict[str, Any], figures: Figures) -> str:
    senders = senders_per_transition(result)
    engine = senders.get(ENGINE, 0.0)
    engine_savepoints = senders.get(ENGINE_SAVEPOINTS, 0.0)
    real_each = figures.real_cpu_ms / figures.real_queries
    floor_each = figures.floor_cpu_ms / figures.floor_queries
    verdict = (
        "the gap is the number of statements (each also a round trip), not slower ones"
        if real_each <= 1.5 * floor_each
        else "the statements are both more numerous and heavier"
    )
    return (
        f"Reading ({name}): the lifecycle sends {figures.real_queries / figures.floor_queries:.1f}"
        f"× the floor's statements and spends {_n(figures.real_cpu_ms)} ms of client CPU per "
        f"process against the floor's {_n(figures.floor_cpu_ms)} ms, i.e. {real_each:.2f} ms per "
        f"statement against {floor_each:.2f} ms: {verdict}. The viewflow engine alone sends "
        f"{_n(engine)} statements per transition ({_n(engine + engine_savepoints)} with its "
        f"savepoints), against a target of {TARGET_QUERIES:.0f} for everything."
    )


def _origins(runs: Sequence[Run], top: int = 15) -> str:
    measured = [run for run in runs if run.result and run.result.get("origins")]
    if not measured:
        return ""
    tables = [
        {row["origin"]: row for row in run.result["origins"]} for run in measured if run.result
    ]
    names = sorted(
        {name for table in tables for name in table},
        key=lambda name: -max(table.get(name, {}).get("queries", 0.0) for table in tables),
    )[:top]
    rows = []
    for name in names:
        kinds = next(table[name]["kinds"] for table in tables if name in table)
        common = sorted(kinds.items(), key=lambda pair: -pair[1])[:2]
        rows.append(
            [
                f"`{name}`",
                *(_n(table.get(name, {}).get("queries", 0.0)) for table in tables),
                ", ".join(f"{kind} ×{count:g}" for kind, count in common),
            ]
        )
    header = ["caller", *(run.name for run in measured), "statements"]
    return _table(header, rows, "l" + "r" * len(measured) + "l")


def _top_kinds(runs: Sequence[Run]) -> str:
    measured = [run.figures for run in runs if run.figures]
    totals: dict[str, float] = {}
    for figures in measured:
        for kind, count in figures.kinds.items():
            totals[kind] = max(totals.get(kind, 0.0), count)
    top = sorted(totals, key=lambda kind: -totals[kind])[:15]
    return _compare(
        runs, "statement", lambda f: {f"`{kind}`": f.kinds.get(kind, 0.0) for kind in top}
    )


def _profile_parts(runs: Sequence[Run]) -> list[str]:
    profiled = [run for run in runs if run.result and run.result.get("profile")]
    if not profiled:
        return []
    first = profiled[0]
    profile = first.result["profile"] if first.result else {}
    return [
        f"cProfile over {profile['processes']} more lifecycles (profiling inflates Python time; "
        "read the shares, not the milliseconds). Share of own time by library:",
        _table(["area", *(run.name for run in profiled)], _area_rows(profiled)),
        f"Heaviest Kofu functions ({first.name}, cumulative ms per process, calls per process):",
        _functions_table(profile["kofu_cumulative"][:10], "cumulative_ms"),
        f"Heaviest functions by own time ({first.name}):",
        _functions_table(profile["own_time"][:10], "own_ms"),
    ]


def _area_rows(runs: Sequence[Run]) -> list[list[str]]:
    profiles = [run.result["profile"] for run in runs if run.result]
    names = list(profiles[0]["areas"])
    for profile in profiles[1:]:
        names += [name for name in profile["areas"] if name not in names]
    return [
        [name, *(_pct(profile["areas"].get(name, 0.0)) for profile in profiles)]
        for name in names[:10]
    ]


def _functions_table(rows: list[dict[str, Any]], key: str) -> str:
    return _table(
        ["function", "ms", "calls"],
        [[f"`{row['function']}`", _n(row[key]), _n(row["calls"])] for row in rows],
    )


def _intro(options: WorkerOptions, command: str, when: str) -> str:
    return (
        f"Measured {when} with `{command}`: {options.applications} applications per database, "
        f"after {options.warmup} warm-up ones. The machine is shared: other processes (tests, "
        "browsers) may run at the same time, so compare the lifecycle and the floor within one "
        "run (they are interleaved) rather than across runs; each database section gives the "
        "load average."
    )


VERDICT = """\
**Why the targets are not met, and what it would take.** The floor does one UPDATE and one
INSERT per transition; a Kofu transition is also a viewflow human task (created, assigned,
started, completed, linked to the next one, under a process-row lock), usually behind an `If`
gateway (another task row), plus the application's row lock, the audit event, the side records
of the step (decision, screening, payment, correction), the numbered letter row, and the
notification outbox rows for the applicants and for the staff queue the task enters. viewflow's
own bookkeeping is about 8–9 statements per transition on its own (see the table of senders
below), so "≤ 8 SQL per transition for everything" cannot be reached while every step stays a
viewflow task. Already done to cut statements: permissions answered from the roles without a
permission query (`core.auth.RoleModelBackend`); a blocking process-row lock that sends nothing
on SQLite (`workflows.locks.ProcessRowLock`, replacing viewflow's NOWAIT lock with retries and
sleeps); a proxy process model with the application as its artifact, so viewflow reads one
process row per activation instead of a base and a child row; outbox rows written in one bulk
INSERT with the recipients' languages taken from the profiles already loaded; and the
screening's recommended amount taken from the submission instead of recomputed. Further steps,
in order of payoff: gateways that read the outcome from the step instead of the database,
caching the actor's roles and company per request, one query for the staff queue's recipients
and their preferences, and finally, if throughput ever matters more than viewflow's task model,
a lean task table of our own driven by the same FSM transitions. Throughput is CPU-bound in
Django's ORM (see the profile): fewer statements is the lever.

**The audit chain's price.** Since the audit log is a hash chain, each committed business
transaction is followed by one short sealing transaction of its own (`audit.chain.events_seal`:
the chain head, the unsealed rows, one UPDATE; on PostgreSQL also the advisory lock), about four
statements and a second commit per step — the `audit/chain.py` rows in the tables below. Sealing
after commit keeps business transactions from queueing on one chain head; the price could be
taken off the request path by handing the seal to a Celery worker (the `audit-seal` task exists
as the safety net) where a broker runs."""


def render_section(
    runs: Sequence[Run], machine: dict[str, str], command: str, when: str, options: WorkerOptions
) -> str:
    """The whole "Workflow throughput" section, header included."""
    parts = [
        HEADER,
        _intro(options, command, when),
        _machine_line(machine, runs),
        _method(runs, options.chunk),
        _summary(runs),
        VERDICT,
        *(_database_section(run) for run in runs),
        _where_the_time_goes(runs),
    ]
    return "\n\n".join(part.rstrip() for part in parts if part) + "\n"


def write_section(path: Path, section: str, header: str = HEADER) -> None:
    """Replace the section ``header`` in ``path`` (up to the next ``## `` header), or add it."""
    if not path.exists():
        path.write_text(f"# Benchmarks\n\n{section}")
        return
    lines = path.read_text().splitlines(keepends=True)
    starts = [index for index, line in enumerate(lines) if line.rstrip() == header]
    if not starts:
        path.write_text("".join(lines).rstrip() + "\n\n" + section)
        return
    start = starts[0]
    end = next(
        (index for index in range(start + 1, len(lines)) if lines[index].startswith("## ")),
        len(lines),
    )
    tail = ["\n", *lines[end:]] if end < len(lines) else []
    path.write_text("".join([*lines[:start], section, *tail]))
