"""Nothing on the audit pages changes data: an auditor crawls every page and export reachable
from the search page (for a paid application, a commended nomination and a registered
declaration) and every table of the database holds exactly what it held before."""

from __future__ import annotations

import hashlib
import re
from collections import deque

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .helpers import browser

pytestmark = pytest.mark.django_db

LINK = re.compile(r'href="(/(?:audit|letters)/[^"]*)"')
WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE|TRUNCATE|ALTER|CREATE|DROP)\b", re.I)
# signing in writes the session, and so does the staff idle timeout's stamp of the last request
# (at most once a minute); reading the pages writes nothing else
SESSIONS = "django_session"


def tables() -> list[str]:
    return [name for name in connection.introspection.table_names() if name != SESSIONS]


def row_counts() -> dict[str, int]:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        counts = {}
        for table in tables():
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - our own names
            counts[table] = cursor.fetchone()[0]
    return counts


def contents() -> dict[str, str]:
    """A digest of every row of every table, so that an UPDATE shows too."""
    quote = connection.ops.quote_name
    digests = {}
    with connection.cursor() as cursor:
        for table in tables():
            cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608 - our own names
            rows = sorted(repr(row) for row in cursor.fetchall())
            digests[table] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return digests


def crawl(client, start: list[str]) -> dict[str, int]:
    """Follow every link to an audit page or a letter from the start pages; GET and HEAD."""
    seen: dict[str, int] = {}
    queue = deque(start)
    while queue:
        url = queue.popleft().replace("&amp;", "&")
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = response.status_code
        client.head(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if response.get("Content-Type", "").startswith("text/html"):
            queue.extend(LINK.findall(body.decode()))
    return seen


def test_audit_pages_crawled_change_no_table(paid, commended, registered, people):
    auditor = browser(people.auditor)
    start = [
        "/audit/",
        "/audit/?programme=subsidy",
        "/audit/?programme=award",
        "/audit/?programme=declaration",
        f"/audit/?q={paid.company.name}",
        f"/audit/?q={paid.company.corporate_number}&status=paid",
        "/audit/log.csv?from=2000-01-01&to=2100-12-31",
        "/audit/log.xlsx?from=2000-01-01&to=2100-12-31",
        "/audit/log.csv?from=2100-01-01&to=2000-12-31",
    ]
    counts, digests = row_counts(), contents()

    with CaptureQueriesContext(connection) as queries:
        seen = crawl(auditor, start)

    # every page of the three records, their PDFs and their letters were read
    for url in (
        f"/audit/applications/{paid.pk}/",
        f"/audit/applications/{paid.pk}/trace.pdf",
        f"/audit/nominations/{commended.nomination.pk}/",
        f"/audit/nominations/{commended.nomination.pk}/trace.pdf",
        f"/audit/declarations/{registered.pk}/",
        f"/audit/declarations/{registered.pk}/trace.pdf",
    ):
        assert seen.get(url) == 200, url
    assert sum(url.startswith("/letters/") for url in seen) >= 6
    assert set(seen.values()) == {200, 400}  # the reversed period is refused
    writes = [query["sql"] for query in queries if WRITES.match(query["sql"])]
    assert [sql for sql in writes if SESSIONS not in sql.split("SET")[0]] == []
    assert row_counts() == counts
    assert contents() == digests
