from django.core.management.base import BaseCommand

from audit.chain import events_seal


class Command(BaseCommand):
    help = (
        "Seal committed audit events that are not yet in the hash chain (normally done right "
        "after each commit; cron or Celery beat runs this as a safety net)."
    )

    def handle(self, *args, **options):
        sealed = events_seal()
        self.stdout.write(f"audit events sealed: {sealed}")
