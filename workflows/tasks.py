from celery import shared_task

from .services import timers_fire_due


@shared_task
def fire_timers() -> int:
    """Fire due workflow timers (correction deadlines); scheduled by Celery beat."""
    return timers_fire_due()
