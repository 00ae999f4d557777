from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from audit.chain import chain_verify


class Command(BaseCommand):
    help = (
        "Check the whole audit hash chain: every entry's hash, every link and that no position "
        "is missing. Names the first broken entry and exits non-zero when the chain is broken."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--grace-minutes",
            type=int,
            default=None,
            help="How long an event may stay unsealed (default KOFU_AUDIT_UNSEALED_GRACE_MINUTES).",
        )

    def handle(self, *args, **options):
        # An operator's log line: one language, whatever the site's default.
        with translation.override("en"):
            self._verify(options["grace_minutes"])

    def _verify(self, grace_minutes: int | None) -> None:
        result = chain_verify(grace_minutes=grace_minutes)
        if not result.ok:
            broken = result.first_broken
            position = f"seq {broken.seq}" if broken.seq is not None else "unsealed"
            raise CommandError(
                f"audit chain BROKEN at {position} (event id {broken.id}): {result.problem}; "
                f"{result.checked} entries before it are intact"
            )
        self.stdout.write(
            f"audit chain OK: {result.checked} entries, head {result.head_hash}, "
            f"{result.unsealed} awaiting seal"
        )
