"""The health endpoint a load balancer or monitor polls: 200 when the database and the
Celery broker answer, 503 naming what does not."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from kombu import Connection

logger = logging.getLogger(__name__)

BROKER_TIMEOUT_SECONDS = 2.0


def database_check() -> None:
    """Raise unless the default database answers a query."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def broker_check() -> None:
    """Raise unless the Celery broker accepts a connection. Without a configured broker tasks
    run in-process, so there is nothing to reach."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return
    with Connection(
        settings.CELERY_BROKER_URL,
        connect_timeout=BROKER_TIMEOUT_SECONDS,
        transport_options={"socket_timeout": BROKER_TIMEOUT_SECONDS, "max_retries": 0},
    ) as connection:
        connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0)


CHECKS = {"database": database_check, "broker": broker_check}


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """{"status": "ok"|"unavailable", "checks": {name: "ok"|"unavailable"}}; no details of the
    failure leave the server (they go to the log)."""
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception:
            logger.exception("health check %s failed", name)
            results[name] = "unavailable"
        else:
            results[name] = "ok"
    healthy = all(result == "ok" for result in results.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": results},
        status=200 if healthy else 503,
    )
