"""Collecting the repayment: principal first, 加算金 by days, settled when both are covered.

The demo's ¥187,000 reached the company on its transfer day T; at 10.95% a year on a 365-day
year the charge is ¥0.0003 per yen per day, so 100 days on ¥187,000 is ¥5,610."""

import datetime as dt

import pytest

from audit.models import AuditEvent
from core.errors import InvalidState, NotAllowed, ValidationFailed
from notifications.models import Notification
from revocations import services
from revocations.models import Revocation
from revocations.selectors import repayment_due, revocations_outstanding

from .conftest import at

pytestmark = pytest.mark.django_db


def day(ordered, n):
    """The n-th day after the subsidy was received."""
    return ordered.interest_from + dt.timedelta(days=n)


def record(ordered, people, amount, on):
    return services.repayment_record(
        revocation_id=ordered.pk, by=people.finance, amount=amount, received_on=on
    )


def test_due_grows_by_days_on_the_principal(ordered):
    assert repayment_due(ordered, day(ordered, 0)) == {
        "principal_outstanding": 187_000,
        "interest": 0,
        "total": 187_000,
    }
    assert repayment_due(ordered, day(ordered, 100)) == {
        "principal_outstanding": 187_000,
        "interest": 5_610,
        "total": 192_610,
    }


def test_repaying_principal_and_charge_at_once_settles(ordered, people, time_machine):
    time_machine.move_to(at(day(ordered, 100)), tick=False)

    receipt = record(ordered, people, 192_610, day(ordered, 100))

    ordered.refresh_from_db()
    assert ordered.status == Revocation.Status.SETTLED
    assert receipt.recorded_by == people.finance
    assert ordered not in revocations_outstanding()
    assert AuditEvent.objects.filter(
        subject_type="revocations.revocation",
        subject_id=str(ordered.pk),
        action="repayment_settle",
        from_status="ordered",
        to_status="settled",
    ).exists()


def test_partial_repayment_reduces_the_principal_from_its_day(ordered, people, time_machine):
    # 87,000 repaid on day 40: 187,000 × 40 + 100,000 × 60 = 13,480,000 yen-days → ¥4,044
    time_machine.move_to(at(day(ordered, 40)), tick=False)
    record(ordered, people, 87_000, day(ordered, 40))
    time_machine.move_to(at(day(ordered, 100)), tick=False)

    assert repayment_due(ordered, day(ordered, 100)) == {
        "principal_outstanding": 100_000,
        "interest": 4_044,
        "total": 104_044,
    }
    outstanding = revocations_outstanding().get(pk=ordered.pk)
    assert outstanding.repaid == 87_000

    record(ordered, people, 104_044, day(ordered, 100))

    ordered.refresh_from_db()
    assert ordered.status == Revocation.Status.SETTLED


def test_principal_repaid_leaves_the_charge_fixed_and_the_order_open(ordered, people, time_machine):
    # all 187,000 on day 50: the charge stops at 187,000 × 50 × 0.0003 = ¥2,805
    time_machine.move_to(at(day(ordered, 80)), tick=False)
    record(ordered, people, 187_000, day(ordered, 50))

    ordered.refresh_from_db()
    assert ordered.status == Revocation.Status.ORDERED
    assert repayment_due(ordered, day(ordered, 80)) == {
        "principal_outstanding": 0,
        "interest": 2_805,
        "total": 2_805,
    }

    record(ordered, people, 2_805, day(ordered, 80))

    ordered.refresh_from_db()
    assert ordered.status == Revocation.Status.SETTLED


def test_recording_more_than_is_due_is_refused(ordered, people, time_machine):
    time_machine.move_to(at(day(ordered, 100)), tick=False)

    with pytest.raises(ValidationFailed) as refused:
        record(ordered, people, 192_611, day(ordered, 100))

    assert refused.value.field == "amount"
    assert "192,610" in str(refused.value.message)
    assert not ordered.receipts.exists()


def test_receipt_dates_must_be_real(ordered, people, time_machine):
    time_machine.move_to(at(day(ordered, 10)), tick=False)

    with pytest.raises(ValidationFailed):
        record(ordered, people, 1_000, day(ordered, 11))  # tomorrow
    with pytest.raises(ValidationFailed):
        record(ordered, people, 1_000, day(ordered, -1))  # before the subsidy arrived
    with pytest.raises(ValidationFailed):
        record(ordered, people, 0, day(ordered, 5))
    assert not ordered.receipts.exists()


def test_settled_order_takes_no_more_receipts(ordered, people, time_machine):
    time_machine.move_to(at(day(ordered, 100)), tick=False)
    record(ordered, people, 192_610, day(ordered, 100))

    with pytest.raises(InvalidState):
        record(ordered, people, 1, day(ordered, 100))


@pytest.mark.parametrize("who", ["applicant", "staff", "approver"])
def test_only_finance_records_repayments(ordered, people, time_machine, who):
    time_machine.move_to(at(day(ordered, 10)), tick=False)

    with pytest.raises(NotAllowed):
        services.repayment_record(
            revocation_id=ordered.pk,
            by=getattr(people, who),
            amount=1_000,
            received_on=day(ordered, 10),
        )


def test_company_is_told_what_remains(ordered, people, time_machine, run_on_commit):
    time_machine.move_to(at(day(ordered, 40)), tick=False)

    run_on_commit(record, ordered, people, 87_000, day(ordered, 40))

    english = Notification.objects.get(kind="repayment_received", recipient=people.colleague)
    assert "87,000 yen" in english.body
    assert "100,000 yen of the subsidy" in english.body
    assert "2,244 yen of additional charge" in english.body  # 187,000 × 40 × 0.0003


def test_rate_is_fixed_when_decided(ordered, settings):
    settings.KOFU_REPAYMENT_INTEREST_PERCENT = "14.6"

    assert repayment_due(ordered, day(ordered, 100))["interest"] == 5_610
