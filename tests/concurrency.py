"""Running one action from many threads at once, each on its own database connection."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

from django.db import connection

THREADS = 20


def run_concurrently(action: Callable[[int], Any], count: int = THREADS) -> list[Any]:
    """Start ``count`` threads at one barrier; return each outcome (a value or an exception)."""
    barrier = threading.Barrier(count)
    outcomes: list[Any] = [None] * count

    def worker(index: int) -> None:
        try:
            barrier.wait()
            outcomes[index] = action(index)
        except Exception as error:  # each outcome is inspected by the test
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def outcome_names(outcomes: list[Any]) -> Counter:
    return Counter(type(outcome).__name__ for outcome in outcomes)
