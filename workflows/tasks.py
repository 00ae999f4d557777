from celery import shared_task
from viewflow.workflow.timers import fire_due_timers


@shared_task
def fire_timers() -> int:
    """Fire due workflow timers (correction deadlines); scheduled by Celery beat."""
    return fire_due_timers()
