"""Who may read the audit pages, and that they only answer reads: auditors and administrators
see them; staff, approvers, finance, reviewers and applicants get 403; anonymous visitors go to
the login page; any method but GET and HEAD gets 405 and changes nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from audit.models import AuditEvent
from core.roles import Role
from fixtures.demo import user_create

from .helpers import browser

pytestmark = pytest.mark.django_db

PERIOD = "?from=2026-04-01&to=2027-03-31"


@pytest.fixture
def urls(paid, commended, registered):
    nomination = commended.nomination.pk
    return [
        "/audit/",
        f"/audit/?q={paid.reference}",
        f"/audit/applications/{paid.pk}/",
        f"/audit/applications/{paid.pk}/trace.pdf",
        f"/audit/declarations/{registered.pk}/",
        f"/audit/declarations/{registered.pk}/trace.pdf",
        f"/audit/nominations/{nomination}/",
        f"/audit/nominations/{nomination}/trace.pdf",
        f"/audit/log.csv{PERIOD}",
        f"/audit/log.xlsx{PERIOD}",
    ]


def _read(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_audit_pages_auditor_reads_every_page(urls, people):
    auditor = browser(people.auditor)

    statuses = {url: auditor.get(url).status_code for url in urls}

    assert set(statuses.values()) == {200}, statuses


def test_audit_pages_administrator_reads_them_too(urls, companies):
    admin = browser(user_create("admin", Role.ADMIN, None))

    assert {admin.get(url).status_code for url in urls} == {200}


def test_audit_pages_other_roles_are_refused(urls, people, reviewers):
    others = [people.staff, people.approver, people.finance, people.applicant, reviewers[0]]

    for user in others:
        client = browser(user)
        statuses = {url: client.get(url).status_code for url in urls}
        assert set(statuses.values()) == {403}, (user.username, statuses)


def test_audit_pages_anonymous_visitor_is_sent_to_log_in(urls):
    client = Client()

    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next=/audit/"), url


def test_audit_pages_other_methods_are_not_allowed(urls, people):
    auditor = browser(people.auditor)
    events = AuditEvent.objects.count()

    for method in ("post", "put", "patch", "delete", "options"):
        for url in urls:
            response = getattr(auditor, method)(url, data={"q": "x"})
            assert response.status_code == 405, (method, url)
            assert response["Allow"] == "GET, HEAD", url
    assert AuditEvent.objects.count() == events


def test_audit_pages_head_answers_without_a_body(urls, people):
    auditor = browser(people.auditor)

    for url in urls:
        response = auditor.head(url)
        assert response.status_code == 200, url
        assert _read(response) == b"", url


def test_trace_of_a_missing_record_is_not_found(paid, people):
    auditor = browser(people.auditor)

    assert auditor.get(f"/audit/applications/{paid.pk + 1000}/").status_code == 404
    assert auditor.get(f"/audit/nominations/{paid.pk + 1000}/trace.pdf").status_code == 404
