"""Reconciliation: the bank's result file ends paid applications and returns failed payables."""

import pytest
from django.utils import translation

from applications.models import Application
from audit.models import AuditEvent
from core.errors import InvalidState, ValidationFailed
from letters.models import Letter
from notifications.models import Notification
from payments import selectors, services
from payments.models import BatchItem, Payable, Payment, PaymentBatch

from .conftest import confirmed_application, results_csv

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def released(payable, other_payable, finance_team, transfer_day, run_on_commit):
    batch = services.batch_prepare(
        by=finance_team.preparer,
        transfer_date=transfer_day,
        payable_ids=[payable.pk, other_payable.pk],
    )
    return run_on_commit(services.batch_release, batch_id=batch.pk, by=finance_team.releaser)


def item_of(batch, payable):
    return BatchItem.objects.get(batch=batch, payable=payable)


def snapshot():
    """What an import can change, counted."""
    return (
        AuditEvent.objects.count(),
        Payment.objects.count(),
        Letter.objects.count(),
        Notification.objects.count(),
        list(Payable.objects.order_by("pk").values_list("status", "failure_reason")),
        list(BatchItem.objects.order_by("pk").values_list("result", "live")),
        list(Application.objects.order_by("pk").values_list("status", flat=True)),
    )


def test_reconciliation_paid_and_failed_items(
    released, payable, other_payable, finance_team, people, bank_day
):
    paid_item, failed_item = item_of(released, payable), item_of(released, other_payable)
    data = results_csv([(paid_item, True, ""), (failed_item, False, "口座なし")])

    summary = services.reconciliation_import(
        batch_id=released.pk, by=finance_team.second, data=data
    )

    assert summary["paid_application_ids"] == [payable.application_id]
    assert summary["failed_application_ids"] == [other_payable.application_id]
    assert summary["status"] == PaymentBatch.Status.RECONCILED
    # the paid one: application paid, one payment, a payment notice, the applicants told
    application = Application.objects.get(pk=payable.application_id)
    assert application.status == Application.Status.PAID
    payment = Payment.objects.get(application=application)
    assert (payment.amount, payment.item_id, payment.released_by) == (
        application.confirmed_amount,
        paid_item.pk,
        finance_team.releaser,
    )
    assert Letter.objects.filter(
        kind=Letter.Kind.PAYMENT_NOTICE, subject_id=str(application.pk)
    ).exists()
    assert Notification.objects.filter(recipient=people.applicant, kind="payment_paid").exists()
    assert AuditEvent.objects.filter(
        action="transfer_paid", subject_id=str(application.pk), to_status="paid"
    ).exists()
    # the failed one: payable again with the reason, its item no longer live
    returned = Payable.objects.get(pk=other_payable.pk)
    assert (returned.status, returned.failure_reason) == (Payable.Status.PAYABLE, "口座なし")
    failed_item.refresh_from_db()
    assert (failed_item.result, failed_item.live, failed_item.reason) == (
        "failed",
        False,
        "口座なし",
    )
    assert Application.objects.get(pk=other_payable.application_id).status == "confirmed"
    failed_notice = Notification.objects.get(
        recipient=people.other_applicant, kind="payment_failed"
    )
    assert "口座なし" in failed_notice.body
    assert selectors.paid_total() == payment.amount <= selectors.confirmed_total()


def test_failed_payable_joins_a_new_batch_and_is_paid_once(
    released, other_payable, finance_team, transfer_day, run_on_commit, bank_day
):
    failed_item = item_of(released, other_payable)
    services.reconciliation_import(
        batch_id=released.pk,
        by=finance_team.second,
        data=results_csv([(failed_item, False, "名義相違")]),
    )

    retry = services.batch_prepare(
        by=finance_team.second, transfer_date=transfer_day, payable_ids=[other_payable.pk]
    )
    run_on_commit(services.batch_release, batch_id=retry.pk, by=finance_team.preparer)
    services.reconciliation_import(
        batch_id=retry.pk,
        by=finance_team.releaser,
        data=results_csv([(item_of(retry, other_payable), True, "")]),
    )

    assert Payable.objects.get(pk=other_payable.pk).status == Payable.Status.PAID
    assert Payable.objects.get(pk=other_payable.pk).failure_reason == ""
    assert Payment.objects.filter(application_id=other_payable.application_id).count() == 1
    assert PaymentBatch.objects.get(pk=retry.pk).status == PaymentBatch.Status.RECONCILED
    assert PaymentBatch.objects.get(pk=released.pk).status == PaymentBatch.Status.RELEASED


def test_reconciliation_same_file_twice_changes_nothing_the_second_time(
    released, payable, other_payable, finance_team, bank_day
):
    data = results_csv(
        [(item_of(released, payable), True, ""), (item_of(released, other_payable), False, "x")]
    )
    services.reconciliation_import(batch_id=released.pk, by=finance_team.second, data=data)
    before = snapshot()

    again = services.reconciliation_import(batch_id=released.pk, by=finance_team.second, data=data)

    assert snapshot() == before
    assert (again["paid"], again["failed"], again["unchanged"]) == (0, 0, 2)


def test_reconciliation_partial_file_leaves_the_batch_released_until_the_rest_arrives(
    released, payable, other_payable, finance_team, bank_day
):
    services.reconciliation_import(
        batch_id=released.pk,
        by=finance_team.second,
        data=results_csv([(item_of(released, payable), True, "")]),
    )
    assert PaymentBatch.objects.get(pk=released.pk).status == PaymentBatch.Status.RELEASED

    code = item_of(released, other_payable).customer_code
    japanese = f"customer_code,result,reason\r\n{code},済,\r\n".encode("cp932")
    services.reconciliation_import(batch_id=released.pk, by=finance_team.second, data=japanese)

    assert PaymentBatch.objects.get(pk=released.pk).status == PaymentBatch.Status.RECONCILED
    assert Payment.objects.count() == 2
    assert AuditEvent.objects.filter(action="batch_reconcile", subject_id=str(released.pk)).count()


def test_reconciliation_unknown_code_is_refused_naming_it(released, payable, finance_team):
    paid_item = item_of(released, payable)
    unknown = BatchItem.objects.order_by("-pk").first().pk + 1000
    data = (results_csv([(paid_item, True, "")]).decode() + f"{unknown:010d},paid,\r\n").encode()
    before = snapshot()

    with pytest.raises(ValidationFailed) as refused:
        services.reconciliation_import(batch_id=released.pk, by=finance_team.second, data=data)

    assert f"{unknown:010d}" in str(refused.value)
    assert snapshot() == before  # the paid line of the same file was not recorded either


def test_reconciliation_item_of_another_batch_is_refused_naming_it(
    released, payable, finance_team, transfer_day, subsidy_round, people
):
    third = confirmed_application(subsidy_round, people, people.colleague)
    claim = services.payment_claim(
        application_id=third.pk, by=people.colleague, account_id=payable.account_id
    )
    other_batch = services.batch_prepare(
        by=finance_team.preparer, transfer_date=transfer_day, payable_ids=[claim.pk]
    )
    foreign = other_batch.items.get()

    with pytest.raises(ValidationFailed) as refused:
        services.reconciliation_import(
            batch_id=released.pk,
            by=finance_team.second,
            data=results_csv([(item_of(released, payable), True, ""), (foreign, True, "")]),
        )

    assert foreign.customer_code in str(refused.value)
    assert other_batch.reference in str(refused.value)
    assert not Payment.objects.exists()


def test_reconciliation_contradicting_an_earlier_result_is_refused(
    released, payable, finance_team, bank_day
):
    item = item_of(released, payable)
    services.reconciliation_import(
        batch_id=released.pk, by=finance_team.second, data=results_csv([(item, True, "")])
    )

    with pytest.raises(InvalidState) as refused:
        services.reconciliation_import(
            batch_id=released.pk, by=finance_team.second, data=results_csv([(item, False, "x")])
        )

    assert item.customer_code in str(refused.value)
    assert BatchItem.objects.get(pk=item.pk).result == BatchItem.Result.PAID


def test_reconciliation_of_a_batch_not_released_is_refused(payable, finance_team, transfer_day):
    batch = services.batch_prepare(
        by=finance_team.preparer, transfer_date=transfer_day, payable_ids=[payable.pk]
    )

    with pytest.raises(InvalidState):
        services.reconciliation_import(
            batch_id=batch.pk,
            by=finance_team.second,
            data=results_csv([(batch.items.get(), True, "")]),
        )
    assert not Payment.objects.exists()


def test_selectors_batch_list_totals_paid_and_failed(
    released, payable, other_payable, finance_team, bank_day
):
    services.reconciliation_import(
        batch_id=released.pk,
        by=finance_team.second,
        data=results_csv(
            [(item_of(released, payable), True, ""), (item_of(released, other_payable), False, "x")]
        ),
    )

    row = selectors.batch_get(released.pk)
    assert (row.paid_total, row.paid_count, row.failed_count, row.pending_count) == (
        payable.amount,
        1,
        1,
        0,
    )
    assert list(selectors.payables_awaiting_batch()) == [other_payable]


def revoke(application, people):
    from revocations.services import revocation_decide, revocation_prepare

    application.refresh_from_db()
    revocation = revocation_prepare(
        application_id=application.pk,
        by=people.staff,
        reason="補助対象外の経費が判明した",
        revoked_amount=application.confirmed_amount,
    )
    return revocation_decide(revocation_id=revocation.pk, by=people.approver)


def test_revoked_before_release_the_batch_cannot_be_released(
    payable, finance_team, transfer_day, people
):
    batch = services.batch_prepare(
        by=finance_team.preparer, transfer_date=transfer_day, payable_ids=[payable.pk]
    )
    revoke(payable.application, people)

    with pytest.raises(InvalidState) as refused:
        services.batch_release(batch_id=batch.pk, by=finance_team.releaser)

    assert payable.application.reference in str(refused.value)
    assert PaymentBatch.objects.get(pk=batch.pk).status == PaymentBatch.Status.PREPARED
    services.batch_cancel(batch_id=batch.pk, by=finance_team.releaser)
    assert list(selectors.payables_awaiting_batch()) == []
    with pytest.raises(InvalidState):
        services.batch_prepare(
            by=finance_team.preparer, transfer_date=transfer_day, payable_ids=[payable.pk]
        )


def test_revoked_while_at_the_bank_the_transfer_is_recorded_and_finance_told(
    released, payable, finance_team, people, bank_day
):
    revoke(payable.application, people)

    summary = services.reconciliation_import(
        batch_id=released.pk,
        by=finance_team.second,
        data=results_csv([(item_of(released, payable), True, "")]),
    )

    assert summary["paid"] == 1
    application = Application.objects.get(pk=payable.application_id)
    assert application.status == Application.Status.REVOKED
    assert Payment.objects.get(application=application).amount == payable.amount
    assert Payable.objects.get(pk=payable.pk).status == Payable.Status.PAID
    assert AuditEvent.objects.filter(
        action="paid_after_revocation", subject_id=str(application.pk)
    ).exists()
    told = Notification.objects.filter(kind="payment_after_revocation")
    assert {n.recipient.username for n in told} >= {"finance", "finance2", "finance3"}
    assert not Notification.objects.filter(kind="payment_paid", recipient=people.applicant).exists()


def test_reconciliation_paid_before_the_transfer_date_is_refused_and_changes_nothing(
    released, payable, other_payable, finance_team
):
    # given: today is before the batch's transfer date
    paid_item, failed_item = item_of(released, payable), item_of(released, other_payable)
    before = snapshot()

    # when
    with pytest.raises(ValidationFailed) as refused:
        services.reconciliation_import(
            batch_id=released.pk,
            by=finance_team.second,
            data=results_csv([(paid_item, True, ""), (failed_item, False, "口座なし")]),
        )

    # then
    assert refused.value.code == "before_transfer_date"
    assert refused.value.field == "data"
    assert paid_item.customer_code in str(refused.value.message)
    assert failed_item.customer_code not in str(refused.value.message)
    assert snapshot() == before
    assert not Letter.objects.filter(kind=Letter.Kind.PAYMENT_NOTICE).exists()


def test_reconciliation_failed_before_the_transfer_date_is_recorded(
    released, other_payable, finance_team
):
    # a transfer the bank refuses (no such account) can come back before the transfer date
    failed_item = item_of(released, other_payable)

    summary = services.reconciliation_import(
        batch_id=released.pk,
        by=finance_team.second,
        data=results_csv([(failed_item, False, "口座なし")]),
    )

    assert summary["failed"] == 1
    other_payable.refresh_from_db()
    assert other_payable.status == Payable.Status.PAYABLE


def test_reconciliation_on_the_transfer_date_dates_the_notice_on_or_after_it(
    released, payable, finance_team, bank_day
):
    paid_item = item_of(released, payable)

    services.reconciliation_import(
        batch_id=released.pk, by=finance_team.second, data=results_csv([(paid_item, True, "")])
    )

    notice = Letter.objects.get(
        kind=Letter.Kind.PAYMENT_NOTICE, subject_id=str(payable.application_id)
    )
    assert notice.context["paid_on"] == released.transfer_date.isoformat()
    assert notice.context["issued_on"] >= notice.context["paid_on"]
