from celery import shared_task

from .services import batch_file_build


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def batch_file_build_task(batch_id: int) -> str:
    """Build a released batch's bank file after the release committed; safe to run twice."""
    return batch_file_build(batch_id=batch_id).file_sha256
