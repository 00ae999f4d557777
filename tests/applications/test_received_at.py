"""The first receipt date (受付日) survives a resubmission after a correction; the latest
submission is kept beside it."""

import datetime as dt
import importlib

import pytest
import time_machine
from django.apps import apps
from rest_framework.test import APIClient

from applications.models import Application
from audit.models import AuditEvent
from core.dates import JST
from fixtures.demo import draft_create
from workflows import services as wf
from workflows import steps

pytestmark = pytest.mark.django_db

FIRST = dt.datetime(2026, 12, 1, 10, 0, tzinfo=JST)
RETURNED = dt.datetime(2026, 12, 2, 9, 0, tzinfo=JST)
AGAIN = dt.datetime(2026, 12, 4, 15, 30, tzinfo=JST)


def _submitted_returned_resubmitted(application, people):
    with time_machine.travel(FIRST, tick=False):
        wf.subsidy_submit(application_id=application.pk, by=people.applicant)
    with time_machine.travel(RETURNED, tick=False):
        wf.step_complete(
            application_id=application.pk,
            step=steps.CHECK_DOCUMENTS,
            by=people.staff,
            data={"accept": False, "items": ["事業計画書の目的欄"], "message": "要修正"},
        )
    with time_machine.travel(AGAIN, tick=False):
        wf.subsidy_resubmit(application_id=application.pk, by=people.applicant, answer="追記")
    return Application.objects.get(pk=application.pk)


@pytest.fixture
def draft(subsidy_round, people):
    """A draft in a round whose window covers the dates of these tests."""
    subsidy_round.opens_at = FIRST - dt.timedelta(days=30)
    subsidy_round.closes_at = AGAIN + dt.timedelta(days=30)
    subsidy_round.save(update_fields=["opens_at", "closes_at"])
    return draft_create(subsidy_round, people.applicant)


def test_resubmission_after_correction_keeps_the_first_receipt_date(draft, people):
    application = _submitted_returned_resubmitted(draft, people)

    assert application.status == Application.Status.SUBMITTED
    assert application.received_at == FIRST
    assert application.submitted_at == AGAIN


def test_received_at_api_and_page_show_first_receipt_and_last_submission(draft, people, client):
    application = _submitted_returned_resubmitted(draft, people)

    api = APIClient()
    api.force_authenticate(people.applicant)
    body = api.get(f"/api/applications/{application.pk}/").json()
    assert dt.datetime.fromisoformat(body["received_at"]) == FIRST
    assert dt.datetime.fromisoformat(body["submitted_at"]) == AGAIN

    client.force_login(people.staff)
    page = client.get(application.get_absolute_url()).content.decode()
    assert 'data-testid="received-at">2026年12月1日 10:00<' in page
    assert 'data-testid="submitted-at">2026年12月4日 15:30<' in page


def test_received_at_backfill_takes_the_first_submit_from_the_audit_log(
    draft, people, subsidy_round
):
    resubmitted = _submitted_returned_resubmitted(draft, people)
    once = draft_create(subsidy_round, people.applicant)
    never = draft_create(subsidy_round, people.applicant)
    # rows as they were before the migration: no first receipt; one with a submission time but
    # no "submit" in the log (a record older than the log)
    Application.objects.update(received_at=None)
    Application.objects.filter(pk=once.pk).update(submitted_at=RETURNED)
    assert not AuditEvent.objects.filter(subject_id=str(once.pk), action="submit").exists()
    migration = importlib.import_module("applications.migrations.0005_application_received_at")

    migration.application_received_at_backfill(apps, None)

    received = dict(Application.objects.values_list("pk", "received_at"))
    assert received[resubmitted.pk] == FIRST  # the first submit, not the resubmission
    assert received[once.pk] == RETURNED  # no log entry: the submission time on the row
    assert received[never.pk] is None  # never submitted


def test_received_at_kpi_stages_count_from_the_latest_submission(draft, people, client):
    from kpis.selectors import stage_durations

    application = _submitted_returned_resubmitted(draft, people)
    with time_machine.travel(AGAIN + dt.timedelta(days=2), tick=False):
        wf.step_complete(
            application_id=application.pk,
            step=steps.CHECK_DOCUMENTS,
            by=people.staff2,
            data={"accept": True},
        )

    row = stage_durations().set_index("round_id").loc[application.round_id]
    assert row["document_check"] == pytest.approx(2.0)  # not 5 days from the first receipt
    client.force_login(people.staff)
    page = client.get("/kpis/").content.decode()
    assert "受付日" in page and "標準処理期間" in page
