from celery import shared_task

from .services import notification_deliver


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notification_send(notification_id: int) -> bool:
    return notification_deliver(notification_id=notification_id)
