from django.core.management.base import BaseCommand
from django.test import override_settings

from fixtures.demo import DEMO_PASSWORD, demo_load


class Command(BaseCommand):
    help = "Load the demo round, companies, one user per role and applications in several states."

    def handle(self, *args, **options):
        # the demo's notifications stay in the in-app inbox instead of flooding the console
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            result = demo_load()
        self.stdout.write(
            f"demo data ready: {result['applications']} applications; "
            f"every demo user's password is {DEMO_PASSWORD}"
        )
