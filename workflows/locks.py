from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction


class ProcessRowLock:
    """Serialise work on one process: a blocking ``SELECT … FOR UPDATE`` of its row.

    Unlike viewflow's ``select_for_update_lock`` it waits for the holder instead of failing
    fast and retrying with sleeps, and on SQLite, whose IMMEDIATE transactions already
    serialise writers, it sends no query at all.
    """

    @contextmanager
    def __call__(self, flow_class: type, process_pk: int) -> Iterator[None]:
        with transaction.atomic():
            if connection.features.has_select_for_update:
                manager = flow_class.process_class._default_manager
                list(manager.select_for_update(of=("self",)).filter(pk=process_pk).values("pk"))
            yield


process_row_lock = ProcessRowLock()
