"""Staff-side sessions end after a spell without requests; applicants' do not."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 12, 2, 1, 0, tzinfo=dt.UTC)
INBOX = "/inbox/"


def test_idle_timeout_staff_idle_past_limit_signed_out(client, people, settings):
    # given
    settings.KOFU_STAFF_IDLE_TIMEOUT_MINUTES = 30
    client.force_login(people.staff)
    with time_machine.travel(T0, tick=False):
        assert client.get(INBOX).status_code == 200
    # when
    with time_machine.travel(T0 + dt.timedelta(minutes=31), tick=False):
        answer = client.get(INBOX)
    # then
    assert answer.status_code == 302
    assert answer["Location"] == f"{reverse('login')}?next={INBOX}"
    assert "_auth_user_id" not in client.session
    assert "30" in str(next(iter(get_messages(answer.wsgi_request))))


def test_idle_timeout_staff_active_within_limit_kept(client, people, settings):
    settings.KOFU_STAFF_IDLE_TIMEOUT_MINUTES = 30
    client.force_login(people.approver)
    for minutes in (0, 25, 50, 75):  # each request within 30 minutes of the one before
        with time_machine.travel(T0 + dt.timedelta(minutes=minutes), tick=False):
            assert client.get(INBOX).status_code == 200


def test_idle_timeout_applicant_same_idle_time_kept(client, people, settings):
    settings.KOFU_STAFF_IDLE_TIMEOUT_MINUTES = 30
    client.force_login(people.applicant)
    with time_machine.travel(T0, tick=False):
        assert client.get(INBOX).status_code == 200
    with time_machine.travel(T0 + dt.timedelta(minutes=31), tick=False):
        answer = client.get(INBOX)
    assert answer.status_code == 200
    assert client.session["_auth_user_id"] == str(people.applicant.pk)


def test_idle_timeout_reviewer_signed_out(client, reviewers, settings):
    settings.KOFU_STAFF_IDLE_TIMEOUT_MINUTES = 30
    client.force_login(reviewers[0])
    with time_machine.travel(T0, tick=False):
        client.get(INBOX)
    with time_machine.travel(T0 + dt.timedelta(minutes=31), tick=False):
        assert client.get(INBOX).status_code == 302


def test_idle_timeout_api_session_expired_refused(client, people, settings):
    settings.KOFU_STAFF_IDLE_TIMEOUT_MINUTES = 30
    client.force_login(people.finance)
    with time_machine.travel(T0, tick=False):
        assert client.get("/api/notifications/").status_code == 200
    with time_machine.travel(T0 + dt.timedelta(minutes=31), tick=False):
        answer = client.get("/api/notifications/")
    assert answer.status_code == 403
    assert answer.json()["code"] == "not_authenticated"
