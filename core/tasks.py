from celery import shared_task

from .services import idempotency_keys_expire


@shared_task
def idempotency_keys_expire_task() -> int:
    """Hourly: forget Idempotency-Keys older than a day."""
    return idempotency_keys_expire()
