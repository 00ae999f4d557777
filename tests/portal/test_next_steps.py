"""portal.next_steps: each state of a record gives its next action and deadline (or nothing).

The records are built in memory; the selectors the module reads (open corrections, the payable)
are replaced, so each state is checked on its own without the database.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from applications.models import Application, SubsidyRound
from awards.models import AwardRound, Nomination
from declarations.models import Declaration
from outcomes.models import OutcomeReport
from portal import next_steps

NOW = timezone.now()
CLOSES = NOW + dt.timedelta(days=20)
RESULTS_DUE = dt.date(2027, 2, 26)
CORRECTION_DUE = dt.date(2026, 12, 15)


@pytest.fixture(autouse=True)
def _selectors(monkeypatch):
    """No open correction and no payment claim, unless a test says otherwise."""
    state = SimpleNamespace(correction=None, payable=None)
    monkeypatch.setattr(
        next_steps.application_services, "open_correction", lambda record: state.correction
    )
    monkeypatch.setattr(next_steps, "declaration_correction", lambda record: state.correction)
    monkeypatch.setattr(next_steps, "nomination_correction", lambda record: state.correction)
    monkeypatch.setattr(next_steps, "payable_for_application", lambda pk: state.payable)
    return state


def _application(status: str, **round_fields) -> Application:
    round_ = SubsidyRound(
        pk=1,
        name="令和8年度 人材育成",
        fiscal_year=2026,
        opens_at=NOW - dt.timedelta(days=10),
        closes_at=CLOSES,
        results_report_deadline=RESULTS_DUE,
        **round_fields,
    )
    return Application(pk=7, round=round_, status=status)


def test_draft_application_is_submitted_before_the_round_closes():
    step = next_steps.application_step(_application("draft"), now=NOW)
    assert (step.code, step.deadline) == ("submit_application", CLOSES)
    assert step.url == "/portal/applications/7/"
    assert step.reference == "SUB-2026-000007"
    assert str(step.status_label) == str(Application.Status.DRAFT.label)
    assert not step.overdue


def test_draft_of_a_closed_round_asks_for_nothing():
    application = _application("draft")
    assert next_steps.application_step(application, now=CLOSES + dt.timedelta(seconds=1)) is None


def test_returned_application_is_answered_by_the_correction_deadline(_selectors):
    _selectors.correction = SimpleNamespace(deadline=CORRECTION_DUE)
    step = next_steps.application_step(_application("returned"), now=NOW)
    assert (step.code, step.deadline) == ("correct_application", CORRECTION_DUE)


def test_granted_application_reports_results_by_the_rounds_deadline():
    step = next_steps.application_step(_application("granted"), now=NOW)
    assert (step.code, step.deadline) == ("report_results", RESULTS_DUE)


def test_confirmed_application_claims_payment_until_it_is_claimed(_selectors):
    step = next_steps.application_step(_application("confirmed"), now=NOW)
    assert (step.code, step.deadline) == ("claim_payment", None)
    _selectors.payable = object()
    assert next_steps.application_step(_application("confirmed"), now=NOW) is None


@pytest.mark.parametrize(
    "status", ["submitted", "screening", "decision_pending", "results_submitted", "paid"]
)
def test_applications_waiting_for_the_office_ask_nothing(status):
    assert next_steps.application_step(_application(status), now=NOW) is None


def _report(status: str, due_on: dt.date) -> OutcomeReport:
    return OutcomeReport(pk=3, application=_application("paid"), status=status, due_on=due_on)


@pytest.mark.parametrize("status", ["due", "returned"])
def test_open_outcome_report_is_due_on_its_date(status):
    step = next_steps.outcome_step(_report(status, dt.date(2027, 9, 30)))
    assert (step.code, step.deadline) == ("report_outcome", dt.date(2027, 9, 30))
    assert step.url == "/portal/outcomes/3/"


def test_overdue_outcome_report_says_so():
    step = next_steps.outcome_step(_report("due", timezone.localdate() - dt.timedelta(days=1)))
    assert step.overdue


@pytest.mark.parametrize("status", ["submitted", "accepted"])
def test_reported_outcome_asks_nothing(status):
    assert next_steps.outcome_step(_report(status, dt.date(2027, 9, 30))) is None


def _declaration(status: str) -> Declaration:
    return Declaration(pk=5, status=status, created_at=NOW)


def test_draft_declaration_is_submitted():
    step = next_steps.declaration_step(_declaration("draft"))
    assert (step.code, step.deadline) == ("submit_declaration", None)
    assert step.url == "/portal/declarations/5/"


def test_returned_declaration_is_corrected_by_its_deadline(_selectors):
    _selectors.correction = SimpleNamespace(deadline=CORRECTION_DUE)
    step = next_steps.declaration_step(_declaration("returned"))
    assert (step.code, step.deadline) == ("correct_declaration", CORRECTION_DUE)


@pytest.mark.parametrize("status", ["submitted", "registered", "withdrawn", "expired"])
def test_other_declarations_ask_nothing(status):
    assert next_steps.declaration_step(_declaration(status)) is None


def _nomination(status: str, *, nominator: int, nominee: int, consent=None) -> Nomination:
    round_ = AwardRound(
        pk=2,
        name="表彰",
        fiscal_year=2026,
        nominations_open=NOW - dt.timedelta(days=5),
        nominations_close=CLOSES,
    )
    return Nomination(
        pk=9,
        round=round_,
        status=status,
        nominating_company_id=nominator,
        company_id=nominee,
        consent_at=consent,
    )


def test_draft_nomination_is_submitted_by_the_nominator_before_the_window_closes():
    nomination = _nomination("draft", nominator=1, nominee=2, consent=NOW)
    step = next_steps.nomination_step(nomination, 1, now=NOW)
    assert (step.code, step.deadline) == ("submit_nomination", CLOSES)
    assert step.url == "/portal/nominations/9/"
    assert next_steps.nomination_step(nomination, 2, now=NOW) is None  # consented already


def test_nominee_consents_first():
    nomination = _nomination("draft", nominator=1, nominee=2)
    step = next_steps.nomination_step(nomination, 2, now=NOW)
    assert (step.code, step.deadline) == ("consent_nomination", CLOSES)


def test_self_nomination_draft_is_submitted():
    nomination = _nomination("draft", nominator=1, nominee=1)
    assert next_steps.nomination_step(nomination, 1, now=NOW).code == "submit_nomination"


def test_returned_nomination_is_corrected_by_the_nominator(_selectors):
    _selectors.correction = SimpleNamespace(deadline=CORRECTION_DUE)
    nomination = _nomination("returned", nominator=1, nominee=2, consent=NOW)
    step = next_steps.nomination_step(nomination, 1, now=NOW)
    assert (step.code, step.deadline) == ("correct_nomination", CORRECTION_DUE)
    assert next_steps.nomination_step(nomination, 2, now=NOW) is None


def test_draft_nomination_of_a_closed_window_asks_nothing():
    nomination = _nomination("draft", nominator=1, nominee=1)
    assert next_steps.nomination_step(nomination, 1, now=CLOSES + dt.timedelta(hours=1)) is None


def test_steps_are_ordered_by_deadline_soonest_first():
    later = next_steps.NextStep(
        kind="declaration",
        reference="b",
        title="",
        status="draft",
        status_label="",
        code="submit_declaration",
        url="/",
        deadline=None,
    )
    date_step = next_steps.NextStep(
        kind="outcome",
        reference="c",
        title="",
        status="due",
        status_label="",
        code="report_outcome",
        url="/",
        deadline=dt.date(2030, 1, 1),
    )
    moment_step = next_steps.NextStep(
        kind="application",
        reference="a",
        title="",
        status="draft",
        status_label="",
        code="submit_application",
        url="/",
        deadline=NOW,
    )
    ordered = sorted([later, date_step, moment_step], key=next_steps._sort_key)
    assert [step.reference for step in ordered] == ["a", "c", "b"]
