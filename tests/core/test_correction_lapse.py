"""The lapse of an unanswered return for correction: one rule for the subsidy, the declaration
and the award nomination, checked at the deadline and safe to run twice."""

import datetime as dt
from typing import Any

import pytest
import time_machine

from audit.models import AuditEvent
from core.corrections import correction_lapses_at
from core.errors import CorrectionDeadlineNotPassed, CorrectionMissing
from notifications.models import Notification

from .programmes import PROGRAMMES

pytestmark = pytest.mark.django_db


@pytest.fixture(params=PROGRAMMES, ids=lambda programme: programme.name)
def programme(request):
    return request.param


@pytest.fixture
def returned(request, programme, people):
    """A record of the programme returned for correction, and its correction."""
    record = programme.submitted(request, people)
    correction = programme.returned(record.pk, people.staff)
    return record, correction


def _status(record: Any) -> str:
    record.refresh_from_db()
    return record.status


def _lapse_events(record: Any) -> int:
    return AuditEvent.objects.filter(action="lapse", subject_id=str(record.pk)).count()


def test_correction_lapse_before_the_deadline_is_refused(programme, returned):
    record, correction = returned
    last_minute = correction_lapses_at(correction) - dt.timedelta(minutes=1)

    with (
        time_machine.travel(last_minute, tick=False),
        pytest.raises(CorrectionDeadlineNotPassed) as refused,
    ):
        programme.lapse(record.pk)

    assert refused.value.code == "correction_deadline_not_passed"
    assert _status(record) == "returned"
    assert _lapse_events(record) == 0


def test_correction_lapse_after_the_deadline_lapses(programme, returned, people, run_on_commit):
    record, correction = returned

    with time_machine.travel(
        correction_lapses_at(correction) + dt.timedelta(seconds=1), tick=False
    ):
        run_on_commit(programme.lapse, record.pk)

    assert _status(record) == "lapsed"
    event = AuditEvent.objects.get(action="lapse", subject_id=str(record.pk))
    assert (event.actor, event.actor_role, event.from_status) == (None, "system", "returned")
    assert event.data["deadline"] == correction.deadline.isoformat()
    assert (
        Notification.objects.filter(
            kind=programme.lapsed_notice, recipient=people.applicant
        ).count()
        == 1
    )


def test_correction_lapse_twice_is_a_no_op(programme, returned, people, run_on_commit):
    record, correction = returned

    with time_machine.travel(correction_lapses_at(correction) + dt.timedelta(days=1), tick=False):
        run_on_commit(programme.lapse, record.pk)
        run_on_commit(programme.lapse, record.pk)  # a redelivered timer

    assert _status(record) == "lapsed"
    assert _lapse_events(record) == 1
    assert (
        Notification.objects.filter(
            kind=programme.lapsed_notice, recipient=people.applicant
        ).count()
        == 1
    )


def test_correction_lapse_answered_in_time_is_not_lapsed(programme, returned, people):
    record, correction = returned
    programme.resubmit(record.pk, people.applicant)

    with time_machine.travel(correction_lapses_at(correction) + dt.timedelta(days=1), tick=False):
        programme.lapse(record.pk)  # a timer that fired although the answer came first

    assert _status(record) == "submitted"
    assert _lapse_events(record) == 0
    assert not Notification.objects.filter(kind=programme.lapsed_notice).exists()


def test_correction_lapse_without_an_open_correction_is_refused(programme, returned):
    record, correction = returned
    type(correction).objects.filter(pk=correction.pk).update(answered_at=correction.requested_at)

    with (
        time_machine.travel(correction_lapses_at(correction) + dt.timedelta(days=1), tick=False),
        pytest.raises(CorrectionMissing) as refused,
    ):
        programme.lapse(record.pk)

    assert refused.value.code == "correction_missing"
    assert _status(record) == "returned"
