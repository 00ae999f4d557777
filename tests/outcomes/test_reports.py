"""The outcome report's lifecycle through its services: opened on payment (once), submitted by
the company with every measure, accepted or returned by staff — and refused otherwise."""

import datetime as dt
from decimal import Decimal

import pytest

from applications.models import Application
from audit.models import AuditEvent
from core.errors import InvalidState, NotAllowed, ValidationFailed
from notifications.models import Notification
from outcomes.models import OutcomeReport
from outcomes.services import (
    add_months,
    outcome_report_accept,
    outcome_report_open,
    outcome_report_return,
    outcome_report_submit,
)
from payments.models import Payment
from payments.signals import application_paid
from tests.written import day_written

from .helpers import BASELINES, values

pytestmark = pytest.mark.django_db
Status = OutcomeReport.Status


@pytest.mark.parametrize(
    ("paid_on", "months", "due_on"),
    [
        (dt.date(2026, 12, 4), 6, dt.date(2027, 6, 4)),
        (dt.date(2026, 8, 31), 6, dt.date(2027, 2, 28)),  # no 31 February: the month's end
        (dt.date(2027, 8, 31), 6, dt.date(2028, 2, 29)),  # leap year
        (dt.date(2026, 10, 15), 3, dt.date(2027, 1, 15)),
        (dt.date(2026, 1, 31), 12, dt.date(2027, 1, 31)),
    ],
)
def test_add_months_cases(paid_on, months, due_on):
    assert add_months(paid_on, months) == due_on


def test_payment_opens_one_report_due_six_months_after_the_transfer(paid, people):
    # then one report, due six months after the bank's transfer date
    transfer_date = Payment.objects.select_related("item__batch").get(application=paid)
    transfer_date = transfer_date.item.batch.transfer_date
    report = OutcomeReport.objects.get(application=paid)
    assert (report.status, report.paid_on) == (Status.DUE, transfer_date)
    assert report.due_on == add_months(transfer_date, 6)
    # the company's members were told, in their language, with the link to the report
    told = Notification.objects.filter(kind="outcome_report_opened")
    assert {n.recipient for n in told} == {people.applicant, people.colleague}
    assert all(n.link == f"/portal/outcomes/{report.pk}/" for n in told)
    assert all(day_written(report.due_on, n.language) in n.subject for n in told)
    assert all(paid.reference in n.body for n in told)
    assert AuditEvent.objects.filter(
        action="outcome_report_open", subject_type="outcomes.outcomereport"
    ).get().data == {"application": paid.pk, "due_on": report.due_on.isoformat()}


def test_payment_signal_twice_still_one_report_and_one_notice(paid, people):
    # when the bank's "paid" is reported again (a retried import, a second receiver run)
    application_paid.send(sender=Payment, application_id=paid.pk)
    application_paid.send(sender=Payment, application_id=paid.pk)
    # then nothing new
    assert OutcomeReport.objects.filter(application=paid).count() == 1
    assert Notification.objects.filter(kind="outcome_report_opened").count() == 2  # 2 members


def test_outcome_report_open_again_returns_the_same_report(report):
    again = outcome_report_open(application=report.application, paid_on=dt.date(2030, 1, 1))
    assert again.pk == report.pk
    assert OutcomeReport.objects.get(pk=report.pk).paid_on == report.paid_on


def test_outcome_report_open_round_without_measures_asks_none(draft, people, run_on_commit):
    from fixtures.demo import advance

    paid = run_on_commit(advance, draft, "paid", vars(people))
    assert outcome_report_open(application=paid, paid_on=dt.date(2027, 1, 4)) is None
    assert not OutcomeReport.objects.exists()


def test_outcome_report_open_before_payment_refused(measured_draft):
    with pytest.raises(InvalidState):
        outcome_report_open(application=measured_draft, paid_on=dt.date(2027, 1, 4))
    assert not OutcomeReport.objects.exists()


def test_submit_keeps_each_value_beside_its_baseline(report, people):
    submitted = outcome_report_submit(
        report_id=report.pk, values=values(), comment="残業が減りました", by=people.colleague
    )
    assert submitted.status == Status.SUBMITTED
    assert submitted.submitted_by == people.colleague
    rows = {
        v.measure.code: (v.baseline, v.value) for v in submitted.values.select_related("measure")
    }
    assert rows == {
        code: (Decimal(BASELINES[code]), Decimal(value)) for code, value in values().items()
    }
    event = AuditEvent.objects.get(action="outcome_report_submit")
    assert (event.from_status, event.to_status, event.reason) == (
        "due",
        "submitted",
        "残業が減りました",
    )
    assert event.data["values"]["qualifications"] == "5"


def test_submit_missing_a_measure_refused(report, people):
    incomplete = values()
    del incomplete["annual_sales"]
    with pytest.raises(ValidationFailed) as refused:
        outcome_report_submit(report_id=report.pk, values=incomplete, by=people.applicant)
    assert refused.value.code == "values_missing"
    assert refused.value.field == "values.annual_sales"
    assert "年間売上高" in str(refused.value.message)
    blank = values(qualifications=" ")
    with pytest.raises(ValidationFailed):
        outcome_report_submit(report_id=report.pk, values=blank, by=people.applicant)
    assert OutcomeReport.objects.get(pk=report.pk).status == Status.DUE
    assert not report.values.exists()


def test_submit_invalid_value_refused(report, people):
    with pytest.raises(ValidationFailed) as refused:
        outcome_report_submit(
            report_id=report.pk, values=values(overtime_hours="19.25"), by=people.applicant
        )
    assert refused.value.code == "too_many_decimals"


@pytest.mark.parametrize("who", ["other_applicant", "staff", "auditor"])
def test_submit_by_someone_outside_the_company_refused(report, people, who):
    with pytest.raises(NotAllowed):
        outcome_report_submit(report_id=report.pk, values=values(), by=getattr(people, who))
    assert OutcomeReport.objects.get(pk=report.pk).status == Status.DUE


def test_accept_by_staff_records_the_rule_verdict_and_tells_the_company(report, people):
    outcome_report_submit(report_id=report.pk, values=values(), by=people.applicant)
    accepted = outcome_report_accept(report_id=report.pk, by=people.staff)
    assert accepted.status == Status.ACCEPTED
    assert accepted.accepted_at is not None and accepted.checked_by == people.staff
    event = AuditEvent.objects.get(action="outcome_report_accept")
    assert event.data["meets_productivity_rule"] is True  # overtime -18%, qualifications +67%
    assert event.data["rule"] == {"min_improved_measures": 1, "min_improvement_percent": "5"}
    assert Notification.objects.filter(
        kind="outcome_report_accepted", recipient=people.applicant
    ).exists()


def test_accept_or_return_by_the_applicant_refused(report, people):
    outcome_report_submit(report_id=report.pk, values=values(), by=people.applicant)
    with pytest.raises(NotAllowed):
        outcome_report_accept(report_id=report.pk, by=people.applicant)
    with pytest.raises(NotAllowed):
        outcome_report_return(report_id=report.pk, reason="自分で差し戻し", by=people.applicant)
    assert OutcomeReport.objects.get(pk=report.pk).status == Status.SUBMITTED


def test_accept_before_submission_refused(report, people):
    with pytest.raises(InvalidState):
        outcome_report_accept(report_id=report.pk, by=people.staff)
    with pytest.raises(InvalidState):
        outcome_report_return(report_id=report.pk, reason="未提出", by=people.staff)


def test_return_needs_a_reason_then_the_company_corrects_and_resubmits(report, people):
    outcome_report_submit(report_id=report.pk, values=values(), by=people.applicant)
    with pytest.raises(ValidationFailed):
        outcome_report_return(report_id=report.pk, reason="  ", by=people.staff)

    returned = outcome_report_return(
        report_id=report.pk, reason="売上高は決算書の数値を記入してください", by=people.staff
    )
    assert returned.status == Status.RETURNED
    assert returned.return_reason == "売上高は決算書の数値を記入してください"
    notice = Notification.objects.get(kind="outcome_report_returned", recipient=people.applicant)
    assert "売上高は決算書の数値を記入してください" in notice.body

    again = outcome_report_submit(
        report_id=report.pk, values=values(annual_sales="530000000"), by=people.applicant
    )
    assert again.status == Status.SUBMITTED
    assert again.values.get(measure__code="annual_sales").value == Decimal("530000000")
    assert again.values.count() == 3  # replaced, not added


def test_submit_an_accepted_report_refused(report, people):
    outcome_report_submit(report_id=report.pk, values=values(), by=people.applicant)
    outcome_report_accept(report_id=report.pk, by=people.staff)
    with pytest.raises(InvalidState):
        outcome_report_submit(report_id=report.pk, values=values(), by=people.applicant)
    with pytest.raises(InvalidState):
        outcome_report_return(report_id=report.pk, reason="再確認", by=people.staff)


def test_status_cannot_be_assigned_directly(report):
    with pytest.raises(AttributeError):
        report.status = Status.ACCEPTED


def test_report_of_a_revoked_grant_is_no_longer_listed(report):
    from outcomes.selectors import outcome_reports_due

    assert list(outcome_reports_due(until=report.due_on)) == [report]
    Application.objects.filter(pk=report.application_id).update(status="revoked")
    assert list(outcome_reports_due(until=report.due_on)) == []
