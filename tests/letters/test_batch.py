"""A batch of letters runs as a viewflow Celery job, with progress, once."""

import pytest
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import PROCESS, STATUS

from fixtures.demo import advance, draft_create
from letters.models import Letter, LetterBatch
from workflows.jobs import letter_batch_job
from workflows.services import letter_batch_start

pytestmark = pytest.mark.django_db


@pytest.fixture
def grant_letters(subsidy_round, people, run_on_commit):
    applications = [draft_create(subsidy_round, people.applicant) for _ in range(3)]
    for application in applications:
        run_on_commit(advance, application, "granted", vars(people))
    return list(Letter.objects.filter(kind="grant_decision").order_by("pk"))


def test_letter_batch_regenerates_every_letter_with_progress(
    grant_letters, people, run_on_commit, client
):
    batch = run_on_commit(
        letter_batch_start,
        letter_ids=[letter.pk for letter in grant_letters],
        description="交付決定通知書の再発行",
        by=people.staff,
    )

    batch.refresh_from_db()
    assert (batch.status, batch.done, batch.total, batch.percent) == ("done", 3, 3, 100)
    for letter in grant_letters:
        new = Letter.objects.get(previous=letter)
        assert (new.version, new.number, new.status) == (2, letter.number, "issued")
    process = Process.objects.get(flow_class__endswith="LetterBatchFlow")
    assert process.status == PROCESS.DONE
    job = Task.objects.get(process=process, flow_task_type="JOB")
    assert job.status == STATUS.DONE

    client.force_login(people.staff)
    page = client.get(f"/letters/batches/{batch.pk}/").content.decode()
    assert "3 / 3 (100%)" in page


def test_letter_batch_job_delivered_twice_runs_once(grant_letters, people, run_on_commit):
    batch = run_on_commit(
        letter_batch_start, letter_ids=[grant_letters[0].pk], description="再発行", by=people.staff
    )
    job = Task.objects.get(flow_task_type="JOB")

    assert letter_batch_job.apply(args=[job.pk]).get() is False
    assert Letter.objects.filter(previous=grant_letters[0]).count() == 1
    assert LetterBatch.objects.get(pk=batch.pk).done == 1


def test_letter_batch_refused_to_applicants(grant_letters, people):
    from core.errors import NotAllowed

    with pytest.raises(NotAllowed):
        letter_batch_start(letter_ids=[grant_letters[0].pk], description="x", by=people.applicant)
    assert not LetterBatch.objects.exists()
