"""Print the demo merchant's current authenticator-app code, for trying the
back office without an authenticator app."""

import time

from django.core.management.base import BaseCommand

from shop_accounts.backoffice.management.commands.load_demo_data import MERCHANT_TOTP_SECRET
from shop_accounts.identity.allauth_internals import format_hotp_value, hotp_value


class Command(BaseCommand):
    help = "Print the demo merchant's current authenticator-app code (valid up to 30 seconds)."

    def handle(self, *args, **options) -> None:
        now = int(time.time())
        code = format_hotp_value(hotp_value(MERCHANT_TOTP_SECRET, now // 30))
        self.stdout.write(f"{code}  (valid for {30 - now % 30} more seconds)")
