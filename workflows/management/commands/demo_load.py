from django.core.management.base import BaseCommand
from django.test import override_settings

from fixtures.demo import DEMO_PASSWORD, demo_load, demo_totp_secret


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
        self.stdout.write(
            "staff-side users and reviewers then enter a code from an authenticator app set up "
            f"with the demo secret {demo_totp_secret()} (or print the current code with: "
            "python manage.py demo_totp_code)"
        )
