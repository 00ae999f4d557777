"""Random sequences of prepare / release / build file / reconcile / cancel by random finance
users, and revocations of the grants, checked after every step: nothing is paid twice, the
releaser is never the preparer, the sum paid never exceeds the sum confirmed, and every change
left its audit event."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.db import transaction
from django.db.models import Count, F, Q, Sum
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from applications.models import Application
from audit.models import AuditEvent
from core.errors import KofuError
from fixtures.payments import on_transfer_date
from payments import selectors, services
from payments.exceptions import SamePersonReleases
from payments.models import BatchItem, Payable, Payment, PaymentBatch
from revocations.services import revocation_decide, revocation_prepare

from .conftest import ACCOUNT, OTHER_ACCOUNT, confirmed_application, results_csv

pytestmark = pytest.mark.django_db

ACTIONS = (
    "batch_prepare",
    "payable_batch",
    "batch_release_first",
    "batch_release",
    "batch_file_build",
    "batch_cancel",
    "payable_unbatch",
    "reconciliation_import",
    "payable_pay",
    "payable_fail",
    "transfer_paid",
    "batch_reconcile",
    "revoke",
    "paid_after_revocation",
)
Status = PaymentBatch.Status


def audit_counts() -> Counter:
    rows = AuditEvent.objects.filter(action__in=ACTIONS).values_list("action")
    return Counter(action for (action,) in rows)


def batch_in(*statuses: str):
    """A precondition: some batch of this example is in one of ``statuses``."""
    return lambda machine: PaymentBatch.objects.filter(status__in=statuses).exists()


class PaymentsMachine(RuleBasedStateMachine):
    """Each example runs in a savepoint rolled back at its end, from the same claimed payables."""

    def __init__(self, payable_ids: list[int], people, finance: list, transfer_day: dt.date):
        super().__init__()
        self.payable_ids = payable_ids
        self.people = people
        self.finance = finance
        self.transfer_day = transfer_day
        self._savepoint = transaction.atomic()
        self._savepoint.__enter__()
        self.before = audit_counts()
        self.expected: Counter = Counter()
        self.batch_ids: list[int] = []

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._savepoint.__exit__(None, None, None)

    def pick_batch(self, data, *statuses: str) -> int:
        """Mostly a batch in one of ``statuses`` (when there is one), sometimes any batch."""
        wanted = list(PaymentBatch.objects.filter(status__in=statuses).values_list("pk", flat=True))
        if wanted and data.draw(st.integers(0, 4), label="wanted batch"):
            return data.draw(st.sampled_from(sorted(wanted)), label="batch")
        return data.draw(st.sampled_from(self.batch_ids), label="batch")

    # --- rules -------------------------------------------------------------------------------

    @initialize(user=st.integers(0, 2), picks=st.sets(st.integers(0, 2), min_size=1))
    def first_batch(self, user, picks):
        self.prepare(user, picks)
        assert self.batch_ids

    @rule(user=st.integers(0, 2), picks=st.sets(st.integers(0, 2), min_size=1))
    def prepare(self, user, picks):
        ids = [self.payable_ids[i] for i in sorted(picks)]
        chosen = Payable.objects.filter(pk__in=ids)
        all_payable = not chosen.exclude(status="payable", application__status="confirmed").exists()
        try:
            batch = services.batch_prepare(
                by=self.finance[user], transfer_date=self.transfer_day, payable_ids=ids
            )
        except KofuError:
            assert not all_payable
            return
        assert all_payable
        self.expected.update({"batch_prepare": 1, "payable_batch": len(ids)})
        self.batch_ids.append(batch.pk)

    @precondition(batch_in(Status.PREPARED))
    @rule(user=st.integers(0, 2), data=st.data())
    def release(self, user, data):
        batch_id = self.pick_batch(data, Status.PREPARED)
        by = self.finance[user]
        batch = PaymentBatch.objects.get(pk=batch_id)
        revoked = batch.items.exclude(payable__application__status="confirmed").exists()
        try:
            services.batch_release(batch_id=batch_id, by=by)
        except SamePersonReleases:
            assert batch.status == Status.PREPARED
            assert by.pk in (batch.prepared_by_id, batch.released_by_id)
            return
        except KofuError:
            assert batch.status != Status.PREPARED or revoked
            return
        assert batch.status == Status.PREPARED and not revoked
        assert by.pk not in (batch.prepared_by_id, batch.released_by_id)
        first = batch.needs_second_releaser and batch.released_by_id is None
        self.expected["batch_release_first" if first else "batch_release"] += 1

    @precondition(batch_in(Status.RELEASED, Status.RECONCILED))
    @rule(data=st.data())
    def build_file(self, data):
        """The task after the release's commit, perhaps delivered again."""
        batch_id = self.pick_batch(data, Status.RELEASED, Status.RECONCILED)
        batch = PaymentBatch.objects.get(pk=batch_id)
        try:
            built = services.batch_file_build(batch_id=batch_id)
        except KofuError:
            assert batch.status in (Status.PREPARED, Status.CANCELLED)
            return
        assert built.file_sha256 and built.status in (Status.RELEASED, Status.RECONCILED)
        if not batch.file_sha256:
            self.expected["batch_file_build"] += 1
        else:
            assert built.file_sha256 == batch.file_sha256

    @precondition(batch_in(Status.PREPARED))
    @rule(user=st.integers(0, 2), data=st.data())
    def cancel(self, user, data):
        if data.draw(st.integers(0, 2), label="changes their mind"):
            return  # cancelling is rarer than releasing
        batch_id = data.draw(st.sampled_from(self.batch_ids), label="batch")
        batch = PaymentBatch.objects.get(pk=batch_id)
        try:
            services.batch_cancel(batch_id=batch_id, by=self.finance[user])
        except KofuError:
            assert batch.status != Status.PREPARED
            return
        assert batch.status == Status.PREPARED
        self.expected.update({"batch_cancel": 1, "payable_unbatch": batch.item_count})

    @precondition(batch_in(Status.RELEASED))
    @rule(user=st.integers(0, 2), data=st.data())
    def reconcile(self, user, data):
        batch_id = self.pick_batch(data, Status.RELEASED)
        batch = PaymentBatch.objects.get(pk=batch_id)
        rows = []
        for item in batch.items.order_by("pk"):
            if item.result == BatchItem.Result.PENDING:
                choice = data.draw(st.sampled_from(["paid", "failed", "paid", "skip"]))
            else:  # the bank's file again: the same result, or left out
                choice = data.draw(st.sampled_from(["skip", item.result]))
            if choice != "skip":
                rows.append((item, choice == "paid", "" if choice == "paid" else "口座なし"))
        try:
            with on_transfer_date(batch):
                summary = services.reconciliation_import(
                    batch_id=batch_id, by=self.finance[user], data=results_csv(rows)
                )
        except KofuError:
            assert batch.status not in (Status.RELEASED, Status.RECONCILED)
            return
        pending = [row for row in rows if row[0].result == BatchItem.Result.PENDING]
        paid = [item for item, is_paid, _reason in pending if is_paid]
        revoked = sum(1 for item in paid if item.payable.application.status == "revoked")
        self.expected.update(
            {
                "payable_pay": len(paid),
                "transfer_paid": len(paid) - revoked,
                "paid_after_revocation": revoked,
                "payable_fail": len(pending) - len(paid),
            }
        )
        assert (summary["paid"], summary["failed"]) == (len(paid), len(pending) - len(paid))
        if pending:
            self.expected["reconciliation_import"] += 1
        still_pending = batch.items.filter(result=BatchItem.Result.PENDING).exists()
        if batch.status == Status.RELEASED and not still_pending:
            self.expected["batch_reconcile"] += 1

    def first_revocable(self) -> bool:
        payable = Payable.objects.select_related("application").get(pk=self.payable_ids[0])
        return payable.application.status in Application.REVOCABLE

    @precondition(first_revocable)
    @rule()
    def revoke(self):
        """交付決定取消 of the first application, whatever its payment is doing (the others
        stay granted, so that payments go on)."""
        application = Payable.objects.get(pk=self.payable_ids[0]).application
        try:
            revocation = revocation_prepare(
                application_id=application.pk,
                by=self.people.staff,
                reason="虚偽の実績報告",
                revoked_amount=application.confirmed_amount,
                repayment_deadline=self.transfer_day + dt.timedelta(days=60),
            )
            revocation_decide(revocation_id=revocation.pk, by=self.people.approver)
        except KofuError:
            assert application.status not in Application.REVOCABLE
            return
        assert application.status in Application.REVOCABLE
        self.expected["revoke"] += 1

    # --- invariants --------------------------------------------------------------------------

    @invariant()
    def nothing_is_paid_twice(self):
        twice = Payment.objects.values("application").annotate(n=Count("pk")).filter(n__gt=1)
        assert not twice.exists()
        live = BatchItem.objects.filter(live=True).values("payable").annotate(n=Count("pk"))
        assert not live.filter(n__gt=1).exists()
        paid_items = BatchItem.objects.filter(result=BatchItem.Result.PAID)
        assert Payment.objects.filter(item__isnull=False).count() == paid_items.count()

    @invariant()
    def payables_agree_with_their_items_and_applications(self):
        for payable in Payable.objects.select_related("application"):
            live = list(payable.items.filter(live=True).values_list("result", flat=True))
            expected = {
                Payable.Status.PAYABLE: [],
                Payable.Status.BATCHED: ["pending"],
                Payable.Status.PAID: ["paid"],
            }[payable.status]
            assert live == expected, (payable.status, live)
            is_paid = payable.status == Payable.Status.PAID
            status = payable.application.status
            assert Payment.objects.filter(application=payable.application).exists() == is_paid
            if is_paid:
                assert status in (Application.Status.PAID, Application.Status.REVOKED)
            else:
                assert status in (Application.Status.CONFIRMED, Application.Status.REVOKED)

    @invariant()
    def releaser_is_never_the_preparer(self):
        batches = PaymentBatch.objects.all()
        assert not batches.filter(released_by=F("prepared_by")).exists()
        assert not batches.filter(
            Q(second_releaser=F("prepared_by")) | Q(second_releaser=F("released_by"))
        ).exists()
        released = batches.filter(status__in=[Status.RELEASED, Status.RECONCILED])
        assert not released.filter(released_by__isnull=True).exists()
        assert not released.filter(
            needs_second_releaser=True, second_releaser__isnull=True
        ).exists()

    @invariant()
    def paid_never_exceeds_confirmed(self):
        paid_items = BatchItem.objects.filter(result=BatchItem.Result.PAID)
        assert selectors.paid_total() == (paid_items.aggregate(s=Sum("amount"))["s"] or 0)
        assert selectors.paid_total() <= selectors.confirmed_total()
        overpaid = Payment.objects.filter(amount__gt=F("application__confirmed_amount"))
        assert not overpaid.exists()

    @invariant()
    def every_change_has_its_audit_event(self):
        happened = audit_counts() - self.before
        assert +happened == +self.expected, (happened, self.expected)


def test_payments_state_machine(subsidy_round, people, finance_team, transfer_day, settings):
    applications = [
        confirmed_application(subsidy_round, people, people.applicant),
        confirmed_application(subsidy_round, people, people.other_applicant),
        confirmed_application(subsidy_round, people, people.colleague),
    ]
    accounts = {
        people.applicant.pk: services.payee_account_register(by=people.applicant, **ACCOUNT),
        people.other_applicant.pk: services.payee_account_register(
            by=people.other_applicant, **OTHER_ACCOUNT
        ),
    }
    accounts[people.colleague.pk] = accounts[people.applicant.pk]
    payable_ids = [
        services.payment_claim(
            application_id=application.pk,
            by=application.created_by,
            account_id=accounts[application.created_by.pk].pk,
        ).pk
        for application in applications
    ]
    # a batch of one payable needs one releaser, of two or more a second one
    settings.KOFU_SECOND_RELEASER_ABOVE = max(
        Payable.objects.filter(pk__in=payable_ids).values_list("amount", flat=True)
    )
    finance = [finance_team.preparer, finance_team.releaser, finance_team.second]

    run_state_machine_as_test(
        lambda: PaymentsMachine(payable_ids, people, finance, transfer_day),
        settings=hypothesis_settings(
            max_examples=40,
            stateful_step_count=15,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
