"""Where each run happens: a temporary SQLite file, or a dedicated PostgreSQL database that is
created for the run and dropped after it. Each run is a subprocess with its own DATABASE_URL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PG_HOST, PG_PORT, PG_USER, PG_DATABASE = "127.0.0.1", 5432, "postgres", "kofu_bench"
LOCMEM_EMAIL = "django.core.mail.backends.locmem.EmailBackend"


class Unavailable(Exception):
    """The database cannot be used on this machine; the reason is the message."""


@dataclass(frozen=True)
class WorkerOptions:
    applications: int
    warmup: int
    profile: int
    chunk: int


@contextmanager
def sqlite_database(workdir: Path) -> Iterator[str]:
    yield f"sqlite:///{workdir / 'bench.sqlite3'}"


def _admin_connection() -> Any:
    try:
        import psycopg
    except ImportError as error:
        raise Unavailable(f"psycopg is not installed ({error})") from error
    try:
        return psycopg.connect(
            host=PG_HOST,
            port=PG_PORT,
            user=PG_USER,
            dbname="postgres",
            connect_timeout=3,
            autocommit=True,
        )
    except psycopg.Error as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise Unavailable(f"PostgreSQL at {PG_HOST}:{PG_PORT} is unreachable: {reason}") from error


@contextmanager
def postgres_database(workdir: Path) -> Iterator[str]:
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


DATABASES = {"SQLite": sqlite_database, "PostgreSQL": postgres_database}


def _environment(url: str, workdir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            # background tasks are queued, not run: in production Celery workers run them
            "CELERY_BROKER_URL": "memory://localhost/",
            "DATABASE_URL": url,
            "EMAIL_BACKEND": LOCMEM_EMAIL,
            "MEDIA_ROOT": str(workdir / "media"),
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "0",
            "LOG_LEVEL": "ERROR",
        }
    )
    return env


def worker_run(url: str, workdir: Path, options: WorkerOptions) -> dict[str, Any]:
    """Run bench.worker against ``url`` in a fresh interpreter and return its figures."""
    out = workdir / "result.json"
    command = [
        sys.executable,
        "-m",
        "bench.worker",
        "--out",
        str(out),
        "--applications",
        str(options.applications),
        "--warmup",
        str(options.warmup),
        "--profile",
        str(options.profile),
        "--chunk",
        str(options.chunk),
    ]
    environment = _environment(url, workdir)
    completed = subprocess.run(command, cwd=ROOT, env=environment, check=False)  # noqa: S603
    if completed.returncode != 0:
        raise RuntimeError(f"bench.worker exited with status {completed.returncode}")
    return json.loads(out.read_text())
