"""Concurrent releases of one batch, on PostgreSQL with real threads and connections."""

import pytest

from audit.models import AuditEvent
from payments import services
from payments.models import PaymentBatch
from payments.tasks import batch_file_build_task
from tests.concurrency import THREADS, outcome_names, run_concurrently

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def stored_files(batch):
    storage = batch.file.storage
    folder = batch.file.name.rsplit("/", 1)[0]
    return storage.listdir(folder)[1]


def events(action, batch):
    return AuditEvent.objects.filter(action=action, subject_id=str(batch.pk))


@pytest.fixture
def batch(payable, other_payable, finance_team, transfer_day):
    return services.batch_prepare(
        by=finance_team.preparer,
        transfer_date=transfer_day,
        payable_ids=[payable.pk, other_payable.pk],
    )


def test_concurrent_releases_of_one_batch_release_once_and_build_one_file(batch, finance_team):
    releasers = [finance_team.releaser, finance_team.second]

    outcomes = run_concurrently(
        lambda i: services.batch_release(batch_id=batch.pk, by=releasers[i % 2])
    )

    assert outcome_names(outcomes) == {"PaymentBatch": 1, "InvalidState": THREADS - 1}, outcomes
    batch.refresh_from_db()
    assert batch.status == PaymentBatch.Status.RELEASED
    assert batch.released_by_id in {user.pk for user in releasers}
    assert events("batch_release", batch).count() == 1
    assert events("batch_file_build", batch).count() == 1
    assert stored_files(batch) == [f"{batch.file_sha256}.txt"]


def test_concurrent_releases_above_the_threshold_take_exactly_two_people(
    payable, other_payable, finance_team, transfer_day, settings
):
    settings.KOFU_SECOND_RELEASER_ABOVE = payable.amount
    batch = services.batch_prepare(
        by=finance_team.preparer,
        transfer_date=transfer_day,
        payable_ids=[payable.pk, other_payable.pk],
    )
    releasers = [finance_team.releaser, finance_team.second, finance_team.preparer]

    outcomes = run_concurrently(
        lambda i: services.batch_release(batch_id=batch.pk, by=releasers[i % 3])
    )

    names = outcome_names(outcomes)
    assert names["PaymentBatch"] == 2, outcomes
    assert names["PaymentBatch"] + names["InvalidState"] + names["SamePersonReleases"] == THREADS
    batch.refresh_from_db()
    assert batch.status == PaymentBatch.Status.RELEASED
    assert {batch.released_by, batch.second_releaser} == {
        finance_team.releaser,
        finance_team.second,
    }
    assert events("batch_release_first", batch).count() == 1
    assert events("batch_release", batch).count() == 1
    assert stored_files(batch) == [f"{batch.file_sha256}.txt"]


def test_concurrent_file_tasks_store_one_file(batch, finance_team):
    released = services.batch_release(batch_id=batch.pk, by=finance_team.releaser)
    # as if the task after commit had not run yet
    released.refresh_from_db()
    released.file.delete(save=False)
    PaymentBatch.objects.filter(pk=batch.pk).update(file="", file_sha256="")

    outcomes = run_concurrently(lambda i: batch_file_build_task(batch.pk))

    batch.refresh_from_db()
    assert set(outcomes) == {batch.file_sha256}, outcomes
    assert events("batch_file_build", batch).count() == 2  # the release's task, then one of 20
    assert stored_files(batch) == [f"{batch.file_sha256}.txt"]
