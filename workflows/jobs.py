"""Celery tasks that are viewflow job nodes (see workflows.nodes)."""

from celery import shared_task

from letters.services import letter_batch_run

from .nodes import job_run


@shared_task(acks_late=True)
def letter_batch_job(task_id: int) -> bool:
    return job_run(task_id, lambda process: letter_batch_run(batch_id=process.batch_id))
