"""The demo a newcomer meets: outcome reports in each state, and a company with gains."""

import pytest
from django.contrib.auth import get_user_model

from core.dates import JST, fiscal_year_of, today_jst
from fixtures.demo import demo_load
from outcomes.models import OutcomeReport
from outcomes.selectors import gain_first_fiscal_years, outcome_report_list_for_user

pytestmark = pytest.mark.django_db


def test_demo_has_outcome_reports_accepted_submitted_due_and_overdue():
    demo_load()
    reports = list(outcome_report_list_for_user(_staff()))
    today = today_jst()
    accepted = [r for r in reports if r.status == OutcomeReport.Status.ACCEPTED]
    assert [r.application.company.name for r in accepted] == ["株式会社ひたちテック"]
    assert gain_first_fiscal_years() == {accepted[0].application.company_id: _fy(accepted[0])}
    assert any(r.status == OutcomeReport.Status.SUBMITTED for r in reports)
    assert any(r.is_overdue(today) for r in reports)
    assert any(r.status == "due" and not r.is_overdue(today) for r in reports)
    # every paid application gave its baselines when applying
    assert all(r.application.baselines.count() == 5 for r in reports)


def _staff():
    return get_user_model().objects.get(username="staff")


def _fy(report):
    return fiscal_year_of(report.accepted_at.astimezone(JST).date())
