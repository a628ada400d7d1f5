"""The bundled worker: runs queued tasks and sweeps the outbox, in a loop.

django-tasks-db's worker neither retries nor recovers a task that died with
its process, so between rounds this also sends every email the outbox says is
due (lost tasks, back-off expired, abandoned sends).
"""

import signal
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

from shop_accounts.core.outbox import deliver_due_emails


class Command(BaseCommand):
    help = "Run background tasks and deliver due emails until stopped."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--interval", type=float, default=2.0, help="Seconds between rounds.")
        parser.add_argument("--once", action="store_true", help="Run one round and exit.")

    def handle(self, *args, interval: float, once: bool, **options) -> None:
        running = True

        def stop(signum, frame) -> None:
            nonlocal running
            running = False

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while running:
            call_command("db_worker", batch=True, queue_name="*", verbosity=0)
            deliver_due_emails()
            if once:
                return
            time.sleep(interval)
