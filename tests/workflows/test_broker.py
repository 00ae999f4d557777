"""Notifications travel through a real broker to a real Celery worker, after commit."""

import time
import uuid

import pytest
from celery.contrib.testing.worker import start_worker

from config.celery import app
from notifications.models import Notification
from workflows import services as wf

pytestmark = [pytest.mark.broker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker():
    queue = f"kofu-test-{uuid.uuid4().hex[:8]}"
    previous = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    with start_worker(
        app, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=10
    ):
        yield
    app.conf.task_default_queue = previous


def wait_for(condition, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_submission_notices_reach_the_smtp_server_through_a_real_worker(
    draft, people, smtp_server, worker
):
    wf.subsidy_submit(application_id=draft.pk, by=people.applicant)

    notifications = Notification.objects.all()  # the applicants' receipt, the staff queue's
    assert wait_for(
        lambda: notifications.exists() and not notifications.filter(sent_at=None).exists()
    )
    received = sorted(rcpt for envelope in smtp_server.envelopes for rcpt in envelope.rcpt_tos)
    assert received == sorted(n.recipient.email for n in notifications)
    by_recipient = {message["To"]: message for message in smtp_server.messages}
    receipt = by_recipient["applicant@example.jp"]
    assert receipt["Subject"].strip() == f"[Kofu] 申請 {draft.reference} を受け付けました"
    assert receipt["Content-Language"] == "ja"
    assert f"/portal/applications/{draft.pk}/" in receipt.get_body(("plain",)).get_content()
    assert notifications.get(recipient=people.applicant, kind="application_submitted").attempts == 1


def test_decision_letter_and_letter_batch_rendered_by_a_real_worker(draft, people, worker):
    from fixtures.demo import advance
    from letters.models import Letter, LetterBatch
    from workflows.services import letter_batch_start

    advance(draft, "granted", vars(people))
    letters = Letter.objects.filter(kind="grant_decision")
    assert wait_for(lambda: letters.filter(status="issued").count() == 1)

    original = letters.get()
    batch = letter_batch_start(letter_ids=[original.pk], description="再発行", by=people.staff)
    assert wait_for(lambda: LetterBatch.objects.get(pk=batch.pk).status == "done")
    assert Letter.objects.get(previous=original).status == "issued"
