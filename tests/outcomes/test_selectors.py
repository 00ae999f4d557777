"""Reads for the KPI: which companies achieved productivity gains, and in which fiscal year
(April–March, by the acceptance of their first report that meets the rule)."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from applications.models import Application, OutcomeMeasure
from core.dates import JST
from fixtures.demo import advance, draft_create
from outcomes.models import OutcomeReport, OutcomeValue
from outcomes.rule import HIGHER, LOWER, ProductivityRule, meets_rule
from outcomes.selectors import (
    gain_first_fiscal_years,
    outcome_reports_of,
    productivity_rule,
    report_improvements,
    reports_meeting_rule,
)
from outcomes.services import outcome_report_accept, outcome_report_submit

from .helpers import values
from .test_rule import CASES, FLOAT_TRAP, change

pytestmark = pytest.mark.django_db

# Sales up 4.2% only (below 5%); overtime and qualifications unchanged.
SMALL_GAIN = values(overtime_hours="24.5", annual_sales="500000000", qualifications="3")


def paid_report(round_, applicant, people, run_on_commit):
    application = run_on_commit(
        advance, draft_create(round_, applicant), "paid", {**vars(people), "applicant": applicant}
    )
    return OutcomeReport.objects.get(application=application)


def accept_at(report, by, reported, staff, when):
    outcome_report_submit(report_id=report.pk, values=reported, by=by)
    with time_machine.travel(when, tick=False):
        outcome_report_accept(report_id=report.pk, by=staff)


def test_gain_first_fiscal_years_splits_at_april_first_in_japan(
    measured_round, report, people, run_on_commit
):
    other = paid_report(measured_round, people.other_applicant, people, run_on_commit)
    # 23:30 on 31 March in Japan is still fiscal 2026; 00:10 on 1 April (15:10 UTC on 31 March)
    # is fiscal 2027
    accept_at(
        report,
        people.applicant,
        values(),
        people.staff,
        dt.datetime(2027, 3, 31, 23, 30, tzinfo=JST),
    )
    accept_at(
        other,
        people.other_applicant,
        values(),
        people.staff,
        dt.datetime(2027, 4, 1, 0, 10, tzinfo=JST),
    )
    assert gain_first_fiscal_years() == {
        report.application.company_id: 2026,
        other.application.company_id: 2027,
    }


def test_gain_first_fiscal_years_counts_the_first_report_that_meets_the_rule(
    measured_round, report, people, run_on_commit
):
    # given the company's first accepted report without gains, and a later one with
    later = paid_report(measured_round, people.applicant, people, run_on_commit)
    accept_at(
        report, people.applicant, SMALL_GAIN, people.staff, dt.datetime(2026, 12, 1, tzinfo=JST)
    )
    accept_at(later, people.applicant, values(), people.staff, dt.datetime(2028, 6, 1, tzinfo=JST))
    # then the company counts from the later one's year
    assert gain_first_fiscal_years() == {report.application.company_id: 2028}


def test_gain_first_fiscal_years_follows_the_configured_rule(report, people, settings):
    accept_at(
        report, people.applicant, SMALL_GAIN, people.staff, dt.datetime(2027, 1, 5, tzinfo=JST)
    )
    company = report.application.company_id

    assert gain_first_fiscal_years() == {}  # 4.2% < 5%
    settings.KOFU_PRODUCTIVITY_RULE = {"min_improved_measures": 1, "min_improvement_percent": "4"}
    assert gain_first_fiscal_years() == {company: 2026}
    settings.KOFU_PRODUCTIVITY_RULE = {"min_improved_measures": 2, "min_improvement_percent": "4"}
    assert gain_first_fiscal_years() == {}


def test_gain_first_fiscal_years_ignores_reports_not_accepted(report, people):
    outcome_report_submit(report_id=report.pk, values=values(), by=people.applicant)
    assert gain_first_fiscal_years() == {}


def test_report_improvements_show_each_measure_under_the_rule(report, people):
    outcome_report_submit(
        report_id=report.pk,
        values=values(overtime_hours="18.0", annual_sales="500000000", qualifications="9"),
        by=people.applicant,
    )
    rows = {row.measure.code: row for row in report_improvements(report)}
    overtime, sales, qualifications = (
        rows["overtime_hours"],
        rows["annual_sales"],
        rows["qualifications"],
    )
    assert (overtime.baseline, overtime.value, overtime.gain) == (
        Decimal("24.5"),
        Decimal("18.0"),
        Decimal("6.5"),
    )
    assert (overtime.percent, overtime.improved) == (Decimal("26.5"), True)
    assert (sales.percent, sales.improved) == (Decimal("4.2"), False)
    assert (qualifications.percent, qualifications.improved) == (Decimal("200.0"), True)
    assert list(outcome_reports_of(report.application)) == [report]


def test_productivity_rule_reads_the_setting(settings):
    settings.KOFU_PRODUCTIVITY_RULE = {"min_improved_measures": 2, "min_improvement_percent": "10"}
    rule = productivity_rule()
    assert (rule.min_improved_measures, rule.min_improvement_percent) == (2, Decimal("10"))


def _accepted_report(applicant, round_, changes):
    """An accepted report with these (better, baseline, value) rows, written directly: the
    services would refuse the decimals some edge cases need."""
    measure = {
        HIGHER: OutcomeMeasure.objects.get(code="annual_sales"),
        LOWER: OutcomeMeasure.objects.get(code="defect_rate"),
    }
    application = Application.objects.create(
        round=round_, company=applicant.profile.company, created_by=applicant
    )
    report = OutcomeReport.objects.create(
        application=application,
        status=OutcomeReport.Status.ACCEPTED,
        accepted_at=dt.datetime(2027, 1, 5, tzinfo=JST),
        paid_on=dt.date(2026, 7, 1),
        due_on=dt.date(2027, 1, 1),
    )
    for better, baseline, value in changes:
        OutcomeValue.objects.create(
            report=report,
            measure=measure[better],
            baseline=None if baseline is None else Decimal(baseline),
            value=Decimal(value),
        )
    return report


@pytest.mark.parametrize(
    "percent", [Decimal("5"), Decimal("7.5"), Decimal("0"), Decimal("0.01"), Decimal("26.5")]
)
def test_reports_meeting_rule_in_sql_agree_with_the_rule(subsidy_round, people, percent):
    # given one accepted report per hand-computed case, and two-measure reports
    single = {
        _accepted_report(people.applicant, subsidy_round, [case[:3]]).pk: [case[:3]]
        for case in [*CASES, FLOAT_TRAP, (LOWER, "24.5", "18.0", True)]
    }
    pairs = [
        [(HIGHER, "100", "110"), (LOWER, "2.40", "2.00")],
        [(HIGHER, "100", "103"), (LOWER, "2.40", "2.00")],
        [(HIGHER, "100", "90"), (LOWER, "2.40", "2.50")],
    ]
    double = {_accepted_report(people.applicant, subsidy_round, p).pk: p for p in pairs}
    for measures in (1, 2):
        rule = ProductivityRule(min_improved_measures=measures, min_improvement_percent=percent)
        expected = {
            pk
            for pk, rows in {**single, **double}.items()
            if meets_rule(rule, [change(*row) for row in rows])
        }
        # then the database picks exactly the reports the pure rule picks
        assert set(reports_meeting_rule(rule).values_list("pk", flat=True)) == expected
        assert expected or measures == 2  # never vacuous for one measure


def test_a_revoked_grant_lists_no_outcome_report(report):
    from applications.models import Application

    Application.objects.filter(pk=report.application_id).update(status=Application.Status.REVOKED)
    application = Application.objects.get(pk=report.application_id)
    assert list(outcome_reports_of(application)) == []
