"""The productivity KPI: companies counted by outcomes' rule, from outcome reports made and
checked through the outcome services, in the fiscal year their first qualifying report was
accepted."""

import pytest
from django.urls import reverse

from applications.models import OutcomeMeasure
from core.dates import fiscal_year_of, today_jst
from fixtures.demo import advance, draft_create, round_create
from kpis.report import dashboard_report
from outcomes.models import OutcomeReport
from outcomes.services import outcome_report_accept, outcome_report_submit

pytestmark = pytest.mark.django_db

MEASURES = ["overtime_hours", "annual_sales", "qualifications"]
# ひたちテック's demo baselines: 24.5 hours, 480,000,000 yen, 3 qualifications
BETTER = {"overtime_hours": "20.0", "annual_sales": "500000000", "qualifications": "5"}
NO_BETTER = {"overtime_hours": "25.0", "annual_sales": "470000000", "qualifications": "3"}


@pytest.fixture
def paid(reference, people, run_on_commit):
    round_ = round_create()
    round_.outcome_measures.set(OutcomeMeasure.objects.filter(code__in=MEASURES))
    draft = draft_create(round_, people.applicant)
    return run_on_commit(advance, draft, "paid", vars(people))


def _report_accepted(paid, people, values):
    report = OutcomeReport.objects.get(application=paid)
    outcome_report_submit(report_id=report.pk, values=values, by=people.applicant)
    return outcome_report_accept(report_id=report.pk, by=people.staff)


def test_gains_accepted_report_meeting_the_rule_counts_the_company(paid, people):
    _report_accepted(paid, people, BETTER)
    gains = dashboard_report().kpis["productivity_gains"]
    this_year = fiscal_year_of(today_jst())
    assert {row["fiscal_year"]: row["count"] for row in gains.year_rows}[this_year] == 1
    assert gains.total == 1
    assert gains.target == 100
    assert gains.period_value == (1 if 2026 <= this_year <= 2027 else 0)


def test_gains_report_below_the_rule_does_not_count(paid, people):
    _report_accepted(paid, people, NO_BETTER)
    assert dashboard_report().kpis["productivity_gains"].total == 0


def test_gains_submitted_but_not_accepted_does_not_count(paid, people):
    report = OutcomeReport.objects.get(application=paid)
    outcome_report_submit(report_id=report.pk, values=BETTER, by=people.applicant)
    assert dashboard_report().kpis["productivity_gains"].total == 0


def test_dashboard_shows_the_rule_and_the_gain(client, paid, people):
    _report_accepted(paid, people, BETTER)
    client.force_login(people.staff)
    html = client.get(reverse("kpis:dashboard")).content.decode()
    assert 'data-testid="kpi-productivity_gains-total">1<' in html
    from outcomes.selectors import productivity_rule

    assert productivity_rule().describe() in html.replace("&#x27;", "'")
