"""Audit events name the web request or background job they came from."""

import pytest
from celery import shared_task
from rest_framework.test import APIClient

from audit.chain import chain_verify
from audit.context import context_bind, current_request_id
from audit.models import AuditEvent
from audit.services import event_record
from core.roles import Role

pytestmark = pytest.mark.django_db


@shared_task
def note_task(subject_id: str) -> str:
    event_record(("applications.application", subject_id), "note", by=None, role=Role.SYSTEM)
    return current_request_id()


def test_event_in_a_request_carries_the_request_id_the_client_was_told(subsidy_round, people):
    client = APIClient()
    client.force_authenticate(people.applicant)

    response = client.post("/api/applications/", {"round": subsidy_round.pk}, format="json")

    assert response.status_code == 201, response.content
    request_id = response["X-Request-ID"]
    event = AuditEvent.objects.get(action="create", subject_id=str(response.json()["id"]))
    assert len(request_id) == 32
    assert (event.request_id, event.actor) == (request_id, people.applicant)


def test_two_requests_have_different_ids(people, client):
    client.force_login(people.staff)

    first, second = client.get("/"), client.get("/")

    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_event_in_a_background_job_carries_its_task_id(db):
    result = note_task.delay("7")

    event = AuditEvent.objects.get(action="note", subject_id="7")
    assert event.request_id == f"task:{result.id}" == result.get()
    assert current_request_id() == ""


def test_eager_job_inside_a_request_belongs_to_that_request(db):
    with context_bind("req-1"):
        assert note_task.delay("8").get() == "req-1"
        assert current_request_id() == "req-1"

    assert AuditEvent.objects.get(subject_id="8").request_id == "req-1"


def test_event_outside_any_request_or_job_has_no_request_id(db):
    assert event_record(("x.y", "1"), "note", by=None, role=Role.SYSTEM).request_id == ""


@pytest.mark.django_db(transaction=True)
def test_events_of_a_committed_request_are_sealed_before_the_response(subsidy_round, people):
    client = APIClient()
    client.force_authenticate(people.applicant)

    response = client.post("/api/applications/", {"round": subsidy_round.pk}, format="json")

    event = AuditEvent.objects.get(request_id=response["X-Request-ID"])
    assert event.seq is not None
    assert chain_verify().ok
