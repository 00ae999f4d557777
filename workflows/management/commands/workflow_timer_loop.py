import time

from django.core.management.base import BaseCommand

from workflows.services import timers_fire_due


class Command(BaseCommand):
    help = (
        "Fire due workflow timers every N seconds (for the embedded setup; in production "
        "Celery beat schedules workflows.tasks.fire_timers instead)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, default=60)

    def handle(self, *args, every: int, **options):
        while True:
            fired = timers_fire_due()
            if fired:
                self.stdout.write(f"{fired} timer(s) fired")
            time.sleep(every)
