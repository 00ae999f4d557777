from django.core.management.commands.flush import Command as FlushCommand
from django.db import connections


class Command(FlushCommand):
    """Django's flush, allowed past the audit log's TRUNCATE guard on PostgreSQL: emptying the
    whole database (as tests between cases do) is deliberate; TRUNCATE of the log alone is
    refused (audit/migrations/0003)."""

    def handle(self, **options):
        connection = connections[options["database"]]
        if connection.vendor != "postgresql":
            return super().handle(**options)
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('kofu.audit_truncate', 'on', false)")
        try:
            return super().handle(**options)
        finally:
            with connection.cursor() as cursor:
                cursor.execute("RESET kofu.audit_truncate")
