from celery import shared_task

from .services import letter_render_file


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def letter_render(letter_id: int) -> str:
    """Render one letter's PDF after its decision committed; safe to run twice."""
    return letter_render_file(letter_id=letter_id).sha256
