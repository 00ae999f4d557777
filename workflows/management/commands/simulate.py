import json

from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from fixtures.simulation import simulation_run

# Notifications are mailed in-process after each commit; kept in memory so stdout is the JSON.
QUIET_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


class Command(BaseCommand):
    help = (
        "Drive N applications of a new round through the whole lifecycle with a realistic, "
        "seeded mix of outcomes, and print one JSON summary."
    )

    def add_arguments(self, parser):
        parser.add_argument("--applications", type=int, default=20)
        parser.add_argument("--seed", type=int, default=0)

    def handle(self, *args, applications: int, seed: int, **options):
        if applications < 1:
            raise CommandError("--applications must be at least 1.")
        with override_settings(EMAIL_BACKEND=QUIET_EMAIL_BACKEND):
            result = simulation_run(applications=applications, seed=seed)
        self.stdout.write(json.dumps(result, ensure_ascii=False))
