"""`manage.py delete_abandoned_carts`: delete guest carts nobody can reach
any more (run it daily, e.g. from cron or a systemd timer)."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from shop_accounts.cart.actions import delete_abandoned_guest_carts


class Command(BaseCommand):
    help = (
        "Delete guest carts untouched for longer than a session lives "
        "(SESSION_COOKIE_AGE); customers' saved carts stay."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        cutoff = timezone.now() - timedelta(seconds=settings.SESSION_COOKIE_AGE)
        deleted = delete_abandoned_guest_carts(untouched_since=cutoff)
        self.stdout.write(f"Deleted {deleted} abandoned guest carts.")
