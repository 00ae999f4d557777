"""``python -m bench``: the workflow throughput benchmark on SQLite and PostgreSQL, each in its
own subprocess, written to the "Workflow throughput" section of BENCHMARKS.md."""

from __future__ import annotations

import argparse
import datetime as dt
import shlex
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

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


def main(argv: Sequence[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else list(argv)
    args = _arguments(arguments)
    options = WorkerOptions(args.applications, args.warmup, args.profile, args.chunk)
    runs = [database_run(name, options) for name in args.databases]
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    command = shlex.join([".venv/bin/python", "-m", "bench", *arguments])
    section = render_section(runs, machine_info(), command, when, options)
    write_section(args.output, section)
    for run in runs:
        print(_summary_line(run))
    print(f"bench: wrote {args.output}")
    failed = any(run.error and not run.error.startswith("PostgreSQL") for run in runs)
    return 1 if failed else 0
