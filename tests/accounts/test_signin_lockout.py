"""Password guessing is locked out per username and address, on the login page and the API."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
import time_machine
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from audit.models import AuditEvent
from core.roles import Role
from fixtures.demo import DEMO_PASSWORD, user_create

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 12, 2, 1, 0, tzinfo=dt.UTC)


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def _basic(username, password):
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def test_login_wrong_passwords_at_limit_locked_with_retry_time(client, people, settings):
    # given
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=15)
    with time_machine.travel(T0, tick=False):
        # when
        answers = [_login(client, "staff", f"wrong-{n}") for n in range(5)]
    # then: four ordinary refusals, then the lockout page with when to try again (JST)
    assert [a.status_code for a in answers[:4]] == [200] * 4
    assert answers[4].status_code == 429
    assert answers[4]["Retry-After"] == str(15 * 60)
    page = answers[4].content.decode()
    assert 'data-testid="lockout"' in page
    assert "2026年12月2日 10:15" in page  # 01:00 UTC + 15 minutes, shown in Asia/Tokyo


def test_login_right_password_while_locked_refused(client, people, settings):
    settings.AXES_FAILURE_LIMIT = 3
    with time_machine.travel(T0, tick=False):
        for n in range(3):
            _login(client, "staff", f"wrong-{n}")
        # when
        answer = _login(client, "staff", DEMO_PASSWORD)
    # then
    assert answer.status_code == 429
    assert "_auth_user_id" not in client.session


def test_login_after_cooloff_accepted(client, people, settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=15)
    with time_machine.travel(T0, tick=False):
        for n in range(3):
            _login(client, "staff", f"wrong-{n}")
    # when: the cool-off has passed since the last failure
    with time_machine.travel(T0 + dt.timedelta(minutes=16), tick=False):
        answer = _login(client, "staff", DEMO_PASSWORD)
    # then
    assert answer.status_code == 302
    assert client.session["_auth_user_id"] == str(people.staff.pk)


def test_login_locked_from_one_address_other_address_accepted(client, people, settings):
    settings.AXES_FAILURE_LIMIT = 3
    with time_machine.travel(T0, tick=False):
        for n in range(3):
            _login(client, "staff", f"wrong-{n}")
        # when: the same username from another address (lockout is by username + IP)
        answer = client.post(
            reverse("login"),
            {"username": "staff", "password": DEMO_PASSWORD},
            REMOTE_ADDR="192.0.2.7",
        )
    # then
    assert answer.status_code == 302


def test_login_lock_deleted_by_admin_unlocked_and_audited(client, people, settings):
    settings.AXES_FAILURE_LIMIT = 3
    admin = user_create("admin", Role.ADMIN, None)
    admin.is_staff = admin.is_superuser = True
    admin.save()
    with time_machine.travel(T0, tick=False):
        for n in range(3):
            _login(client, "staff", f"wrong-{n}")
        # when: the admin deletes the access attempt (Admin → Axes → Access attempts)
        attempt = AccessAttempt.objects.get(username="staff")
        admin_client = Client()
        admin_client.force_login(admin)
        deleted = admin_client.post(
            f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"}
        )
        answer = _login(client, "staff", DEMO_PASSWORD)
    # then
    assert deleted.status_code == 302
    assert answer.status_code == 302
    event = AuditEvent.objects.get(action="account_unlocked")
    assert event.actor == admin
    assert event.subject_id == str(people.staff.pk)


def test_login_lockout_written_to_audit_log(client, people, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for n in range(3):
        _login(client, "staff", f"wrong-{n}")
    event = AuditEvent.objects.get(action="account_locked")
    assert event.subject_id == str(people.staff.pk)
    assert event.data["username"] == "staff"
    assert event.data["ip_address"] == "127.0.0.1"


def test_api_basic_refused_by_default(people):
    # given: the default settings (KOFU_API_BASIC_AUTH off)
    api = APIClient()
    # when
    answer = api.get("/api/notifications/", HTTP_AUTHORIZATION=_basic("staff", DEMO_PASSWORD))
    # then
    assert answer.status_code == 403
    assert answer.json()["code"] == "not_authenticated"


def test_api_basic_setting_on_accepted(people, settings):
    settings.KOFU_API_BASIC_AUTH = True
    api = APIClient()
    answer = api.get("/api/notifications/", HTTP_AUTHORIZATION=_basic("staff", DEMO_PASSWORD))
    assert answer.status_code == 200


def test_api_basic_wrong_passwords_locked_right_password_refused(people, settings):
    # given
    settings.KOFU_API_BASIC_AUTH = True
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=15)
    api = APIClient()
    with time_machine.travel(T0, tick=False):
        # when
        answers = [
            api.get("/api/notifications/", HTTP_AUTHORIZATION=_basic("staff", f"wrong-{n}"))
            for n in range(3)
        ]
        locked = api.get("/api/notifications/", HTTP_AUTHORIZATION=_basic("staff", DEMO_PASSWORD))
    # then
    assert [a.status_code for a in answers] == [403, 403, 429]
    assert answers[0].json()["code"] == "authentication_failed"
    assert locked.status_code == 429
    body = locked.json()
    assert body["code"] == "account_locked"
    assert body["field"] is None
    assert "2026年12月2日 10:15" in body["message"]
    assert locked["Retry-After"] == str(15 * 60)
    # and after the cool-off the right password works again
    with time_machine.travel(T0 + dt.timedelta(minutes=16), tick=False):
        answer = api.get("/api/notifications/", HTTP_AUTHORIZATION=_basic("staff", DEMO_PASSWORD))
    assert answer.status_code == 200
