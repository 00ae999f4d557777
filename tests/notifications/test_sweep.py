"""A legally required notice is never silently lost: what a dead worker or a lost task left
unconfirmed goes out again with the same Message-ID after the lease, and staff hear once about
a notice still undelivered."""

import datetime as dt
import smtplib

import pytest
import time_machine
from django.utils import timezone

from audit.models import AuditEvent
from notifications.models import Notification
from notifications.services import notification_deliver, notify
from notifications.tasks import notification_send, notifications_sweep

pytestmark = pytest.mark.django_db
Status = Notification.EmailStatus


class WorkerKilled(BaseException):
    """What a worker's process sees when it is shut down: not an Exception, nothing catches it."""


def _grant_notice(user):
    return notify(
        recipients=[user],
        kind="decision_grant",
        legally_required=True,
        context={"reference": "SUB-2026-000009", "company": "株式会社テスト", "amount": 300000},
        link="/portal/applications/9/",
    )[0]


@pytest.fixture
def sweep(django_capture_on_commit_callbacks):
    def run(at):
        with time_machine.travel(at, tick=False), django_capture_on_commit_callbacks(execute=True):
            return notifications_sweep.apply().get()

    return run


def test_sweep_worker_killed_after_the_server_accepted_resends_once_with_same_message_id(
    people, smtp_server, monkeypatch, sweep, settings
):
    # given: a worker claims the notice, the server accepts it, and the worker is killed before
    # it records the delivery
    notice = _grant_notice(people.applicant)
    with monkeypatch.context() as crash:
        crash.setattr(smtplib.SMTP, "quit", lambda self: (_ for _ in ()).throw(WorkerKilled()))
        with pytest.raises(WorkerKilled):
            notification_deliver(notification_id=notice.pk)
    notice.refresh_from_db()
    assert notice.email_status == Status.SENDING
    assert len(smtp_server.messages) == 1
    claimed_at = notice.claimed_at

    # when: the sweep runs inside the lease, then after it, then again
    assert sweep(claimed_at + dt.timedelta(seconds=settings.KOFU_NOTIFICATION_LEASE_SECONDS - 1))
    assert len(smtp_server.messages) == 1  # still within the lease: the worker may be alive
    after = claimed_at + dt.timedelta(seconds=settings.KOFU_NOTIFICATION_LEASE_SECONDS + 1)
    assert sweep(after) == (1, 0)
    assert sweep(after + dt.timedelta(minutes=1)) == (0, 0)

    # then: it arrived once more, with the same Message-ID, and the lost attempt is on record
    first, second = smtp_server.messages
    assert (
        first["Message-ID"]
        == second["Message-ID"]
        == (f"<kofu-notification-{notice.pk}@kofu.example.jp>")
    )
    assert second["To"] == "applicant@example.jp"
    notice.refresh_from_db()
    assert (notice.email_status, notice.attempts) == (Status.SENT, 2)
    assert list(notice.attempt_log.values_list("outcome", flat=True)) == ["failed", "sent"]


def test_sweep_worker_killed_before_the_server_answered_delivers_it_once(
    people, smtp_server, monkeypatch, sweep
):
    notice = _grant_notice(people.applicant)
    with monkeypatch.context() as crash:
        crash.setattr(
            smtplib.SMTP, "sendmail", lambda self, *a, **k: (_ for _ in ()).throw(WorkerKilled())
        )
        with pytest.raises(WorkerKilled):
            notification_deliver(notification_id=notice.pk)
    assert smtp_server.messages == []

    sweep(timezone.now() + dt.timedelta(minutes=11))
    # a second task for the same row (the broker's late redelivery) finds nothing to claim
    assert notification_send.apply(args=[notice.pk]).get() is False

    (message,) = smtp_server.messages
    assert message["Message-ID"] == f"<kofu-notification-{notice.pk}@kofu.example.jp>"


def test_sweep_pending_notice_whose_task_was_lost_is_sent(people, smtp_server, sweep):
    # notify() outside a committed transaction: its after-commit task never runs
    notice = _grant_notice(people.applicant)

    sweep(timezone.now() + dt.timedelta(minutes=5))
    assert smtp_server.messages == []
    sweep(timezone.now() + dt.timedelta(minutes=11))

    assert [m["To"] for m in smtp_server.messages] == ["applicant@example.jp"]
    notice.refresh_from_db()
    assert notice.email_status == Status.SENT


def test_sweep_notice_failing_every_attempt_alerts_staff_exactly_once(
    people, smtp_server, monkeypatch, sweep, settings, client
):
    from config.celery import app

    settings.KOFU_NOTICE_ALERT_EMAIL = "duty@pref.example.jp"
    smtp_server.refuse = True
    notice = _grant_notice(people.applicant)
    monkeypatch.setitem(app.conf, "task_eager_propagates", False)
    notification_send.apply(args=[notice.pk])  # retries run at once in-process
    notice.refresh_from_db()
    assert notice.email_status == Status.FAILED
    smtp_server.refuse = False

    now = timezone.now()
    assert sweep(now + dt.timedelta(minutes=1)) == (0, 1)
    assert sweep(now + dt.timedelta(minutes=2)) == (0, 0)
    assert sweep(now + dt.timedelta(hours=30)) == (0, 0)

    alerts = Notification.objects.filter(kind="notice_undelivered")
    assert sorted(alerts.values_list("recipient__username", flat=True)) == ["staff", "staff2"]
    assert all(alert.link == "/inbox/failures/" for alert in alerts)
    duty = [m for m in smtp_server.messages if m["To"] == "duty@pref.example.jp"]
    assert len(duty) == 1
    assert notice.subject in duty[0]["Subject"]
    assert "applicant@example.jp" in duty[0].get_body(("plain",)).get_content()
    staff_mail = [m for m in smtp_server.messages if m["To"] == "staff@example.jp"]
    assert len(staff_mail) == 1
    assert AuditEvent.objects.filter(action="notification_escalate").count() == 1
    # the notice itself is not sent again by the sweep: it failed for good
    assert not [m for m in smtp_server.messages if m["To"] == "applicant@example.jp"]

    client.force_login(people.staff)
    page = client.get("/inbox/failures/").content.decode()
    assert notice.subject in page and "職員に通知済み" in page


def test_sweep_notice_undelivered_for_hours_alerts_staff_once(people, smtp_server, sweep, settings):
    from notifications.services import DeliveryFailed

    settings.KOFU_NOTICE_ALERT_AFTER_ATTEMPTS = 99
    smtp_server.refuse = True
    notice = _grant_notice(people.applicant)
    start = timezone.now()
    with pytest.raises(DeliveryFailed):
        notification_deliver(notification_id=notice.pk)
    smtp_server.refuse = False  # for the staff's own alerts
    # hours later a worker is trying it again, slowly (its lease has not run out)
    retry_at = start + dt.timedelta(hours=settings.KOFU_NOTICE_ALERT_AFTER_HOURS, minutes=-1)
    Notification.objects.filter(pk=notice.pk).update(
        email_status=Status.SENDING, claimed_at=retry_at, attempts=2
    )

    assert sweep(retry_at) == (0, 0)
    assert sweep(retry_at + dt.timedelta(minutes=2)) == (0, 1)
    assert sweep(retry_at + dt.timedelta(minutes=3)) == (0, 0)

    assert Notification.objects.filter(kind="notice_undelivered").count() == 2  # staff, staff2
    notice.refresh_from_db()
    assert notice.email_status == Status.SENDING  # the alert leaves the delivery alone
