"""Log records carry the id of the request or job they were written in."""

from __future__ import annotations

import logging

from .context import current_request_id


class RequestIdFilter(logging.Filter):
    """Put ``request_id`` on each record: the request's X-Request-ID, ``task:<id>`` in a job,
    ``-`` outside both. Django logs a request's 4xx/5xx line after the middleware has returned,
    with the request on the record, so the id is taken from there."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        record.request_id = current_request_id() or getattr(request, "request_id", None) or "-"
        return True
