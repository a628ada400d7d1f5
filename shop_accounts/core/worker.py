"""The bundled worker's loop: queued tasks, the outbox sweep, and staying up
through a database outage.

Each round runs every ready task of django-tasks-db (its `Worker` in batch
mode), marks tasks abandoned by a dead worker as failed, and sends every email
the outbox says is due. A round that cannot reach the database is not fatal:
the worker logs the outage once, waits with a growing back-off (1 s doubling to
30 s) and goes on when the database answers. A stop request (SIGTERM, Ctrl+C)
lets the running task or email finish, then the loop ends before starting
anything new, so nothing is left half done.
"""

import logging
import threading
from datetime import timedelta

from django.db import close_old_connections, connections
from django.tasks import TaskResultStatus
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from shop_accounts.conf import shop_settings
from shop_accounts.core.outages import Outage, is_database_unavailable
from shop_accounts.core.outbox import deliver_due_emails

logger = logging.getLogger(__name__)

BACKOFF_FIRST_SECONDS = 1.0
BACKOFF_MAX_SECONDS = 30.0

ABANDONED_TRACEBACK = (
    "The worker running this task stopped before the task finished (killed or lost); "
    "marked failed by the sweep of abandoned tasks."
)


def sweep_abandoned_tasks() -> int:
    """Mark failed the tasks still RUNNING after `SHOP_TASK_LEASE_SECONDS`:
    their worker died without finishing them (django-tasks-db never looks at
    them again). An email task's email is sent again by the outbox sweep.
    Returns how many were swept."""
    cutoff = timezone.now() - timedelta(seconds=shop_settings.TASK_LEASE_SECONDS)
    swept = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=cutoff
    ).update(
        status=TaskResultStatus.FAILED,
        finished_at=timezone.now(),
        exception_class_path="shop_accounts.core.worker.AbandonedTask",
        traceback=ABANDONED_TRACEBACK,
    )
    if swept:
        logger.warning("Marked %s abandoned task(s) as failed.", swept)
    return swept


class BackgroundWorker:
    """The loop of `manage.py run_worker`; `stop()` may be called from a
    signal handler."""

    def __init__(self, *, interval: float) -> None:
        self.interval = interval
        self.worker_id = get_random_string(32)
        self.outage = Outage("the worker retries")
        self._stopping = threading.Event()
        self._tasks: Worker | None = None

    @property
    def stopping(self) -> bool:
        return self._stopping.is_set()

    def stop(self) -> None:
        """Finish what is running, start nothing new, then leave the loop."""
        self._stopping.set()
        if self._tasks is not None:
            self._tasks.running = False

    def run(self, *, once: bool = False) -> None:
        logger.info("Worker %s started.", self.worker_id)
        backoff = BACKOFF_FIRST_SECONDS
        while not self.stopping:
            try:
                self.run_round()
            except Exception as error:
                if not is_database_unavailable(error):
                    raise
                self.outage.failed(error)
                self._drop_connections()
                if once:
                    raise
                self._stopping.wait(backoff)
                backoff = min(backoff * 2, BACKOFF_MAX_SECONDS)
                continue
            self.outage.recovered()
            backoff = BACKOFF_FIRST_SECONDS
            if once:
                break
            self._stopping.wait(self.interval)
        close_old_connections()
        logger.info("Worker %s stopped.", self.worker_id)

    def run_round(self) -> None:
        """Every ready task, then the sweeps; stops early when asked to."""
        self._tasks = Worker(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=self.worker_id,
            excluded_queue_names=[],
        )
        try:
            if not self.stopping:
                self._tasks.run()
        finally:
            self._tasks = None
        if self.stopping:
            return
        sweep_abandoned_tasks()
        deliver_due_emails(stop=lambda: self.stopping)
        close_old_connections()

    def _drop_connections(self) -> None:
        # A connection that met the outage is broken; the next round opens a
        # fresh one (or takes a healthy one from the pool).
        for connection in connections.all(initialized_only=True):
            try:
                connection.close()
            except Exception:
                logger.debug("Closing a broken connection failed", exc_info=True)
