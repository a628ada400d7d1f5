"""The bundled worker: runs queued tasks and sweeps the outbox, in a loop.

django-tasks-db's worker neither retries nor recovers a task that died with
its process, so between rounds this also marks abandoned tasks failed and
sends every email the outbox says is due (lost tasks, back-off expired,
abandoned sends). It outlives a database outage (it backs off and goes on)
and stops cleanly on SIGTERM or Ctrl+C: what is running finishes, nothing new
starts (shop_accounts/core/worker.py).
"""

import logging
import signal

from django.core.management.base import BaseCommand

from shop_accounts.core.worker import BackgroundWorker


class Command(BaseCommand):
    help = "Run background tasks and deliver due emails until stopped."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--interval", type=float, default=2.0, help="Seconds between rounds.")
        parser.add_argument("--once", action="store_true", help="Run one round and exit.")

    def handle(self, *args, interval: float, once: bool, verbosity: int, **options) -> None:
        # django-tasks-db logs every round at INFO ("Starting worker ...");
        # only its warnings are news, unless -v 2 asks for more.
        quiet = logging.DEBUG if verbosity >= 2 else logging.WARNING
        for name in ("django_tasks_db", "django.tasks"):
            logging.getLogger(name).setLevel(quiet if verbosity else logging.CRITICAL)
        worker = BackgroundWorker(interval=interval)

        def stop(signum, frame) -> None:
            worker.stop()
            # A second signal stops at once, as usual.
            signal.signal(signum, signal.SIG_DFL)

        previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            worker.run(once=once)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
