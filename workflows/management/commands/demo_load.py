from django.core.management.base import BaseCommand

from fixtures.demo import DEMO_PASSWORD, demo_load


class Command(BaseCommand):
    help = "Load the demo round, companies, one user per role and applications in several states."

    def handle(self, *args, **options):
        result = demo_load()
        self.stdout.write(
            f"demo data ready: {result['applications']} applications; "
            f"every demo user's password is {DEMO_PASSWORD}"
        )
