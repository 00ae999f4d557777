"""Notifications reach a real SMTP server once, in the recipient's language, with a link."""

import pytest
from rest_framework.test import APIClient

from notifications.models import Attempt, Notification, Preference
from notifications.services import (
    MAX_ATTEMPTS,
    notification_resend,
    notifications_needing_attention,
    notify,
)
from notifications.tasks import digests_send, notification_send

pytestmark = pytest.mark.django_db
Status = Notification.EmailStatus


def test_submission_emails_each_member_in_their_language_with_link(
    draft, people, smtp_server, run_on_commit
):
    from workflows import services as wf

    run_on_commit(wf.subsidy_submit, application_id=draft.pk, by=people.applicant)

    received = {message["To"]: message for message in smtp_server.messages}
    japanese, english = received["applicant@example.jp"], received["colleague@example.jp"]
    assert japanese["Subject"].strip() == f"[Kofu] 申請 {draft.reference} を受け付けました"
    assert japanese["Content-Language"] == "ja"
    assert english["Subject"].strip() == f"[Kofu] Application {draft.reference} received"
    assert english["Content-Language"] == "en"
    link = f"http://127.0.0.1:8000/portal/applications/{draft.pk}/"
    for message in (japanese, english):
        assert link in message.get_body(("plain",)).get_content()
        assert f'href="{link}"' in message.get_body(("html",)).get_content()


def test_task_waiting_reaches_the_staff_queue(draft, people, smtp_server, run_on_commit):
    from workflows import services as wf

    run_on_commit(wf.subsidy_submit, application_id=draft.pk, by=people.applicant)
    staff_mail = [
        m for m in smtp_server.messages if m["To"] in {"staff@example.jp", "staff2@example.jp"}
    ]
    assert len(staff_mail) == 2
    assert all("書類審査" in m["Subject"] and draft.reference in m["Subject"] for m in staff_mail)


def _one_notification(user, kind="application_submitted", legally_required=False):
    return notify(
        recipients=[user],
        kind=kind,
        legally_required=legally_required,
        context={"reference": "SUB-2026-000009", "company": "株式会社テスト"},
        link="/portal/applications/9/",
    )[0]


def test_send_task_run_twice_delivers_once(people, smtp_server):
    notification = _one_notification(people.applicant)

    assert notification_send.apply(args=[notification.pk]).get() is True
    assert notification_send.apply(args=[notification.pk]).get() is False

    assert len(smtp_server.envelopes) == 1
    notification.refresh_from_db()
    assert (notification.email_status, notification.attempts) == (Status.SENT, 1)
    assert list(notification.attempt_log.values_list("outcome", flat=True)) == ["sent"]


def test_refusing_server_retries_then_records_the_final_failure(people, smtp_server, monkeypatch):
    from config.celery import app

    smtp_server.refuse = True
    notification = _one_notification(people.applicant)

    # in-process, Celery runs each retry at once instead of after its backoff
    monkeypatch.setitem(app.conf, "task_eager_propagates", False)
    notification_send.apply(args=[notification.pk])

    notification.refresh_from_db()
    assert notification.email_status == Status.FAILED
    assert notification.attempts == MAX_ATTEMPTS
    assert Attempt.objects.filter(notification=notification, outcome="failed").count() == (
        MAX_ATTEMPTS
    )
    assert "451" in notification.last_error
    assert list(notifications_needing_attention()) == [notification]

    smtp_server.refuse = False
    notification_resend(notification_id=notification.pk, by=people.staff)
    notification_send.apply(args=[notification.pk])
    assert len(smtp_server.envelopes) == 1


def test_digest_preference_sends_one_daily_email(people, smtp_server):
    Preference.objects.create(user=people.applicant, email=Preference.Email.DIGEST)
    first = _one_notification(people.applicant)
    second = _one_notification(people.applicant, kind="application_lapsed")
    assert first.email_status == second.email_status == Status.DIGEST

    assert digests_send.apply().get() == 2
    assert digests_send.apply().get() == 0

    (message,) = smtp_server.messages
    assert message["To"] == "applicant@example.jp"
    body = message.get_body(("plain",)).get_content()
    assert first.subject in body and second.subject in body
    assert set(Notification.objects.values_list("email_status", flat=True)) == {Status.SENT}


def test_email_opt_out_skips_email_but_not_legally_required_notices(people, smtp_server):
    Preference.objects.create(user=people.applicant, email=Preference.Email.OFF, in_app=False)
    optional = _one_notification(people.applicant)
    required = _one_notification(people.applicant, kind="decision_grant", legally_required=True)

    notification_send.apply(args=[optional.pk])
    notification_send.apply(args=[required.pk])

    assert optional.email_status == Status.SKIPPED and not optional.in_app
    assert required.in_app
    assert [m["To"] for m in smtp_server.messages] == ["applicant@example.jp"]


def test_inbox_unread_count_and_mark_read_through_the_api(people):
    first = _one_notification(people.applicant)
    _one_notification(people.applicant)
    _one_notification(people.other_applicant)
    client = APIClient()
    client.force_authenticate(people.applicant)

    assert client.get("/api/notifications/unread-count/").json() == {"unread": 2}
    assert client.post(f"/api/notifications/{first.pk}/read/").json() == {"marked": 1}
    assert client.get("/api/notifications/unread-count/").json() == {"unread": 1}
    assert client.post("/api/notifications/read-all/").json() == {"marked": 1}
    assert len(client.get("/api/notifications/").json()["results"]) == 2


def test_failures_page_lists_and_resends_for_staff_only(
    people, client, smtp_server, django_capture_on_commit_callbacks
):
    notification = _one_notification(people.applicant)
    Notification.objects.filter(pk=notification.pk).update(email_status=Status.FAILED)
    client.force_login(people.applicant)
    assert client.get("/inbox/failures/").status_code == 403
    client.force_login(people.staff)
    assert notification.subject in client.get("/inbox/failures/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/inbox/failures/{notification.pk}/resend/")
    notification.refresh_from_db()
    assert notification.email_status == Status.SENT
    assert len(smtp_server.envelopes) == 1


def test_web_inbox_shows_unread_count(people, client):
    _one_notification(people.applicant)
    client.force_login(people.applicant)
    page = client.get("/inbox/").content.decode()
    assert "申請 SUB-2026-000009 を受け付けました" in page
    assert "未読 1件" in page
