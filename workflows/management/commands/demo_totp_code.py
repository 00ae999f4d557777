import time

from django.core.management.base import BaseCommand
from django_otp.oath import TOTP

from fixtures.demo import DEMO_TOTP_KEY


class Command(BaseCommand):
    help = "Print the demo authenticator's current 6-digit code (demo users' second factor)."

    def handle(self, *args, **options):
        totp = TOTP(bytes.fromhex(DEMO_TOTP_KEY))
        totp.time = time.time()
        left = 30 - int(totp.time) % 30
        self.stdout.write(f"{totp.token():06d}  (valid for {left} more seconds)")
