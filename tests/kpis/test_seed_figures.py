"""The seed fixture reproduces the published figures, and the KPI report computes exactly those
numbers from the records; records that must not count do not change them."""

import datetime as dt

import pytest
from django.core.management import call_command

from accounts.models import Company
from applications.models import Application
from awards.models import AwardRound
from core.corporate_number import is_valid_corporate_number
from declarations.models import Declaration
from fixtures.seed_figures import seed_figures_load
from kpis.report import dashboard_report

from .helpers import application, declaration, jst, nomination, paid_application, subsidy_round

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 24)


def _by_year(report, key):
    return {row["fiscal_year"]: row for row in report.kpis[key].year_rows}


def _published(report):
    """The published figures as the report computes them."""
    declarations = _by_year(report, "declarations")
    commendations = _by_year(report, "commendations")
    return {
        "declarations": [declarations[year]["count"] for year in (2023, 2024, 2025)],
        "declarations_total": declarations[2025]["cumulative"],
        "commendations": [commendations[year]["count"] for year in (2023, 2024, 2025)],
        "commendations_total": commendations[2025]["cumulative"],
        "subsidy_users": report.kpis["subsidy_users"].total,
    }


PUBLISHED = {
    "declarations": [25, 56, 140],
    "declarations_total": 221,
    "commendations": [10, 6, 9],
    "commendations_total": 25,
    "subsidy_users": 164,
}


@pytest.fixture
def seeded(db):
    seed_figures_load()


def test_seed_figures_report_computes_the_published_figures(seeded):
    report = dashboard_report(today=TODAY)
    assert _published(report) == PUBLISHED
    assert report.kpis["declarations"].total == 221
    assert report.kpis["commendations"].total == 25


def test_seed_figures_subsidy_users_spread_from_fy2020(seeded):
    users = _by_year(dashboard_report(today=TODAY), "subsidy_users")
    assert [users[year]["count"] for year in range(2020, 2026)] == [12, 18, 22, 30, 36, 46]
    assert 2019 not in users


def test_seed_figures_records_are_plausible(seeded):
    companies = Company.objects.filter(corporate_number__regex=r"^[0-9]8888")
    assert companies.count() == 240
    assert all(
        is_valid_corporate_number(number)
        for number in companies.values_list("corporate_number", flat=True)
    )
    # more declaration rows than counted companies: re-registrations, withdrawals, drafts
    assert Declaration.objects.count() > 221
    assert Declaration.objects.filter(registered_at__isnull=False).count() == 223
    assert set(AwardRound.objects.values_list("fiscal_year", flat=True)) == {2023, 2024, 2025}
    assert Application.objects.exclude(status="paid").exists()


def test_seed_figures_load_command_runs_once(db, capsys):
    call_command("seed_figures_load")
    assert "seed figures loaded" in capsys.readouterr().out
    call_command("seed_figures_load")
    assert "already loaded" in capsys.readouterr().out
    assert _published(dashboard_report(today=TODAY)) == PUBLISHED


@pytest.fixture
def extra(seeded, people):
    """A company outside the seed, and a user to create its records."""
    company = Company.objects.create(name="株式会社ノイズ", corporate_number="8000000000001")
    assert is_valid_corporate_number(company.corporate_number)
    return company, people.staff


def test_declaration_withdrawn_before_registration_does_not_count(extra):
    company, user = extra
    declaration(company, user, "withdrawn", submitted_at=jst(2024, 5, 1))
    declaration(company, user, "draft")
    assert _published(dashboard_report(today=TODAY)) == PUBLISHED


def test_declaration_registered_then_withdrawn_counts(extra):
    company, user = extra
    declaration(company, user, "withdrawn", registered_at=jst(2024, 5, 1))
    figures = _published(dashboard_report(today=TODAY))
    assert figures["declarations"] == [25, 57, 140]
    assert figures["declarations_total"] == 222


def test_declaration_second_registration_of_a_company_counts_once(extra):
    company = Declaration.objects.filter(registered_at__year=2023).first().company
    declaration(company, extra[1], "registered", registered_at=jst(2025, 8, 1))
    assert _published(dashboard_report(today=TODAY)) == PUBLISHED


def test_declaration_fiscal_year_follows_japan_time(extra):
    company, user = extra
    other = Company.objects.create(name="株式会社境目", corporate_number="7000000000002")
    # 23:59 on 31 March in Japan is fiscal 2023; one minute past midnight is fiscal 2024,
    # although both are 31 March in UTC
    declaration(company, user, "registered", registered_at=jst(2024, 3, 31, 23, 59))
    declaration(other, user, "registered", registered_at=jst(2024, 4, 1, 0, 1))
    figures = _published(dashboard_report(today=TODAY))
    assert figures["declarations"] == [26, 57, 140]


def test_nomination_not_selected_does_not_count(extra):
    company, user = extra
    round_ = AwardRound.objects.get(fiscal_year=2024)
    nomination(round_, company, user, "not_selected")
    assert _published(dashboard_report(today=TODAY)) == PUBLISHED


def test_commended_company_commended_again_counts_that_year_not_cumulatively(extra):
    company, user = extra
    nomination(AwardRound.objects.get(fiscal_year=2023), company, user, "commended")
    nomination(AwardRound.objects.get(fiscal_year=2025), company, user, "commended")
    figures = _published(dashboard_report(today=TODAY))
    assert figures["commendations"] == [11, 6, 10]
    assert figures["commendations_total"] == 26


def test_unpaid_application_trainees_do_not_count(extra, reference):
    company, user = extra
    round_ = subsidy_round(fiscal_year=2025, name="noise")
    for status in ("confirmed", "rejected", "granted", "submitted"):
        application(round_, company, user, status, trainees=[f"未払 {status}"])
    # paid, then revoked: not a user of the subsidy
    revoked = paid_application(round_, company, user, ["取消 太郎"], jst(2025, 12, 1))
    Application.objects.filter(pk=revoked.pk).update(status="revoked")
    assert _published(dashboard_report(today=TODAY)) == PUBLISHED


def test_same_trainee_twice_counts_once(extra, reference):
    company, user = extra
    round_ = subsidy_round(fiscal_year=2024, name="noise")
    later = subsidy_round(fiscal_year=2025, name="noise later")
    paid_application(round_, company, user, ["重複 花子", "重複 花子"], jst(2025, 1, 10))
    paid_application(later, company, user, ["重複　花子", "重複花子"], jst(2025, 12, 10))
    report = dashboard_report(today=TODAY)
    assert report.kpis["subsidy_users"].total == 165
    assert _by_year(report, "subsidy_users")[2024]["count"] == 37  # counted in its first year


def test_same_name_at_another_company_is_another_trainee(extra, reference):
    company, user = extra
    other = Company.objects.create(name="株式会社別会社", corporate_number="6000000000003")
    round_ = subsidy_round(fiscal_year=2025, name="noise")
    paid_application(round_, company, user, ["同名 一郎"], jst(2025, 12, 10))
    paid_application(round_, other, user, ["同名 一郎"], jst(2025, 12, 10))
    assert dashboard_report(today=TODAY).kpis["subsidy_users"].total == 166


def test_trainees_paid_before_fy2020_do_not_count(extra, reference):
    company, user = extra
    round_ = subsidy_round(fiscal_year=2019, name="2019")
    # 31 March 2020, 23:00 in Japan: still fiscal 2019
    paid_application(round_, company, user, ["前年度 次郎"], jst(2020, 3, 31, 23))
    assert _published(dashboard_report(today=TODAY)) == PUBLISHED
