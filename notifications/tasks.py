from celery import shared_task

from .services import (
    DeliveryFailed,
    digest_deliver,
    digests_due_user_ids,
    notices_escalate,
    notification_deliver,
    notifications_reclaim,
)

RETRY_BASE_SECONDS = 30


@shared_task(bind=True, acks_late=True, max_retries=None)
def notification_send(self, notification_id: int) -> bool:
    """Email one notification; retried with exponential backoff until sent or final failure.
    Safe to run twice: only the task that claims the row sends it."""
    try:
        return notification_deliver(notification_id=notification_id)
    except DeliveryFailed as failure:
        if failure.final:
            return False
        raise self.retry(countdown=RETRY_BASE_SECONDS * 2**self.request.retries) from failure


@shared_task
def digests_send() -> int:
    """Daily: one digest email per user with waiting digest notifications."""
    return sum(digest_deliver(user_id=user_id) for user_id in digests_due_user_ids())


@shared_task
def notifications_sweep() -> tuple[int, int]:
    """Every minute: send again what a lost worker or task left unconfirmed past its lease, then
    alert staff to legally required notices still undelivered."""
    return notifications_reclaim(), notices_escalate()
