"""Row history of key records on PostgreSQL: before and after values, bulk updates included,
tied to the same request id and user as the audit events."""

import pytest
from celery import shared_task
from django.db import connection, transaction
from django.utils import timezone
from rest_framework.test import APIClient

from applications.models import Application
from audit.context import context_bind
from audit.models import AuditEvent
from history.recording import history_context
from history.selectors import changes_between, changes_for, changes_for_request, recording_enabled
from workflows import services as wf

pytestmark = pytest.mark.django_db
postgres = pytest.mark.postgres


@shared_task
def summary_rewrite_task(application_id: int) -> None:
    Application.objects.filter(pk=application_id).update(plan_summary="ジョブが更新")


def test_recording_enabled_only_on_postgresql(draft):
    assert recording_enabled() is (connection.vendor == "postgresql")
    if not recording_enabled():
        assert changes_for(draft) == []


@postgres
def test_service_transition_recorded_with_before_after_actor_and_request(draft, people):
    # when the applicant submits within a request
    with context_bind("req-submit", lambda: people.applicant), history_context():
        wf.subsidy_submit(application_id=draft.pk, by=people.applicant)

    # then the application's history has its insert, then the status change
    changes = changes_for(draft)
    assert changes[0].label == "insert"
    assert changes[0].fields["plan_summary"] == (None, draft.plan_summary)
    submitted = next(c for c in changes if c.label == "update" and "status" in c.fields)
    assert submitted.fields["status"] == ("draft", "submitted")
    assert submitted.fields["submitted_at"][0] is None
    assert (submitted.actor, submitted.request_id) == (people.applicant, "req-submit")
    assert (submitted.model, submitted.object_id) == ("applications.Application", str(draft.pk))
    event = AuditEvent.objects.get(action="submit", subject_id=str(draft.pk))
    assert event.request_id == submitted.request_id


@postgres
def test_bulk_queryset_update_recorded_per_row(subsidy_round, people):
    from fixtures.demo import draft_create

    drafts = [draft_create(subsidy_round, people.applicant) for _ in range(2)]
    before = [d.plan_summary for d in drafts]

    Application.objects.filter(pk__in=[d.pk for d in drafts]).update(plan_summary="一括変更")

    for application, old in zip(drafts, before, strict=True):
        last = changes_for(application)[-1]
        assert last.fields == {"plan_summary": (old, "一括変更")}
        assert (last.actor, last.request_id) == (None, "")


@postgres
def test_request_ties_audit_event_and_history_row_by_request_id(subsidy_round, people):
    client = APIClient()
    client.force_authenticate(people.applicant)  # DRF sets the user only inside the view

    response = client.post("/api/applications/", {"round": subsidy_round.pk}, format="json")

    request_id = response["X-Request-ID"]
    created = str(response.json()["id"])
    event = AuditEvent.objects.get(request_id=request_id, action="create")
    inserted = next(
        change
        for change in changes_for_request(request_id)
        if change.model == "applications.Application"
    )
    assert (inserted.label, inserted.object_id, event.subject_id) == ("insert", created, created)
    assert inserted.actor == people.applicant == event.actor


@postgres
def test_job_rows_carry_the_task_id(draft):
    result = summary_rewrite_task.delay(draft.pk)

    last = changes_for(draft)[-1]
    assert last.request_id == f"task:{result.id}"
    assert last.fields["plan_summary"][1] == "ジョブが更新"


@postgres
@pytest.mark.django_db(transaction=True)
def test_changes_between_takes_the_period_with_the_value_before_it(draft):
    with transaction.atomic():
        Application.objects.filter(pk=draft.pk).update(plan_summary="一回目")
    start = timezone.now()
    with transaction.atomic():
        Application.objects.filter(pk=draft.pk).update(plan_summary="二回目")

    changes = [c for c in changes_between(start, timezone.now()) if c.object_id == str(draft.pk)]

    assert [change.fields for change in changes] == [{"plan_summary": ("一回目", "二回目")}]
