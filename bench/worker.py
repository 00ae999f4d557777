"""One database's run, in its own process: migrate, seed, warm up, time the full lifecycle and
the floor side by side, profile a few lifecycles, and write the figures as JSON."""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from time import perf_counter, process_time
from typing import TYPE_CHECKING, Any

import django

from .sql import OriginLog, QueryLog

if TYPE_CHECKING:
    from .lifecycle import Cast

ATTRIBUTED = 5


@dataclass
class Clock:
    wall: float = 0.0
    cpu: float = 0.0
    _started: tuple[float, float] = field(default=(0.0, 0.0), repr=False)

    def __enter__(self) -> Clock:
        self._started = (perf_counter(), process_time())
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall += perf_counter() - self._started[0]
        self.cpu += process_time() - self._started[1]


@dataclass(frozen=True)
class Options:
    applications: int
    warmup: int
    profile: int
    chunk: int


def _chunks(items: Sequence[int], size: int) -> Iterator[Sequence[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _database() -> dict[str, Any]:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA journal_mode")
            journal = cursor.fetchone()[0]
            cursor.execute("PRAGMA synchronous")
            synchronous = {0: "off", 1: "normal", 2: "full", 3: "extra"}[cursor.fetchone()[0]]
            return {
                "vendor": "sqlite",
                "version": sqlite3.sqlite_version,
                "settings": f"temporary file, journal_mode={journal}, synchronous={synchronous}",
            }
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
        cursor.execute("SHOW synchronous_commit")
        return {
            "vendor": connection.vendor,
            "version": version,
            "settings": f"synchronous_commit={cursor.fetchone()[0]}",
        }


def _mails_taken() -> int:
    from django.core import mail

    sent = len(getattr(mail, "outbox", []))
    mail.outbox = []
    return sent


def _by_kind(log: QueryLog) -> dict[str, dict[str, int]]:
    kinds: dict[str, dict[str, int]] = {}
    for (step, kind), count in log.by_kind().items():
        kinds.setdefault(step, {})[kind] = count
    return kinds


def _warm_up(cast: Cast, count: int, log: QueryLog) -> list[tuple[str, str]]:
    from .floor import floor_processes_create, floor_run
    from .lifecycle import costs_of, drafts_create, lifecycle_run, transition_path

    ids = drafts_create(cast, count, log)
    costs = costs_of(ids)
    for application_id in ids:
        lifecycle_run(application_id, cast, costs[application_id], log, {})
    path = transition_path(ids[0])
    floor_run(floor_processes_create(count, path[0][0]), path, actor_id=cast.users["staff"].pk)
    _mails_taken()
    return path


@dataclass
class Interleaved:
    real: Clock = field(default_factory=Clock)
    floor: Clock = field(default_factory=Clock)
    step_seconds: dict[str, float] = field(default_factory=dict)
    chunks: list[tuple[float, float]] = field(default_factory=list)
    mails: int = 0


def _interleave(
    cast: Cast, ids: list[int], path: list[tuple[str, str]], options: Options, log: QueryLog
) -> Interleaved:
    """Alternate a chunk of lifecycles and the same number of floor processes."""
    from .floor import floor_processes_create, floor_run
    from .lifecycle import costs_of, lifecycle_run

    costs = costs_of(ids)
    floor_ids = floor_processes_create(len(ids), path[0][0])
    runs = Interleaved()
    for chunk in _chunks(range(len(ids)), options.chunk):
        real_before, floor_before = runs.real.wall, runs.floor.wall
        with runs.real:
            for index in chunk:
                lifecycle_run(ids[index], cast, costs[ids[index]], log, runs.step_seconds)
        runs.mails += _mails_taken()
        log.step = "floor"
        with runs.floor:
            floor_run([floor_ids[index] for index in chunk], path, actor_id=cast.users["staff"].pk)
        runs.chunks.append((runs.real.wall - real_before, runs.floor.wall - floor_before))
    log.step = "setup"
    return runs


def _side_by_side(
    cast: Cast, path: list[tuple[str, str]], options: Options, log: QueryLog
) -> dict[str, Any]:
    from .floor import floor_statuses
    from .lifecycle import drafts_create, statuses_of, transitions_counted

    with Clock() as draft:
        ids = drafts_create(cast, options.applications, log)
    log.step = "setup"
    runs = _interleave(cast, ids, path, options, log)
    return {
        "draft": {"wall_s": draft.wall, "cpu_s": draft.cpu, "queries": log.count("draft")},
        "real": {
            "wall_s": runs.real.wall,
            "cpu_s": runs.real.cpu,
            "step_seconds": runs.step_seconds,
            "mails": runs.mails,
            "transitions": transitions_counted(ids),
            "final_statuses": statuses_of(ids),
        },
        "floor": {
            "wall_s": runs.floor.wall,
            "cpu_s": runs.floor.cpu,
            "queries": log.count("floor"),
            "transitions": len(path) * options.applications,
            "final_statuses": sorted(floor_statuses()),
        },
        "chunks": runs.chunks,
        "queries_by_step": dict(log.by_step()),
        "queries_by_kind": _by_kind(log),
    }


def _profiled(cast: Cast, count: int) -> dict[str, Any]:
    from .lifecycle import costs_of, drafts_create, lifecycle_run
    from .profiling import profile_summary

    log = QueryLog()
    ids = drafts_create(cast, count, log)
    costs = costs_of(ids)

    def work() -> None:
        for application_id in ids:
            lifecycle_run(application_id, cast, costs[application_id], log, {})

    return profile_summary(work, count)


def _attributed(cast: Cast, count: int) -> list[dict[str, Any]]:
    """Statements per process by the code that sent them, over ``count`` more lifecycles."""
    from .lifecycle import costs_of, drafts_create, lifecycle_run

    ids = drafts_create(cast, count, QueryLog())
    costs = costs_of(ids)
    log = OriginLog()
    with log.installed():
        for application_id in ids:
            lifecycle_run(application_id, cast, costs[application_id], log, {})
    kinds = _by_kind(log)
    return [
        {
            "origin": origin,
            "queries": total / count,
            "kinds": {kind: n / count for kind, n in kinds[origin].items()},
        }
        for origin, total in log.by_step().most_common()
    ]


def measure(options: Options) -> dict[str, Any]:
    from django.core.management import call_command

    from .floor import floor_tables_create
    from .lifecycle import cast_create

    load_before = os.getloadavg()[0]
    with Clock() as migrate:
        call_command("migrate", interactive=False, verbosity=0)
    cast = cast_create()
    floor_tables_create()
    log = QueryLog()
    with log.installed():
        path = _warm_up(cast, options.warmup, log)
        log.clear()
        result = _side_by_side(cast, path, options, log)
    return {
        "database": _database(),
        "migrate_s": migrate.wall,
        "applications": options.applications,
        "warmup": options.warmup,
        "path": path,
        **result,
        "profile": _profiled(cast, options.profile) if options.profile else None,
        "origins": _attributed(cast, ATTRIBUTED),
        "origin_processes": ATTRIBUTED,
        "load_average": [load_before, os.getloadavg()[0]],
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.worker")
    for name in ("--applications", "--warmup", "--profile", "--chunk"):
        parser.add_argument(name, type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    options = Options(args.applications, max(args.warmup, 1), args.profile, max(args.chunk, 1))
    args.out.write_text(json.dumps(measure(options), indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
