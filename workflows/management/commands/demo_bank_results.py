from django.core.management.base import BaseCommand, CommandError

from fixtures.payments import bank_result_file
from payments.selectors import batch_find


class Command(BaseCommand):
    help = (
        "Write the result file the bank would send back for a released batch (CSV: every "
        "transfer paid, or --fail CUSTOMER_CODE to report one as failed), to try reconciliation "
        "in the demo. Name the batch as the finance pages show it (PAY-20261204-000012) or by "
        "its id; a transfer by the customer code in the batch's list (or its item id)."
    )

    def add_arguments(self, parser):
        parser.add_argument("batch", metavar="BATCH", help="PAY-YYYYMMDD-NNNNNN, or the batch id")
        parser.add_argument(
            "--fail", type=int, action="append", default=[], metavar="CUSTOMER_CODE"
        )
        parser.add_argument("--output", "-o", default="-", help="a file path, or - for stdout")

    def handle(self, *args, batch: str, fail: list[int], output: str, **options):
        found = batch_find(batch)
        if found is None:
            raise CommandError(
                f"There is no payment batch {batch}: give its reference as the finance pages "
                "show it (PAY-YYYYMMDD-NNNNNN) or its id."
            )
        data = bank_result_file(found, failed={item: "口座なし" for item in fail})
        if output == "-":
            self.stdout.write(data.decode(), ending="")
        else:
            with open(output, "wb") as file:
                file.write(data)
            self.stdout.write(f"wrote {output}")
