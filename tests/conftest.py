"""Shared fixtures. Tests that need PostgreSQL or a real broker skip with a visible reason when
it is absent; with KOFU_REQUIRE_SERVICES=1 (CI) such a skip is a failure instead."""

from __future__ import annotations

import os
from types import SimpleNamespace

import pytest
from django.db import connection

from fixtures.demo import companies_create, draft_create, round_create, user_create
from fixtures.reference import reference_data_load

REQUIRE_SERVICES = os.environ.get("KOFU_REQUIRE_SERVICES") == "1"


def _missing_service(item: pytest.Item) -> str | None:
    if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
        return "needs PostgreSQL: set DATABASE_URL=postgres://… (CI runs it)"
    if item.get_closest_marker("broker") and not os.environ.get("CELERY_BROKER_URL"):
        return "needs a real Celery broker: set CELERY_BROKER_URL=redis://… (CI runs it)"
    return None


def pytest_runtest_setup(item: pytest.Item) -> None:
    reason = _missing_service(item)
    if reason is None:
        return
    if REQUIRE_SERVICES:
        pytest.fail(f"KOFU_REQUIRE_SERVICES=1 but this test {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _celery_in_process(request, settings, tmp_path):
    """Tasks run in-process unless the test exercises the real broker."""
    from config.celery import app

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    eager = request.node.get_closest_marker("broker") is None
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = eager
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request in another language (a user's
    profile, Accept-Language) leaves that language active in the thread."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def reference(db):
    reference_data_load()


@pytest.fixture
def subsidy_round(reference):
    return round_create()


@pytest.fixture
def companies(db):
    return companies_create()


@pytest.fixture
def people(companies):
    from core.roles import Role

    return SimpleNamespace(
        applicant=user_create("applicant", Role.APPLICANT, companies[0]),
        colleague=user_create("colleague", Role.APPLICANT, companies[0], "en"),
        other_applicant=user_create("other", Role.APPLICANT, companies[1]),
        staff=user_create("staff", Role.STAFF, None),
        staff2=user_create("staff2", Role.STAFF, None),
        approver=user_create("approver", Role.APPROVER, None),
        approver2=user_create("approver2", Role.APPROVER, None),
        finance=user_create("finance", Role.FINANCE, None),
        finance2=user_create("finance2", Role.FINANCE, None),
        auditor=user_create("auditor", Role.AUDITOR, None),
    )


@pytest.fixture
def reviewers(companies):
    """Five committee members; the last works for companies[1] (a detected conflict)."""
    from core.roles import Role

    pool = [user_create(f"reviewer{n}", Role.REVIEWER, None) for n in range(1, 5)]
    return [*pool, user_create("reviewer5", Role.REVIEWER, companies[1])]


@pytest.fixture
def draft(subsidy_round, people):
    """A complete draft of the first company: 2 trainees, tuition + exam fee, all documents."""
    return draft_create(subsidy_round, people.applicant)


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run after-commit callbacks (notifications) the way a committed request would."""

    def run(func, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return func(*args, **kwargs)

    return run


class _Inbox:
    """What a real SMTP server on loopback received."""

    def __init__(self):
        self.envelopes = []
        self.refuse = False

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return "451 Requested action aborted: try again later"
        self.envelopes.append(envelope)
        return "250 Message accepted"

    @property
    def messages(self):
        import email
        from email.policy import default

        return [email.message_from_bytes(e.content, policy=default) for e in self.envelopes]


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server (aiosmtpd) on 127.0.0.1; Django sends to it over SMTP."""
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_TIMEOUT = 10
    yield inbox
    controller.stop()


@pytest.fixture(autouse=True)
def _force_login_passes_second_factor(monkeypatch):
    """`client.force_login(user)` stands for a finished sign-in, second factor included: a user
    who must use two-factor sign-in gets an authenticator if they have none and the session is
    marked verified with it. Tests of the sign-in itself log in through the pages instead."""
    from django.test.client import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.selectors import two_factor_required

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        if not two_factor_required(user):
            return
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login)
