"""The staff workspace at scale: the task list (``/workspace/tasks/``, its first page in the
default order, and one request filtered by step and searched by company name) and the home
page (``/workspace/``) with 1,000, 10,000 and 50,000 open human steps, on PostgreSQL. Targets:
the same number of queries per page at every scale, and each page's median under 300 ms at
the largest.

One dedicated database grows from scale to scale; per scale, each step runs in its own fresh
interpreter: ``build`` (``migrate`` the first time, then bulk inserts up to the scale, see
``bench.workspace_data``) and ``time`` (signed-in users request each page through
``django.test.Client``, as a browser would through the whole middleware: warm-up requests,
one request under ``CaptureQueriesContext`` that is also checked against the database, then
timed runs with the pages interleaved; the slowest statement of each page is run again under
``EXPLAIN ANALYZE``). ``python -m bench --only workspace`` runs it and writes the "Staff
workspace" section of BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from time import perf_counter
from typing import Any

from .databases import PG_HOST, PG_PORT, PG_USER, ROOT, Unavailable, _admin_connection, _environment

HEADER = "## Staff workspace"
TARGET_MS = 300.0
PG_DATABASE = "kofu_bench_workspace"  # its own, so that it never drops another benchmark's
PLAIN_STATIC = "django.contrib.staticfiles.storage.StaticFilesStorage"


@dataclass(frozen=True)
class Options:
    scales: tuple[int, ...] = (1_000, 10_000, 50_000)
    runs: int = 15
    warmup: int = 2


@dataclass(frozen=True)
class Page:
    name: str
    user: str
    path: Callable[[dict[str, Any]], str]
    check: Callable[[str, dict[str, Any]], None]


# --- the time phase, in a fresh interpreter --------------------------------------------------


def _visible_tasks(username: str) -> Any:
    """What the database says the user's task list holds: open human steps that the user
    holds or whose permission the user has (``workspace.queries.open_tasks`` without its
    columns and its programme filter — every process here is a programme's — written out again
    so that the check does not just repeat the page)."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q
    from viewflow.workflow.models import Task

    user = get_user_model().objects.get(username=username)
    return Task.objects.filter(
        flow_task_type="HUMAN",
        status__in=["NEW", "ASSIGNED", "STARTED"],
    ).filter(Q(owner=user) | Q(owner_permission__in=user.get_all_permissions()))


def _reference(task: Any) -> str:
    """The reference of the application a task row is about, from the application itself."""
    from applications.models import Application

    application = Application.objects.select_related("round")
    return application.get(pk=task.process.artifact_object_id).reference


def _expected() -> dict[str, Any]:
    """The facts each page must show, read from the database before the pages are requested."""
    from applications.models import Application

    from . import workspace_data as data

    staff = _visible_tasks(data.STAFF).select_related("process")
    held = staff.filter(owner__username=data.STAFF)
    decisions = _visible_tasks(data.APPROVER).filter(owner_permission="applications.decide_grant")
    # the company searched for: the first one with an application waiting for its documents
    first = (
        Application.objects.filter(status="submitted")
        .select_related("company")
        .order_by("company_id")
        .first()
    )
    found = Application.objects.filter(company=first.company, status="submitted").order_by("pk")
    return {
        "staff_visible": staff.count(),
        # the list's default order: the step waiting longest first (TaskTable.Meta.order_by)
        "staff_first_page": [_reference(task) for task in staff.order_by("created")[:25]],
        "staff_held": held.count(),
        "staff_held_oldest": _reference(held.order_by("created", "pk").first()),
        "approver_oldest": _reference(
            decisions.select_related("process").order_by("created", "pk").first()
        ),
        "search": first.company.name,
        "search_found": [application.reference for application in found],
    }


def _count(pattern: str, html: str) -> int:
    return html.count(pattern)


def _title_count(html: str) -> int:
    match = re.search(r'class="k-page-title">.*?<small>(.*?)</small>', html, re.DOTALL)
    if match is None:
        raise AssertionError("the task list has no count in its title")
    return int(re.sub(r"\D", "", match.group(1)))


def _check_list(html: str, expected: dict[str, Any]) -> None:
    rows = _count('data-testid="task-row"', html)
    assert rows == min(25, expected["staff_visible"]), f"{rows} rows on the first page"
    shown = _title_count(html)
    assert shown == expected["staff_visible"], (
        f"{shown} open steps, not {expected['staff_visible']}"
    )
    shown = list(dict.fromkeys(re.findall(r'data-testid="task-link">([^<]+)<', html)))
    assert shown == expected["staff_first_page"], f"the first page shows {shown}"


def _check_search(html: str, expected: dict[str, Any]) -> None:
    found = expected["search_found"]
    rows = _count('data-testid="task-row"', html)
    assert rows == len(found), f"{rows} rows found, not {len(found)}"
    assert _title_count(html) == len(found)
    for reference in found:
        assert reference in html, f"{reference} is not among the results"


def _check_home(html: str, expected: dict[str, Any]) -> None:
    held = _count('data-testid="my-task"', html)
    assert held == min(10, expected["staff_held"]), f"{held} held steps shown"
    assert expected["staff_held_oldest"] in html
    assert 'data-testid="team-queue"' in html and 'data-testid="queue-step"' in html


def _check_approver_home(html: str, expected: dict[str, Any]) -> None:
    assert 'data-testid="decisions"' in html
    assert expected["approver_oldest"] in html, f"{expected['approver_oldest']} is not shown"


def _pages() -> list[Page]:
    from urllib.parse import urlencode

    from . import workspace_data as data

    def searched(expected: dict[str, Any]) -> str:
        query = urlencode({"step": "subsidy.check_documents", "q": expected["search"]})
        return f"/workspace/tasks/?{query}"

    return [
        Page("task list", data.STAFF, lambda _e: "/workspace/tasks/", _check_list),
        Page("task list, step filter and company search", data.STAFF, searched, _check_search),
        Page("home", data.STAFF, lambda _e: "/workspace/", _check_home),
        Page("home (approver)", data.APPROVER, lambda _e: "/workspace/", _check_approver_home),
    ]


def _signed_in(username: str) -> Any:
    """A test client signed in as ``username`` with the second factor passed, as after a real
    sign-in (what tests/conftest.py does for ``force_login``): the session holds the user's
    authenticator, so django-otp marks the request verified."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = get_user_model().objects.get(username=username)
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@dataclass
class Measured:
    path: str
    queries: int = 0
    queries_again: int = 0
    bytes: int = 0
    sql_s: float = 0.0
    slowest: list[dict[str, Any]] = field(default_factory=list)
    runs_s: list[float] = field(default_factory=list)
    plan: list[str] = field(default_factory=list)


def _get(client: Any, path: str) -> Any:
    response = client.get(path)
    if response.status_code != 200:
        where = response.get("Location", "")
        raise AssertionError(f"GET {path}: {response.status_code} {where}")
    return response


def _captured(client: Any, path: str) -> tuple[Any, list[dict[str, Any]]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = _get(client, path)
    return response, list(captured.captured_queries)


def _explain(sql: str) -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        return [row[0] for row in cursor.fetchall()]


def phase_time(options: Options, tasks: int) -> dict[str, Any]:
    from django.db import connection

    connection.ensure_connection()
    expected = _expected()
    pages = _pages()
    clients = {page.user: None for page in pages}
    clients = {user: _signed_in(user) for user in clients}
    measured = {page.name: Measured(page.path(expected)) for page in pages}
    for page in pages:
        client, result = clients[page.user], measured[page.name]
        for _warm in range(options.warmup):
            _get(client, result.path)
        response, queries = _captured(client, result.path)
        page.check(response.content.decode(), expected)
        result.queries, result.bytes = len(queries), len(response.content)
        result.sql_s = sum(float(query["time"]) for query in queries)
        ranked = sorted(queries, key=lambda query: float(query["time"]), reverse=True)
        result.slowest = [
            {"ms": 1000 * float(query["time"]), "sql": query["sql"]} for query in ranked[:3]
        ]
    for _run in range(options.runs):  # the pages interleaved: load on the machine hits all
        for page in pages:
            client, result = clients[page.user], measured[page.name]
            started = perf_counter()
            _get(client, result.path)
            result.runs_s.append(perf_counter() - started)
    for page in pages:
        result = measured[page.name]
        _response, queries = _captured(clients[page.user], result.path)
        result.queries_again = len(queries)
        selects = [query for query in result.slowest if query["sql"].startswith("SELECT")]
        result.plan = _explain(selects[0]["sql"]) if selects else []
    return {
        "tasks": tasks,
        "expected": expected,
        "pages": {name: vars(result) for name, result in measured.items()},
        "load_average": list(os.getloadavg()),
    }


def phase_build(options: Options, tasks: int) -> dict[str, Any]:
    from django.core.management import call_command

    from . import workspace_data
    from .worker import _database

    started = perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    migrate_s = perf_counter() - started
    built = workspace_data.build(workspace_data.Options(tasks))
    return {"database": _database(), "migrate_s": migrate_s, **built, **_table_sizes()}


def _table_sizes() -> dict[str, Any]:
    from django.db import connection

    tables = ("viewflow_task", "viewflow_process", "applications_application", "accounts_company")
    with connection.cursor() as cursor:
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608  (our own names)
            counts[table] = cursor.fetchone()[0]
        cursor.execute(
            "SELECT count(*) FROM viewflow_task WHERE flow_task_type = 'HUMAN' "
            "AND status IN ('NEW', 'ASSIGNED', 'STARTED')"
        )
        open_steps = cursor.fetchone()[0]
    return {"table_rows": counts, "open_steps": open_steps}


def _worker(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.workspace")
    parser.add_argument("phase", choices=["build", "time"])
    parser.add_argument("--tasks", type=int, required=True)
    parser.add_argument("--runs", type=int, default=Options.runs)
    parser.add_argument("--warmup", type=int, default=Options.warmup)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # WhiteNoise looks for collected static files once at start-up; none are collected here
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    import django

    django.setup()
    options = Options(runs=args.runs, warmup=args.warmup)
    phase = {"build": phase_build, "time": phase_time}[args.phase]
    args.out.write_text(
        json.dumps(phase(options, args.tasks), ensure_ascii=False, indent=1, default=str)
    )
    return 0


# --- the parent: one database, growing from scale to scale ----------------------------------


@contextmanager
def postgres_database(workdir: Path) -> Iterator[str]:
    """A PostgreSQL database created for the run and dropped after it."""
    admin = _admin_connection()
    from psycopg import sql

    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(PG_DATABASE))
    with admin:
        admin.execute(drop)
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(PG_DATABASE)))
        try:
            yield f"postgres://{PG_USER}@{PG_HOST}:{PG_PORT}/{PG_DATABASE}"
        finally:
            admin.execute(drop)


def _phase(name: str, url: str, workdir: Path, options: Options, tasks: int) -> dict[str, Any]:
    out = workdir / f"workspace-{name}-{tasks}.json"
    command = [sys.executable, "-m", "bench.workspace", name, "--tasks", str(tasks)]
    command += ["--runs", str(options.runs), "--warmup", str(options.warmup), "--out", str(out)]
    environment = _environment(url, workdir)
    # {% static %} without a collected manifest, as the tests and `make run` do
    environment["STATICFILES_STORAGE"] = PLAIN_STATIC
    completed = subprocess.run(command, cwd=ROOT, env=environment, check=False)  # noqa: S603
    if completed.returncode != 0:
        raise RuntimeError(f"bench.workspace {name} exited with status {completed.returncode}")
    return json.loads(out.read_text())


def bench_workspace(options: Options) -> dict[str, Any]:
    """Every scale on PostgreSQL; ``error`` says why it could not run."""
    scales = sorted(options.scales)
    with tempfile.TemporaryDirectory(prefix="kofu-workspace-") as directory:
        workdir = Path(directory)
        try:
            with postgres_database(workdir) as url:
                results = []
                for tasks in scales:
                    print(f"bench: staff workspace, {tasks:,} open steps…", flush=True)
                    built = _phase("build", url, workdir, options, tasks)
                    results.append({"build": built, **_phase("time", url, workdir, options, tasks)})
                return {"name": "PostgreSQL", "scales": results}
        except Unavailable as error:
            return {"name": "PostgreSQL", "error": str(error)}
        except RuntimeError as error:
            return {"name": "PostgreSQL", "error": f"the run failed: {error}"}


# --- the section --------------------------------------------------------------------------------


def _median_ms(page: dict[str, Any]) -> float:
    return 1000 * statistics.median(page["runs_s"])


def _p95_ms(page: dict[str, Any]) -> float:
    import numpy as np

    return 1000 * float(np.percentile(page["runs_s"], 95))


def targets(result: dict[str, Any]) -> dict[str, dict[str, bool]]:
    """Per page: are its queries the same at every scale (and in both counted requests), and
    is its median under the target at the largest scale."""
    scales = result["scales"]
    largest = scales[-1]
    met = {}
    for name in largest["pages"]:
        counts = {
            count
            for scale in scales
            for count in (scale["pages"][name]["queries"], scale["pages"][name]["queries_again"])
        }
        met[name] = {
            "flat": len(counts) == 1,
            "fast": _median_ms(largest["pages"][name]) < TARGET_MS,
        }
    return met


def summary_line(result: dict[str, Any]) -> str:
    if "error" in result:
        return f"Staff workspace: not measured ({result['error']})"
    largest = result["scales"][-1]
    parts = [
        f"{name} {page['queries']} queries, median {_median_ms(page):.0f} ms"
        for name, page in largest["pages"].items()
    ]
    return f"Staff workspace at {largest['tasks']:,} open steps: " + "; ".join(parts)


def _table(result: dict[str, Any]) -> str:
    rows = [
        "| open steps | page | queries | median (ms) | p95 (ms) | SQL, all / slowest (ms) |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    for scale in result["scales"]:
        for name, page in scale["pages"].items():
            rows.append(
                f"| {scale['tasks']:,} | {name} | {page['queries']} | "
                f"{_median_ms(page):.0f} | {_p95_ms(page):.0f} | "
                f"{1000 * page['sql_s']:.0f} / {page['slowest'][0]['ms']:.0f} |"
            )
    return "\n".join(rows)


def _targets_table(result: dict[str, Any]) -> str:
    largest = result["scales"][-1]["tasks"]
    rows = [
        f"| page | same queries at every scale | median < {TARGET_MS:.0f} ms at {largest:,} |",
        "|---|---|---|",
    ]
    for name, met in targets(result).items():
        flat = "met" if met["flat"] else "**not met**"
        fast = "met" if met["fast"] else "**not met**"
        rows.append(f"| {name} | {flat} | {fast} |")
    return "\n".join(rows)


ACTUAL = re.compile(r"\(actual time=[\d.]+\.\.([\d.]+) rows=\d+ loops=(\d+)\)")
COST = re.compile(r"\s*\(cost=[^)]*\)")


def plan_digest(plan: Sequence[str], at_least_ms: float = 1.0) -> list[str]:
    """The nodes of an ``EXPLAIN ANALYZE`` plan that took at least ``at_least_ms`` in all
    their loops, with the rows their filters removed, and the execution time."""
    kept: list[str] = []
    keep_detail = False
    for line in plan:
        actual = ACTUAL.search(line)
        if actual:
            keep_detail = float(actual.group(1)) * int(actual.group(2)) >= at_least_ms
            if keep_detail:
                kept.append(COST.sub("", line))
        else:
            detail = keep_detail and line.strip().startswith(("Rows Removed by", "Index Cond"))
            if detail or line.startswith("Execution Time"):
                kept.append(line)
    return kept


def _statement(sql: str) -> str:
    """What a statement reads, in a few words."""
    table = next(
        (
            found
            for found in re.finditer(r'FROM "(\w+)"', sql)
            if sql.count("(", 0, found.start()) == sql.count(")", 0, found.start())
        ),
        None,
    )  # the outer query's, not a subquery's
    head = "SELECT COUNT(*)" if sql.startswith("SELECT COUNT(*)") else "SELECT …"
    tail = "".join(
        f" … {clause}" for clause in ("GROUP BY", "ORDER BY", "LIMIT") if f" {clause} " in sql
    )
    return f"{head} FROM {table.group(1) if table else '?'}{tail}"


def _plans(result: dict[str, Any]) -> str:
    largest = result["scales"][-1]
    parts = [
        f"<details><summary>The slowest statement of each page at {largest['tasks']:,} open "
        "steps, under <code>EXPLAIN (ANALYZE, BUFFERS)</code> (nodes of 1 ms or more)</summary>",
    ]
    for name, page in largest["pages"].items():
        if not page["plan"]:
            continue
        selects = [query for query in page["slowest"] if query["sql"].startswith("SELECT")]
        parts.append(f"\n**{name}**: `{_statement(selects[0]['sql'])}`\n")
        parts.append("```\n" + "\n".join(plan_digest(page["plan"])) + "\n```")
    parts.append("</details>")
    return "\n".join(parts)


def _data_line(result: dict[str, Any]) -> str:
    largest = result["scales"][-1]
    build = largest["build"]
    expected = largest["expected"]
    rows = ", ".join(f"`{table}` {count:,}" for table, count in build["table_rows"].items())
    builds = ", ".join(
        f"{scale['tasks']:,} in {scale['build']['build_s']:.1f} s" for scale in result["scales"]
    )
    loads = "; ".join(
        f"{scale['tasks']:,}: {', '.join(f'{v:.2f}' for v in scale['load_average'])}"
        for scale in result["scales"]
    )
    return (
        f"**The data** ({build['database']['version']}, {build['database']['settings']}), at "
        f"{largest['tasks']:,} open steps: {rows}. Built by bulk inserts (`bench.workspace_data`; "
        f"{builds}, each scale adding to the one before). The staff user's list holds "
        f"{expected['staff_visible']:,} of them (the document checks and screenings; the "
        f"decisions are the approver's), {expected['staff_held']:,} held by that user; the "
        f"search is for 「{expected['search']}」 and finds "
        f"{', '.join(expected['search_found'])}. Load average (1, 5, 15 min) after the timed "
        f"runs — {loads}."
    )


def _reading(result: dict[str, Any]) -> str:
    met = targets(result)
    scales = result["scales"]
    smallest, largest = scales[0], scales[-1]
    failing = [name for name, page in met.items() if not (page["flat"] and page["fast"])]
    verdict = (
        "**Reading.** Both targets are met"
        if not failing
        else f"**Reading.** Not every target is met ({', '.join(failing)}; see the table above)"
    )
    counts = ", ".join(f"{name} {page['queries']}" for name, page in largest["pages"].items())
    statements = (
        f"the pages send as many statements at {smallest['tasks']:,} open steps as at "
        f"{largest['tasks']:,} — {counts}"
        if all(page["flat"] for page in met.values())
        else f"at {largest['tasks']:,} open steps the pages send {counts} statements"
    )
    slowest_name, slowest = max(largest["pages"].items(), key=lambda item: _median_ms(item[1]))

    def sql_range(scale: dict[str, Any]) -> str:
        values = [1000 * page["sql_s"] for page in scale["pages"].values()]
        return f"{min(values):.0f}–{max(values):.0f} ms"

    python = [_median_ms(page) - 1000 * page["sql_s"] for page in largest["pages"].values()]
    list_sql = [
        f"{scale['pages']['task list']['slowest'][0]['ms']:.0f} ms at {scale['tasks']:,}"
        for scale in scales
    ]
    outlook = (
        " At this trend the counts alone would reach the target only at several hundred "
        "thousand open steps."
        if not failing
        else ""
    )
    text = f"""\
{verdict}: {statements} — and at {largest["tasks"]:,} the slowest median is
{_median_ms(slowest):.0f} ms ({slowest_name}). What grows is the SQL, from {sql_range(smallest)}
per request at {smallest["tasks"]:,} to {sql_range(largest)} at {largest["tasks"]:,}; the rest
(the middleware, the filters' form, the table and the template: the median less the SQL) is
about {min(python):.0f}–{max(python):.0f} ms at {largest["tasks"]:,}. The statements that grow
are those that read every open step the user may take rather than the page's 25 rows: the
paginator's `COUNT(*)` (the count in the title and the page links) and the home's queue counts
(`GROUP BY flow_task`) take all the open steps from the `status` index, filter them by type and
permission and join them with their processes to test the `flow_class` — the list's count
took {", ".join(list_sql)}. The search's row query is
planned as a walk back through the `created` index (the list's order) that tests each step,
because PostgreSQL estimates that half the processes match the company's generic-key
subqueries where one or two do; since the paginator's count comes first, the query's `LIMIT`
is the number of matches and the walk ends at the oldest of them, so it reads the steps created
since then (the plans are below). The per-row columns (company, round, status, amount) are
correlated subqueries that run for the 25 rows of the page only.{outlook}"""
    return " ".join(text.split("\n"))


HOW = """\
**What is requested.** Each scale has as many open subsidy applications (45% submitted, 35% in
screening, 20% awaiting the decision), each with its viewflow process (`SubsidyFlow`, the
application as its artifact) and the task rows a real run leaves: the start, the steps already
done and the gateway between them (`DONE`), and one open human step — `check_documents`,
`screen` or `decide` with the node's permission, `NEW` or `ASSIGNED` (2% of the staff steps to
the measured staff user, 5% to a colleague, 10% of the decisions to the approver). Two rounds;
each company has one application in each. The staff user (role staff, from
`fixtures.demo.user_create`) is signed in with `Client.force_login` and the session marked as
having passed the second factor with the user's authenticator, as `tests/conftest.py` does, so
the requests go through every middleware as a signed-in browser's would (session, two-factor,
idle timeout, the header's count of held steps). The task list is its first page (25 rows) in
the default order (the newest first: the table's `Meta.order_by = ("created",)` names no
column, so django-tables2 drops it and viewflow's `Task.Meta.ordering` applies); the search is
`?step=subsidy.check_documents&q=<company name>`; the home is the staff role's (held steps, the
team's queue per step, deadlines at risk); the approver's home (the decisions awaiting) is
measured beside it. Each page is requested twice to warm up, once under
`CaptureQueriesContext` (and its HTML checked against the database: the 25 references of the
first page, such as `SUB-2026-000123`, in order, the count in the title, the held steps, the
search's applications), then timed in runs with the four pages interleaved, and counted once
more at the end. "SQL" is the time of the counted request's statements as Django measures them,
all of them and the slowest; the rest of the median is Python (the middleware, the filters'
form, the table, the template)."""


def render_section(
    result: dict[str, Any],
    machine: dict[str, str],
    command: str,
    when: str,
    options: Options,
) -> str:
    """The whole "Staff workspace" section, header included."""
    intro = (
        f"Measured {when} with `{command}`: the staff workspace's task list "
        "(`/workspace/tasks/`) and home (`/workspace/`) requested through `django.test.Client` "
        "by a signed-in staff user, with "
        f"{', '.join(f'{scale:,}' for scale in sorted(options.scales))} open human steps on "
        f"PostgreSQL. Per page: the queries of one request and the median and 95th percentile "
        f"of {options.runs} timed requests after {options.warmup} warm-up ones. Targets: the "
        f"same number of queries at every scale, and a median under {TARGET_MS:.0f} ms at the "
        "largest. The machine is shared: other processes may run at the same time."
    )
    machine_line = (
        f"**Machine.** {machine['cpus']} CPUs ({machine['cpu_model']}), {machine['memory']} RAM, "
        f"{machine['system']}; Python {machine['python']}; Django {machine['Django']}, "
        f"django-viewflow {machine['django-viewflow']}, psycopg {machine['psycopg']}."
    )
    parts = [HEADER, intro, machine_line]
    if "error" in result:
        parts.append(f"PostgreSQL: not measured — {result['error']}.")
        return "\n\n".join(parts) + "\n"
    parts += [
        _table(result),
        _targets_table(result),
        _reading(result),
        _data_line(result),
        HOW,
        _plans(result),
    ]
    return "\n\n".join(parts) + "\n"


if __name__ == "__main__":
    raise SystemExit(_worker())
