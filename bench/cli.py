"""``python -m bench``: the workflow throughput benchmark on SQLite and PostgreSQL, each in its
own subprocess, written to the "Workflow throughput" section of BENCHMARKS.md, and the letters
benchmark (reportlab beside WeasyPrint), written to its "Letters" section, the KPI
dashboard over 100k applications and 1M audit events, written to its "KPIs" section, and the
staff workspace's task list and home at 1k, 10k and 50k open steps on PostgreSQL, written to its
"Staff workspace" section. ``--only letters``, ``--only workflow``, ``--only kpis`` or
``--only workspace`` runs one of them."""

from __future__ import annotations

import argparse
import datetime as dt
import shlex
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from . import kpis, letters, workspace
from .databases import DATABASES, ROOT, Unavailable, WorkerOptions, worker_run
from .machine import machine_info
from .report import Run, render_section, write_section


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--applications",
        type=int,
        default=200,
        help="applications timed per database (default 200)",
    )
    parser.add_argument("--warmup", type=int, default=10, help="untimed lifecycles first")
    parser.add_argument(
        "--profile",
        type=int,
        default=20,
        help="extra lifecycles run under cProfile (0: no profile)",
    )
    parser.add_argument(
        "--chunk",
        type=int,
        default=10,
        help="lifecycle and floor alternate in chunks of this many processes",
    )
    parser.add_argument("--databases", nargs="+", choices=list(DATABASES), default=list(DATABASES))
    parser.add_argument(
        "--only",
        choices=["workflow", "letters", "kpis", "workspace"],
        help="run one benchmark (default: all)",
    )
    parser.add_argument(
        "--letters", type=int, default=letters.Options.letters, help="reportlab letters timed"
    )
    parser.add_argument(
        "--weasyprint",
        type=int,
        default=letters.Options.weasyprint,
        help="WeasyPrint letters timed (about 0.2 s each)",
    )
    parser.add_argument(
        "--kpi-applications",
        type=int,
        default=kpis.Options.applications,
        help="applications in the KPI benchmark's database",
    )
    parser.add_argument(
        "--kpi-events", type=int, default=kpis.Options.events, help="audit events in it"
    )
    parser.add_argument("--kpi-runs", type=int, default=kpis.Options.runs, help="timed KPI runs")
    parser.add_argument(
        "--workspace-tasks",
        type=int,
        nargs="+",
        default=list(workspace.Options.scales),
        help="open steps at each scale of the workspace benchmark",
    )
    parser.add_argument(
        "--workspace-runs",
        type=int,
        default=workspace.Options.runs,
        help="timed requests of each workspace page",
    )
    parser.add_argument("--output", type=Path, default=ROOT / "BENCHMARKS.md")
    return parser.parse_args(argv)


def database_run(name: str, options: WorkerOptions) -> Run:
    print(f"bench: {name}, {options.applications} applications…", flush=True)
    with tempfile.TemporaryDirectory(prefix="kofu-bench-") as workdir:
        try:
            with DATABASES[name](Path(workdir)) as url:
                return Run(name, result=worker_run(url, Path(workdir), options))
        except Unavailable as error:
            return Run(name, error=str(error))
        except RuntimeError as error:
            return Run(name, error=f"the run failed: {error}")


def _summary_line(run: Run) -> str:
    figures = run.figures
    if figures is None:
        return f"{run.name}: not measured ({run.error})"
    return (
        f"{run.name}: lifecycle {figures.real_rate:.1f} proc/s, floor "
        f"{figures.floor_rate:.1f} proc/s, ratio {figures.ratio:.0%}, "
        f"{figures.real_per_transition:.1f} SQL/transition "
        f"(floor {figures.floor_per_transition:.1f})"
    )


def _workflow(args: argparse.Namespace, command: str, when: str) -> int:
    options = WorkerOptions(args.applications, args.warmup, args.profile, args.chunk)
    runs = [database_run(name, options) for name in args.databases]
    section = render_section(runs, machine_info(), command, when, options)
    write_section(args.output, section)
    for run in runs:
        print(_summary_line(run))
    failed = any(run.error and not run.error.startswith("PostgreSQL") for run in runs)
    return 1 if failed else 0


def _letters(args: argparse.Namespace, command: str, when: str) -> int:
    print(f"bench: letters, {args.letters} reportlab and {args.weasyprint} WeasyPrint…", flush=True)
    options = letters.Options(letters=args.letters, weasyprint=args.weasyprint)
    try:
        result = letters.bench_letters(options)
    except RuntimeError as error:
        print(f"bench: letters failed: {error}")
        return 1
    section = letters.render_section(result, machine_info(), command, when)
    write_section(args.output, section, letters.HEADER)
    print(letters.summary_line(result))
    return 0


def _kpis(args: argparse.Namespace, command: str, when: str) -> int:
    options = kpis.Options(args.kpi_applications, args.kpi_events, max(args.kpi_runs, 1))
    runs = kpis.bench_kpis(options, args.databases)
    write_section(
        args.output, kpis.render_section(runs, machine_info(), command, when), kpis.HEADER
    )
    print(kpis.summary_line(runs))
    failed = any(run.get("error") and not run["error"].startswith("PostgreSQL") for run in runs)
    return 1 if failed else 0


def _workspace(args: argparse.Namespace, command: str, when: str) -> int:
    options = workspace.Options(
        scales=tuple(sorted(args.workspace_tasks)), runs=max(args.workspace_runs, 1)
    )
    result = workspace.bench_workspace(options)
    section = workspace.render_section(result, machine_info(), command, when, options)
    write_section(args.output, section, workspace.HEADER)
    print(workspace.summary_line(result))
    error = result.get("error")
    return 1 if error and not error.startswith("PostgreSQL") else 0


def main(argv: Sequence[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else list(argv)
    args = _arguments(arguments)
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    command = shlex.join([".venv/bin/python", "-m", "bench", *arguments])
    status = 0
    if args.only in (None, "workflow"):
        status |= _workflow(args, command, when)
    if args.only in (None, "letters"):
        status |= _letters(args, command, when)
    if args.only in (None, "kpis"):
        status |= _kpis(args, command, when)
    if args.only in (None, "workspace"):
        status |= _workspace(args, command, when)
    print(f"bench: wrote {args.output}")
    return status
