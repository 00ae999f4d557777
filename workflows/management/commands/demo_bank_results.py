from django.core.management.base import BaseCommand, CommandError

from fixtures.payments import bank_result_file
from payments.models import PaymentBatch


class Command(BaseCommand):
    help = (
        "Write the result file the bank would send back for a released batch (CSV: every "
        "transfer paid, or --fail ITEM_ID to report one as failed), to try reconciliation in "
        "the demo."
    )

    def add_arguments(self, parser):
        parser.add_argument("batch_id", type=int)
        parser.add_argument("--fail", type=int, action="append", default=[], metavar="ITEM_ID")
        parser.add_argument("--output", "-o", default="-", help="a file path, or - for stdout")

    def handle(self, *args, batch_id: int, fail: list[int], output: str, **options):
        batch = PaymentBatch.objects.filter(pk=batch_id).first()
        if batch is None:
            raise CommandError(f"There is no payment batch {batch_id}.")
        data = bank_result_file(batch, failed={item: "口座なし" for item in fail})
        if output == "-":
            self.stdout.write(data.decode(), ending="")
        else:
            with open(output, "wb") as file:
                file.write(data)
            self.stdout.write(f"wrote {output}")
