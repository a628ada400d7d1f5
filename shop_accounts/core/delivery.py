"""The claim / lease / back-off loop of anything a worker delivers: outbox
emails today, webhook calls later. A `DeliveryQueue` is built once per model
(a subclass of `core.models.DeliveryState`) with the callable that sends one
row and the callable that schedules a delivery task.

- A row is claimed with one conditional UPDATE, so two workers never send the
  same row at once; the send runs outside any transaction.
- A row left in SENDING past its lease belongs to a dead worker and is sent
  again: a send can happen twice, but is never lost.
- A failed send is retried after `retry_base_seconds × 2^(attempts−1)`, until
  it gives up after `max_attempts`.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from shop_accounts.core.models import DeliveryState

logger = logging.getLogger(__name__)

Status = DeliveryState.Status


@dataclass(frozen=True)
class DeliveryQueue[Row: DeliveryState]:
    """Delivery of the rows of `model`. `send(row)` delivers one row and
    raises on failure; `schedule(pk, run_after)` enqueues a task that calls
    `deliver(pk)` (now, or not before `run_after`). The limits are callables,
    read at every use, so tests and operators can change them (conf.py)."""

    model: type[Row]
    send: Callable[[Row], object]
    schedule: Callable[[int, datetime | None], None]
    max_attempts: Callable[[], int]
    retry_base_seconds: Callable[[], int]
    lease_seconds: Callable[[], int]

    def due(self, now: datetime) -> Q:
        """Rows waiting for a send (new, or failed with the back-off passed),
        and rows abandoned by a dead worker."""
        lease = timedelta(seconds=self.lease_seconds())
        waiting = Q(status__in=[Status.QUEUED, Status.FAILED]) & (
            Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
        )
        abandoned = Q(status=Status.SENDING, sending_since__lt=now - lease)
        return waiting | abandoned

    def schedule_on_commit(self, pk: int) -> None:
        """Enqueue the delivery of `pk` once the current transaction commits
        (never for one that rolled back)."""
        transaction.on_commit(lambda: self.schedule(pk, None))

    def deliver(self, pk: int) -> str:
        """Try to send one row now, if it is due. Returns its status afterwards."""
        manager = self.model._default_manager
        now = timezone.now()
        claimed = (
            manager.filter(pk=pk)
            .filter(self.due(now))
            .update(status=Status.SENDING, sending_since=now, attempts=F("attempts") + 1)
        )
        row = manager.get(pk=pk)
        if not claimed:
            return row.status
        try:
            self.send(row)
        except Exception as error:
            return self._record_failure(row, error)
        manager.filter(pk=pk).update(
            status=Status.SENT,
            sent_at=timezone.now(),
            sending_since=None,
            last_error="",
            next_attempt_at=None,
        )
        return Status.SENT

    def _record_failure(self, row: Row, error: Exception) -> str:
        attempts = row.attempts
        error_text = f"{error.__class__.__name__}: {error}"[:2000]
        next_attempt_at: datetime | None
        if attempts >= self.max_attempts():
            status, next_attempt_at = Status.GAVE_UP, None
            logger.error(
                "Gave up delivering %s %s after %s attempts",
                self.model._meta.model_name,
                row.pk,
                attempts,
            )
        else:
            delay = self.retry_base_seconds() * 2 ** (attempts - 1)
            status, next_attempt_at = Status.FAILED, timezone.now() + timedelta(seconds=delay)
        self.model._default_manager.filter(pk=row.pk).update(
            status=status,
            last_error=error_text,
            next_attempt_at=next_attempt_at,
            sending_since=None,
        )
        if next_attempt_at is not None:
            self.schedule(row.pk, next_attempt_at)
        return status

    def deliver_due(self, limit: int = 500, *, stop: Callable[[], bool] | None = None) -> int:
        """Send every row that is due: new ones whose task was lost, failed
        ones whose back-off has passed, and ones abandoned by a dead worker.
        `stop`, asked before each row, ends the sweep early (a worker told to
        stop finishes the row in hand, then starts no other). Returns how
        many were sent."""
        due_ids = list(
            self.model._default_manager.filter(self.due(timezone.now()))
            .order_by("id")
            .values_list("id", flat=True)[:limit]
        )
        sent = 0
        for pk in due_ids:
            if stop is not None and stop():
                break
            sent += self.deliver(pk) == Status.SENT
        return sent

    def retry_now(self, pk: int) -> bool:
        """Queue a failed or given-up row again at once. A row already sent is
        left alone (False): nothing is delivered twice on purpose."""
        queued = (
            self.model._default_manager.filter(pk=pk)
            .exclude(status=Status.SENT)
            .update(status=Status.QUEUED, next_attempt_at=None)
        )
        if queued:
            self.schedule_on_commit(pk)
        return bool(queued)
