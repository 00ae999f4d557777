from django.core.management.base import BaseCommand

from fixtures.seed_figures import seed_figures_load


class Command(BaseCommand):
    help = (
        "Load the historical records behind the programme's published figures (declarations "
        "25/56/140, commendations 10/6/9, 164 subsidy users since 2020); once only."
    )

    def handle(self, *args, **options):
        created = seed_figures_load()
        if created is None:
            self.stdout.write("seed figures already loaded: nothing to do")
            return
        summary = ", ".join(f"{count} {name}" for name, count in created.items())
        self.stdout.write(f"seed figures loaded: {summary}")
