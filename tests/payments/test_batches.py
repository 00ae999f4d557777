"""Payment batches: prepared by one finance user, released by another (and a third above the
threshold), the bank file built once after the release."""

import datetime as dt
import hashlib

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import translation

from audit.models import AuditEvent
from core.dates import is_business_day, today_jst
from core.errors import InvalidState, NotAllowed, ValidationFailed
from notifications.models import Notification
from payments import services
from payments.exceptions import SamePersonReleases
from payments.models import BatchItem, Payable, PaymentBatch
from payments.tasks import batch_file_build_task
from tests.payments.zengin_reader import file_read

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def batch(payable, other_payable, finance_team, transfer_day):
    return services.batch_prepare(
        by=finance_team.preparer,
        transfer_date=transfer_day,
        payable_ids=[payable.pk, other_payable.pk],
    )


def events(action, batch):
    return AuditEvent.objects.filter(action=action, subject_id=str(batch.pk))


def test_batch_prepare_puts_the_payables_in_one_batch(batch, payable, other_payable):
    batch.refresh_from_db()
    assert batch.status == PaymentBatch.Status.PREPARED
    assert batch.total == payable.amount + other_payable.amount
    assert batch.item_count == 2 and not batch.needs_second_releaser
    items = list(batch.items.order_by("payable_id"))
    assert [(item.payable_id, item.amount, item.live) for item in items] == [
        (payable.pk, payable.amount, True),
        (other_payable.pk, other_payable.amount, True),
    ]
    assert items[1].account_number == "7654321"
    assert set(Payable.objects.values_list("status", flat=True)) == {Payable.Status.BATCHED}
    assert events("batch_prepare", batch).get().actor == batch.prepared_by
    assert AuditEvent.objects.filter(action="payable_batch").count() == 2


def test_batch_prepare_a_payable_already_batched_is_refused(batch, payable, finance_team):
    with pytest.raises(InvalidState) as refused:
        services.batch_prepare(
            by=finance_team.second, transfer_date=batch.transfer_date, payable_ids=[payable.pk]
        )

    assert payable.application.reference in str(refused.value)
    assert PaymentBatch.objects.count() == 1


def test_batch_prepare_on_a_holiday_or_in_the_past_is_refused(payable, finance_team):
    holiday = dt.date(today_jst().year + 1, 1, 1)
    yesterday = today_jst() - dt.timedelta(days=1)
    saturday = today_jst() + dt.timedelta(days=(5 - today_jst().weekday()) % 7 or 7)
    assert not is_business_day(saturday)

    for day in (holiday, yesterday, saturday):
        with pytest.raises(ValidationFailed) as refused:
            services.batch_prepare(
                by=finance_team.preparer, transfer_date=day, payable_ids=[payable.pk]
            )
        assert refused.value.field == "transfer_date"
    assert not PaymentBatch.objects.exists()


def test_batch_prepare_by_an_applicant_is_refused(payable, people, transfer_day):
    with pytest.raises(NotAllowed):
        services.batch_prepare(
            by=people.applicant, transfer_date=transfer_day, payable_ids=[payable.pk]
        )


def test_batch_prepare_a_payee_the_bank_format_cannot_carry_is_refused_naming_it(
    payable, finance_team, transfer_day
):
    # an account registered before the name rules existed, say
    Payable.objects.filter(pk=payable.pk).update(holder_name="日立テック")

    with pytest.raises(ValidationFailed) as refused:
        services.batch_prepare(
            by=finance_team.preparer, transfer_date=transfer_day, payable_ids=[payable.pk]
        )

    assert "日立テック" in str(refused.value)
    assert Payable.objects.get(pk=payable.pk).status == Payable.Status.PAYABLE


def test_batch_release_by_another_finance_user_releases_and_builds_the_file(
    batch, finance_team, people, run_on_commit
):
    released = run_on_commit(services.batch_release, batch_id=batch.pk, by=finance_team.releaser)

    released.refresh_from_db()
    assert released.status == PaymentBatch.Status.RELEASED
    assert released.released_by == finance_team.releaser
    assert events("batch_release", batch).get().actor == finance_team.releaser
    data = released.file.read()
    assert hashlib.sha256(data).hexdigest() == released.file_sha256
    assert released.file.name.endswith(f"{released.file_sha256}.txt")
    header, *rows, trailer, _end = file_read(data)
    assert header["transfer_date"] == int(batch.transfer_date.strftime("%m%d"))
    items = list(batch.items.order_by("pk"))
    assert [(row["customer_code_1"], row["amount"]) for row in rows] == [
        (item.customer_code, item.amount) for item in items
    ]
    assert (trailer["count"], trailer["total"]) == (2, batch.total)
    kinds = Notification.objects.values_list("recipient__username", "kind")
    assert ("finance", "batch_released") in kinds
    assert ("applicant", "payment_scheduled") in kinds
    assert ("other", "payment_scheduled") in kinds


def test_batch_release_by_the_preparer_is_refused(batch, finance_team):
    with pytest.raises(SamePersonReleases):
        services.batch_release(batch_id=batch.pk, by=finance_team.preparer)

    batch.refresh_from_db()
    assert batch.status == PaymentBatch.Status.PREPARED and batch.released_by is None
    assert not events("batch_release", batch).exists()


def test_raw_update_making_the_preparer_the_releaser_breaks_a_check_constraint(batch):
    table = PaymentBatch._meta.db_table
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET released_by_id = prepared_by_id WHERE id = %s",  # noqa: S608
            [batch.pk],
        )


def test_raw_update_making_the_releaser_the_second_releaser_breaks_a_check_constraint(
    batch, finance_team
):
    table = PaymentBatch._meta.db_table
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET released_by_id = %s, second_releaser_id = %s "  # noqa: S608
            "WHERE id = %s",
            [finance_team.releaser.pk, finance_team.releaser.pk, batch.pk],
        )


def test_raw_update_releasing_without_a_releaser_breaks_a_check_constraint(batch):
    table = PaymentBatch._meta.db_table
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET status = 'released' WHERE id = %s",  # noqa: S608
            [batch.pk],
        )


def test_batch_release_twice_is_refused(batch, finance_team):
    services.batch_release(batch_id=batch.pk, by=finance_team.releaser)

    with pytest.raises(InvalidState):
        services.batch_release(batch_id=batch.pk, by=finance_team.second)
    assert events("batch_release", batch).count() == 1


def test_batch_above_the_threshold_needs_two_different_releasers(
    payable, other_payable, finance_team, transfer_day, settings, run_on_commit
):
    settings.KOFU_SECOND_RELEASER_ABOVE = payable.amount
    batch = services.batch_prepare(
        by=finance_team.preparer,
        transfer_date=transfer_day,
        payable_ids=[payable.pk, other_payable.pk],
    )
    assert batch.needs_second_releaser

    # when the first releaser signs
    services.batch_release(batch_id=batch.pk, by=finance_team.releaser)

    # then the batch still waits, and only a third person can complete it
    batch.refresh_from_db()
    assert batch.status == PaymentBatch.Status.PREPARED and batch.awaiting_second_releaser
    assert not batch.file_sha256
    asked = Notification.objects.filter(kind="batch_second_release_needed")
    assert set(asked.values_list("recipient__username", flat=True)) == {"finance3"}
    for same_person in (finance_team.releaser, finance_team.preparer):
        with pytest.raises(SamePersonReleases):
            services.batch_release(batch_id=batch.pk, by=same_person)

    run_on_commit(services.batch_release, batch_id=batch.pk, by=finance_team.second)

    batch.refresh_from_db()
    assert batch.status == PaymentBatch.Status.RELEASED
    assert (batch.released_by, batch.second_releaser) == (
        finance_team.releaser,
        finance_team.second,
    )
    assert batch.file_sha256
    assert events("batch_release_first", batch).count() == 1
    assert events("batch_release", batch).count() == 1


def test_batch_at_the_threshold_needs_one_releaser(payable, finance_team, transfer_day, settings):
    settings.KOFU_SECOND_RELEASER_ABOVE = payable.amount
    batch = services.batch_prepare(
        by=finance_team.preparer, transfer_date=transfer_day, payable_ids=[payable.pk]
    )

    services.batch_release(batch_id=batch.pk, by=finance_team.releaser)

    assert PaymentBatch.objects.get(pk=batch.pk).status == PaymentBatch.Status.RELEASED


def test_batch_cancel_returns_the_payables_and_they_can_join_a_new_batch(
    batch, payable, finance_team
):
    services.batch_cancel(batch_id=batch.pk, by=finance_team.releaser, reason="日付誤り")

    assert PaymentBatch.objects.get(pk=batch.pk).status == PaymentBatch.Status.CANCELLED
    assert not BatchItem.objects.filter(live=True).exists()
    assert set(Payable.objects.values_list("status", flat=True)) == {Payable.Status.PAYABLE}
    assert AuditEvent.objects.filter(action="payable_unbatch").count() == 2

    again = services.batch_prepare(
        by=finance_team.second, transfer_date=batch.transfer_date, payable_ids=[payable.pk]
    )
    assert again.items.get().payable == payable
    with pytest.raises(InvalidState):
        services.batch_release(batch_id=batch.pk, by=finance_team.second)


def test_batch_cancel_after_release_is_refused(batch, finance_team):
    services.batch_release(batch_id=batch.pk, by=finance_team.releaser)

    with pytest.raises(InvalidState):
        services.batch_cancel(batch_id=batch.pk, by=finance_team.second)
    assert BatchItem.objects.filter(batch=batch, live=True).count() == 2


def test_batch_file_task_run_twice_stores_one_file_with_the_same_sha256(batch, finance_team):
    services.batch_release(batch_id=batch.pk, by=finance_team.releaser)  # no commit: no task yet

    first = batch_file_build_task.delay(batch.pk).get()
    second = batch_file_build_task.delay(batch.pk).get()

    batch.refresh_from_db()
    assert first == second == batch.file_sha256
    assert hashlib.sha256(batch.file.read()).hexdigest() == first
    stored = batch.file.storage.listdir(batch.file.name.rsplit("/", 1)[0])[1]
    assert stored == [f"{first}.txt"]
    assert events("batch_file_build", batch).count() == 1


def test_batch_file_build_after_a_lost_commit_reuses_the_file_it_wrote(batch, finance_team):
    services.batch_release(batch_id=batch.pk, by=finance_team.releaser)
    built = services.batch_file_build(batch_id=batch.pk)
    name, sha256 = built.file.name, built.file_sha256
    # a worker wrote the file, then its transaction was lost
    PaymentBatch.objects.filter(pk=batch.pk).update(file="", file_sha256="")

    rebuilt = services.batch_file_build(batch_id=batch.pk)

    assert (rebuilt.file.name, rebuilt.file_sha256) == (name, sha256)
    assert rebuilt.file.storage.listdir(name.rsplit("/", 1)[0])[1] == [f"{sha256}.txt"]


def test_batch_file_build_before_release_is_refused(batch):
    with pytest.raises(InvalidState):
        services.batch_file_build(batch_id=batch.pk)
    assert not PaymentBatch.objects.get(pk=batch.pk).file
