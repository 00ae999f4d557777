import json

from django.core.management.base import BaseCommand

from notifications.tasks import digests_send
from workflows.notices import reminders_send


class Command(BaseCommand):
    help = "Send today's reminders and email digests now (Celery beat does this daily)."

    def handle(self, *args, **options):
        sent = reminders_send()
        sent["digests"] = digests_send()
        self.stdout.write(json.dumps(sent))
