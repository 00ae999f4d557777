"""The budget of a round as a ledger: granted − 不用額 − revoked is what grants still commit, and
what the round can still grant is the rest of its budget."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import transaction
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    invariant,
    multiple,
    rule,
    run_state_machine_as_test,
)
from rest_framework.test import APIClient

from applications import services as app
from applications.exceptions import BudgetExceeded
from applications.models import Application, SubsidyRound
from core.dates import JST, today_jst
from fixtures.demo import actual_costs_as_planned, advance, draft_create
from fixtures.documents import pdf_file
from fixtures.payments import pay_by_bank_transfer
from kpis.selectors import round_budget_ledger
from payments.models import Payment
from revocations import services as revocations
from revocations.models import RepaymentReceipt
from workflows import services as wf
from workflows import steps

pytestmark = pytest.mark.django_db

REASON = "実績報告に虚偽があったため"


def _granted(round_, people, trainees=2) -> Application:
    draft = draft_create(round_, people.applicant, trainees=trainees)
    return advance(draft, "granted", vars(people))


def _confirmed(application, people, *, drop_first_trainee: bool) -> Application:
    """Results reported (the first trainee's course not completed, if asked) and confirmed."""
    app.document_upload(
        application_id=application.pk,
        document_type="completion_certificate",
        by=people.applicant,
        file=pdf_file("certificate.pdf", "certificate"),
    )
    first = application.training_lines.order_by("pk").first()
    costs = actual_costs_as_planned(
        application, not_completed=lambda line: drop_first_trainee and line.pk == first.pk
    )
    wf.subsidy_report_results(application_id=application.pk, by=people.applicant, costs=costs)
    wf.step_complete(
        application_id=application.pk,
        step=steps.CHECK_RESULTS,
        by=people.staff2,
        data={"accept": True},
    )
    shown = app.amount_to_confirm(Application.objects.get(pk=application.pk))
    wf.step_complete(
        application_id=application.pk,
        step=steps.CONFIRM_AMOUNT,
        by=people.approver,
        data={"expected_amount": shown},
    )
    return Application.objects.get(pk=application.pk)


def _revoke(application, people, amount):
    revocation = revocations.revocation_prepare(
        application_id=application.pk,
        by=people.staff,
        reason=REASON,
        revoked_amount=amount,
        repayment_deadline=today_jst() + dt.timedelta(days=60),
    )
    return revocations.revocation_decide(revocation_id=revocation.pk, by=people.approver)


def test_confirmation_below_the_grant_returns_the_unspent_amount_to_the_budget(draft, people):
    application = _granted(draft.round, people)
    before = round_budget_ledger(application.round_id)
    confirmed = _confirmed(application, people, drop_first_trainee=True)
    ledger = round_budget_ledger(application.round_id)
    unspent = confirmed.decided_amount - confirmed.confirmed_amount
    assert unspent > 0
    assert ledger.unspent == unspent
    assert ledger.available == before.available + unspent
    assert ledger.committed == before.committed - unspent


def test_revocation_returns_the_revoked_amount_to_the_budget(subsidy_round, people):
    application = _granted(subsidy_round, people)
    before = round_budget_ledger(subsidy_round.pk)
    _revoke(application, people, application.decided_amount)
    ledger = round_budget_ledger(subsidy_round.pk)
    assert ledger.revoked == application.decided_amount
    assert ledger.available == before.available + application.decided_amount
    assert ledger.available + ledger.committed == ledger.budget


def test_grant_refused_for_budget_says_what_remains(subsidy_round, people):
    SubsidyRound.objects.filter(pk=subsidy_round.pk).update(budget=200_000)
    _granted(subsidy_round, people)  # ¥187,000: ¥13,000 remains
    draft = draft_create(subsidy_round, people.applicant)
    advance(draft, "decision_pending", vars(people))
    with pytest.raises(BudgetExceeded) as refused:
        wf.step_complete(
            application_id=draft.pk, step=steps.DECIDE, by=people.approver, data={"approve": True}
        )
    assert refused.value.remaining == 13_000
    assert "残額は13,000円" in str(refused.value.message)  # in Japanese, 円 not ¥
    assert refused.value.as_dict()["remaining"] == 13_000


def test_api_grant_refused_for_budget_returns_the_remaining_amount(subsidy_round, people):
    SubsidyRound.objects.filter(pk=subsidy_round.pk).update(budget=200_000)
    _granted(subsidy_round, people)
    draft = draft_create(subsidy_round, people.applicant)
    advance(draft, "decision_pending", vars(people))
    client = APIClient()
    client.force_authenticate(people.approver)
    response = client.post(
        f"/api/applications/{draft.pk}/decide/", {"approve": True}, format="json"
    )
    assert response.status_code == 409
    body = response.json()
    assert (body["code"], body["remaining"]) == ("budget_exceeded", 13_000)
    assert "13,000" in body["message"]


def test_api_kpi_rounds_carry_the_budget_ledger(subsidy_round, people):
    application = _granted(subsidy_round, people)
    client = APIClient()
    client.force_authenticate(people.auditor)
    rounds = client.get("/api/kpis/").json()["rounds"]
    row = next(row for row in rounds if row["round_id"] == subsidy_round.pk)
    assert row["committed_amount"] == application.decided_amount
    assert row["remaining_amount"] == subsidy_round.budget - application.decided_amount
    assert (row["unspent_amount"], row["revoked_amount"], row["repaid_amount"]) == (0, 0, 0)


class BudgetMachine(RuleBasedStateMachine):
    """Grant / confirm / pay / revoke / repay through the real services on one round with a
    small budget; after every step the ledger balances and agrees with the machine's own
    bookkeeping of what the grants commit."""

    granted = Bundle("granted")
    confirmed = Bundle("confirmed")
    paid = Bundle("paid")
    ordered = Bundle("ordered")

    def __init__(self, round_id: int, people) -> None:
        super().__init__()
        self._savepoint = transaction.atomic()
        self._savepoint.__enter__()
        self.round = SubsidyRound.objects.get(pk=round_id)
        self.people = people
        self.committed = 0  # the oracle: granted − 不用額 − revoked, as the steps went
        self.repaid = 0

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._savepoint.__exit__(None, None, None)

    @rule(target=granted, trainees=st.integers(1, 3))
    def grant(self, trainees):
        draft = draft_create(self.round, self.people.applicant, trainees=trainees)
        advance(draft, "decision_pending", vars(self.people))
        try:
            wf.step_complete(
                application_id=draft.pk,
                step=steps.DECIDE,
                by=self.people.approver,
                data={"approve": True},
            )
        except BudgetExceeded as refused:
            assert refused.remaining == self.round.budget - self.committed
            assert Application.objects.get(pk=draft.pk).decided_amount is None
            return multiple()
        amount = Application.objects.get(pk=draft.pk).decided_amount
        self.committed += amount
        return draft.pk

    @rule(target=confirmed, pk=consumes(granted), drop=st.booleans())
    def confirm(self, pk, drop):
        application = Application.objects.get(pk=pk)
        done = _confirmed(application, self.people, drop_first_trainee=drop)
        self.committed -= done.decided_amount - done.confirmed_amount
        return pk

    @rule(target=paid, pk=consumes(confirmed))
    def pay(self, pk):
        pay_by_bank_transfer(
            Application.objects.get(pk=pk),
            applicant=self.people.applicant,
            preparer=self.people.finance,
            releaser=self.people.finance2,
        )
        return pk

    @rule(pk=consumes(granted))
    def revoke_granted(self, pk):
        application = Application.objects.get(pk=pk)
        _revoke(application, self.people, application.decided_amount)
        self.committed -= application.decided_amount

    @rule(pk=consumes(confirmed))
    def revoke_confirmed(self, pk):
        application = Application.objects.get(pk=pk)
        _revoke(application, self.people, application.confirmed_amount)
        self.committed -= application.confirmed_amount

    @rule(target=ordered, pk=consumes(paid), share=st.sampled_from([1, 2, 4]))
    def revoke_paid(self, pk, share):
        application = Application.objects.get(pk=pk)
        amount = application.confirmed_amount // share
        revocation = _revoke(application, self.people, amount)
        self.committed -= amount
        return revocation.pk

    @rule(revocation_id=consumes(ordered))
    def repay(self, revocation_id):
        revocation = revocations.Revocation.objects.get(pk=revocation_id)
        day = revocation.interest_from
        with time_machine.travel(dt.datetime.combine(day, dt.time(10), tzinfo=JST), tick=False):
            revocations.repayment_record(
                revocation_id=revocation_id,
                by=self.people.finance,
                amount=revocation.repayment_amount,
                received_on=day,
            )
        self.repaid += revocation.repayment_amount

    @invariant()
    def ledger_balances(self):
        ledger = round_budget_ledger(self.round.pk)
        assert ledger.available + ledger.committed == ledger.budget
        assert ledger.committed == self.committed
        assert ledger.paid <= ledger.confirmed <= ledger.granted
        assert ledger.repaid == self.repaid
        assert ledger.paid == sum(
            Payment.objects.filter(application__round=self.round).values_list("amount", flat=True)
        )
        assert ledger.repaid == sum(
            RepaymentReceipt.objects.filter(revocation__application__round=self.round).values_list(
                "amount", flat=True
            )
        )


def test_budget_ledger_state_machine(subsidy_round, people):
    # room for two or three grants of the demo's size, so that some are refused
    SubsidyRound.objects.filter(pk=subsidy_round.pk).update(budget=450_000)
    run_state_machine_as_test(
        lambda: BudgetMachine(subsidy_round.pk, people),
        settings=hypothesis_settings(
            max_examples=10,
            stateful_step_count=8,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )


def test_dashboard_round_table_shows_the_budget_ledger(client, subsidy_round, people):
    application = _granted(subsidy_round, people)
    _confirmed(application, people, drop_first_trainee=True)
    ledger = round_budget_ledger(subsidy_round.pk)
    client.force_login(people.approver)
    page = client.get("/kpis/").content.decode()
    assert "額の確定による不用額" in page
    assert "交付決定可能な予算残額" in page
    assert f"{ledger.unspent:,}" in page
    assert f"{ledger.available:,}" in page
