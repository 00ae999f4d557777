from celery import shared_task

from .jobs import letter_batch_job  # noqa: F401 (registers the job with Celery)
from .notices import reminders_send
from .services import timers_fire_due


@shared_task
def fire_timers() -> int:
    """Fire due workflow timers (correction deadlines); scheduled by Celery beat."""
    return timers_fire_due()


@shared_task
def send_reminders() -> dict[str, int]:
    """Daily: correction deadlines, results reports due, overdue tasks, committee reviews due."""
    return reminders_send()
