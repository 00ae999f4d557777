import json
from collections import Counter
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db.models import Sum

from applications.models import Application, Decision
from audit.models import AuditEvent
from payments.models import Payment

pytestmark = pytest.mark.django_db(transaction=True)


def _simulate(*, applications: int, seed: int) -> dict:
    buf = StringIO()
    call_command("simulate", applications=applications, seed=seed, stdout=buf)
    return json.loads(buf.getvalue())


def _comparable(result: dict) -> dict:
    return {key: result[key] for key in ("counts", "total_decided", "total_paid")}


def test_simulate_twelve_applications_reports_every_outcome_as_stored():
    # when (the log already holds the role groups' creation, from migrate)
    logged_before = AuditEvent.objects.count()
    result = _simulate(applications=12, seed=1)

    # then
    counts = result["counts"]
    assert sum(counts.values()) == 12
    for status in ("paid", "lapsed", "rejected", "withdrawn"):
        assert counts.get(status, 0) >= 1, status
    simulated = Application.objects.filter(round_id=result["round_id"])
    assert dict(Counter(simulated.values_list("status", flat=True))) == counts
    assert result["total_paid"] == Payment.objects.aggregate(total=Sum("amount"))["total"]
    assert result["total_paid"] == sum(
        simulated.filter(status="paid").values_list("confirmed_amount", flat=True)
    )
    assert result["total_decided"] == simulated.aggregate(total=Sum("decided_amount"))["total"]
    assert result["audit_events"] == AuditEvent.objects.count() - logged_before


def test_simulate_lapse_is_recorded_by_the_system_after_a_return():
    # when
    result = _simulate(applications=12, seed=1)

    # then
    lapsed = Application.objects.filter(round_id=result["round_id"], status="lapsed")
    lapse_events = AuditEvent.objects.filter(
        action="lapse", subject_id__in=[str(a.pk) for a in lapsed]
    )
    assert lapse_events.count() == lapsed.count() >= 1
    assert all(event.actor_id is None and event.from_status == "returned" for event in lapse_events)
    resubmitted = AuditEvent.objects.filter(action="resubmit").values_list("subject_id", flat=True)
    assert Application.objects.filter(
        pk__in=[int(pk) for pk in resubmitted], status="paid"
    ).exists()


def test_simulate_acts_as_distinct_people_per_role():
    # when
    result = _simulate(applications=12, seed=1)

    # then
    simulated = Application.objects.filter(round_id=result["round_id"])
    assert simulated.values("company").distinct().count() > 1
    actors = AuditEvent.objects.exclude(actor=None)
    for role in ("applicant", "staff", "approver"):
        assert actors.filter(actor_role=role).values("actor").distinct().count() > 1, role
    decisions = Decision.objects.filter(application__in=simulated)
    assert decisions.exists()
    assert all(decision.decided_by_id != decision.prepared_by_id for decision in decisions)


def test_simulate_same_seed_same_mix_and_amounts():
    # when
    first = _simulate(applications=6, seed=3)
    second = _simulate(applications=6, seed=3)

    # then
    assert first["round_id"] != second["round_id"]
    assert _comparable(first) == _comparable(second)


def test_simulate_console_email_backend_stdout_carries_only_json(settings, capsys):
    # given
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

    # when
    result = _simulate(applications=5, seed=0)

    # then
    assert capsys.readouterr().out == ""
    assert sum(result["counts"].values()) == 5
    assert len(mail.outbox) > 0
