"""Per round: the funnel, approval rate, budget, stage percentiles and deadline breaches, on a
small set of applications built by hand (expected values worked out by hand below)."""

import datetime as dt

import pytest

from applications.models import SubsidyRound
from kpis.report import dashboard_report
from outcomes.models import OutcomeReport

from .helpers import application, days, jst, subsidy_round

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 24)
MILESTONES = ["submitted_at", "documents_accepted_at", "screened_at", "decided_at"]
RESULTS = ["results_submitted_at", "results_checked_at", "confirmed_at", "paid_at"]


def _milestones(start, steps, results_start=None, result_steps=()):
    fields = dict(zip(MILESTONES, days(start, *steps), strict=False))
    if results_start:
        fields.update(zip(RESULTS, days(results_start, *result_steps), strict=False))
    return fields


@pytest.fixture
def round_a(reference, companies, people):
    """Round A (budget 10,000,000 yen, results due 2026-02-27) and its eight applications."""
    round_ = subsidy_round(name="A", deadline=dt.date(2026, 2, 27))
    company, user = companies[0], people.applicant
    start = jst(2025, 6, 2)

    def make(status, steps, **fields):
        return application(round_, company, user, status, **_milestones(start, steps), **fields)

    # 1 paid, results on the due date's last minute (not late)
    application(
        round_,
        company,
        user,
        "paid",
        decided_amount=400_000,
        confirmed_amount=380_000,
        **_milestones(start, [2, 5, 3], jst(2026, 2, 27, 23, 59), [1, 2, 4]),
    )
    # 2 paid, results 30 seconds into the day after the due date (late)
    application(
        round_,
        company,
        user,
        "paid",
        decided_amount=300_000,
        confirmed_amount=300_000,
        **_milestones(start, [4, 1, 1], jst(2026, 2, 28, 0, 0, 30), [3, 1, 2]),
    )
    make("rejected", [6, 3, 2])  # 3
    make("granted", [10, 7, 5], decided_amount=200_000)  # 4: results still missing
    make("lapsed", [])  # 5: a correction was not answered
    # 6: withdrawn after submission; its documents milestone is out of order (dropped)
    make("withdrawn", [-2])
    application(round_, company, user, "draft")  # 7: never submitted
    # 8: confirmed, then revoked before payment: granted, nothing in the payment ledger
    application(
        round_,
        company,
        user,
        "revoked",
        decided_amount=100_000,
        confirmed_amount=100_000,
        **_milestones(start, [2, 2, 2], jst(2026, 1, 10), [2, 1, 1]),
    )
    return round_


def _round(report, round_):
    return next(row for row in report.round_rows if row["round_id"] == round_.pk)


def test_round_funnel_counts_each_stage(round_a):
    row = _round(dashboard_report(today=TODAY), round_a)
    assert (row["submitted"], row["withdrawn"], row["lapsed"]) == (7, 1, 1)
    assert (row["decided"], row["granted"], row["rejected"]) == (5, 4, 1)
    assert (row["revoked"], row["paid"]) == (1, 2)
    assert row["approval_rate"] == pytest.approx(4 / 5)


def test_round_budget_in_integer_yen(round_a):
    # the records are built directly, so the budget guard's total is set as the grants left it
    SubsidyRound.objects.filter(pk=round_a.pk).update(committed_total=980_000)
    row = _round(dashboard_report(today=TODAY), round_a)
    assert row["budget"] == 10_000_000
    assert row["decided_amount"] == 1_000_000  # 400k + 300k + 200k + 100k (revoked included)
    assert row["unspent_amount"] == 20_000  # granted 400k, confirmed 380k
    assert row["committed_amount"] == 980_000  # 1,000k − 20k (no revocation decided)
    assert row["remaining_amount"] == 9_020_000
    assert row["paid_amount"] == 680_000  # the payment ledger: 380k + 300k
    assert isinstance(row["paid_amount"], int)
    assert row["paid_share"] == pytest.approx(0.068)


def test_round_deadline_breaches(round_a):
    row = _round(dashboard_report(today=TODAY), round_a)
    assert row["results_late"] == 1
    assert row["results_missing"] == 1
    assert row["breaches"] == 3  # late, missing, lapsed


def test_round_results_missing_only_after_the_deadline(round_a):
    row = _round(dashboard_report(today=dt.date(2026, 2, 27)), round_a)
    assert row["results_missing"] == 0


def test_round_outcome_reports_overdue_count_as_breaches(round_a):
    paid = round_a.applications.filter(status="paid").order_by("pk")
    OutcomeReport.objects.create(
        application=paid[0], paid_on=dt.date(2026, 3, 5), due_on=dt.date(2026, 9, 30)
    )
    OutcomeReport.objects.create(
        application=paid[1], paid_on=dt.date(2026, 3, 5), due_on=dt.date(2026, 11, 24)
    )
    row = _round(dashboard_report(today=TODAY), round_a)
    assert row["outcomes_overdue"] == 1  # due today is not overdue yet
    assert row["breaches"] == 4


def test_stage_percentiles_of_the_round(round_a):
    report = dashboard_report(today=TODAY)
    stages = {row["stage"]: row for row in report.stage_rows(round_a.pk)}
    # document check: 2 4 6 10 2 → 2 2 4 6 10: median 4, 90th 6 + 0.6·4 = 8.4 (−2 dropped)
    assert stages["document_check"]["count"] == 5
    assert stages["document_check"]["p50"] == pytest.approx(4.0, abs=1e-4)
    assert stages["document_check"]["p90"] == pytest.approx(8.4, abs=1e-4)
    # screening: 5 1 3 7 2 → 1 2 3 5 7: median 3, 90th 5 + 0.6·2 = 6.2
    assert stages["screening"]["p50"] == pytest.approx(3.0, abs=1e-4)
    assert stages["screening"]["p90"] == pytest.approx(6.2, abs=1e-4)
    # decision: 3 1 2 5 2 → median 2, 90th 3 + 0.6·2 = 4.2
    assert stages["decision"]["p90"] == pytest.approx(4.2, abs=1e-4)
    # results check: 1 3 2 → median 2, 90th 2 + 0.8·1 = 2.8
    assert stages["results_check"]["count"] == 3
    assert stages["results_check"]["p90"] == pytest.approx(2.8, abs=1e-4)
    # payment: 4 2 1 → median 2
    assert stages["payment"]["p50"] == pytest.approx(2.0, abs=1e-4)
    # application to decision: 10 6 11 22 6 → 6 6 10 11 22: median 10
    assert stages["application_total"]["p50"] == pytest.approx(10.0, abs=1e-4)


def test_stage_percentiles_overall_and_per_round_differ(round_a, companies, people):
    round_b = subsidy_round(fiscal_year=2024, name="B")
    application(
        round_b,
        companies[1],
        people.applicant,
        "screening",
        **_milestones(jst(2024, 6, 3), [20]),
    )
    report = dashboard_report(today=TODAY)
    overall = {row["stage"]: row for row in report.stage_rows(0)}
    only_b = {row["stage"]: row for row in report.stage_rows(round_b.pk)}
    # all rounds: 2 2 4 6 10 20 → median 5, 90th 10 + 0.5·10 = 15
    assert overall["document_check"]["count"] == 6
    assert overall["document_check"]["p50"] == pytest.approx(5.0, abs=1e-4)
    assert overall["document_check"]["p90"] == pytest.approx(15.0, abs=1e-4)
    assert only_b["document_check"]["p50"] == pytest.approx(20.0, abs=1e-4)
    assert only_b["screening"]["count"] == 0
    assert [row["name"] for row in report.round_rows] == ["B", "A"]  # by fiscal year


def test_round_without_applications_has_zeros(reference):
    empty = subsidy_round(name="empty")
    row = _round(dashboard_report(today=TODAY), empty)
    assert (row["submitted"], row["decided"], row["decided_amount"]) == (0, 0, 0)
    assert row["approval_rate"] is None
