"""Double submits and client retries on PostgreSQL with real threads: one effect, no 500."""

import threading
import time
from collections import Counter

import pytest
from django.db import connection, transaction
from rest_framework.test import APIClient

from applications.models import Application, Decision
from core.models import IdempotencyRecord
from fixtures.demo import advance, draft_create
from tests.concurrency import run_concurrently
from workflows.flows import SubsidyFlow
from workflows.services import active_task

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
REQUESTS = 8


def client_for(user):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    client.raise_request_exception = False
    return client


def post(user, url, data, **headers):
    response = client_for(user).post(url, data, format="json", headers=headers)
    return response.status_code, response.json(), response.headers.get("Idempotent-Replayed")


@pytest.fixture
def submitted(subsidy_round, people):
    application = draft_create(subsidy_round, people.applicant)
    return advance(application, "submitted", vars(people))


@pytest.fixture
def decision_pending(subsidy_round, people):
    application = draft_create(subsidy_round, people.applicant)
    return advance(application, "decision_pending", vars(people))


def test_same_step_sent_concurrently_succeeds_once_and_conflicts_otherwise(submitted, people):
    # given an application waiting for its document check
    url = f"/api/applications/{submitted.pk}/check-documents/"
    # when the same staff member sends the same step many times at once
    outcomes = run_concurrently(lambda i: post(people.staff, url, {"accept": True}), count=REQUESTS)
    # then one succeeds and the others are told it is already done, none fails
    statuses = Counter(status for status, _, _ in outcomes)
    assert statuses == {200: 1, 409: REQUESTS - 1}, outcomes
    codes = {body["code"] for status, body, _ in outcomes if status == 409}
    assert codes <= {"already_done", "invalid_state", "conflict"}, outcomes
    assert Application.objects.get(pk=submitted.pk).status == Application.Status.SCREENING


def test_same_idempotency_key_sent_concurrently_decides_once(decision_pending, people):
    # given an application waiting for the grant decision
    url = f"/api/applications/{decision_pending.pk}/decide/"
    # when the approver's client sends the same decision with one key many times at once
    outcomes = run_concurrently(
        lambda i: post(people.approver, url, {"approve": True}, **{"Idempotency-Key": "d-1"}),
        count=REQUESTS,
    )
    # then one decision is made; the others are refused while it runs or get its answer
    first = [body for status, body, replayed in outcomes if status == 200 and not replayed]
    replays = [body for status, body, replayed in outcomes if status == 200 and replayed]
    in_flight = [body for status, body, _ in outcomes if status == 409]
    assert len(first) == 1 and len(first) + len(replays) + len(in_flight) == REQUESTS, outcomes
    assert all(body == first[0] for body in replays)
    assert all(body["code"] == "request_in_progress" for body in in_flight)
    assert Decision.objects.filter(application=decision_pending).count() == 1


def _wait_for(condition, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the first request never started"
        time.sleep(0.01)


def test_idempotency_key_in_flight_then_replayed_then_reused_refused(decision_pending, people):
    url = f"/api/applications/{decision_pending.pk}/decide/"
    key = {"Idempotency-Key": "decide-42"}
    process_id = active_task(decision_pending.pk, "decide", SubsidyFlow).process_id
    first: dict = {}
    release = threading.Event()
    locked = threading.Event()

    def hold_the_process() -> None:
        # another piece of work holds the application's process, so the first request waits
        try:
            with transaction.atomic():
                rows = SubsidyFlow.process_class.objects.select_for_update().filter(pk=process_id)
                list(rows.values("pk"))
                locked.set()
                release.wait(30)
        finally:
            connection.close()

    def first_request() -> None:
        try:
            first["outcome"] = post(people.approver, url, {"approve": True}, **key)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_process)
    holder.start()
    locked.wait(30)
    runner = threading.Thread(target=first_request)
    runner.start()
    # given the first request has recorded its key and is waiting for the process
    _wait_for(lambda: IdempotencyRecord.objects.filter(key="decide-42").exists())

    # when the client retries while it runs
    status, body, _ = post(people.approver, url, {"approve": True}, **key)
    # then the retry is refused as in progress, and no second decision is started
    assert (status, body["code"]) == (409, "request_in_progress")

    release.set()
    holder.join()
    runner.join()
    assert first["outcome"][0] == 200
    # when it retries after the first has finished, it gets the first answer again
    status, body, replayed = post(people.approver, url, {"approve": True}, **key)
    assert (status, body, replayed) == (200, first["outcome"][1], "true")
    # and the same key with another body is refused
    status, body, _ = post(people.approver, url, {"approve": False, "reason": "x"}, **key)
    assert (status, body["code"]) == (422, "idempotency_key_reused")
    assert Decision.objects.filter(application=decision_pending).count() == 1
