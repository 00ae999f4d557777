import time

from django.core.management.base import BaseCommand
from viewflow.workflow.timers import fire_due_timers


class Command(BaseCommand):
    help = ("Fire due workflow timers every N seconds (for the embedded setup; in production "
            "Celery beat schedules workflows.tasks.fire_timers instead).")

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, default=60)

    def handle(self, *args, every: int, **options):
        while True:
            fired = fire_due_timers()
            if fired:
                self.stdout.write(f"{fired} timer(s) fired")
            time.sleep(every)
