"""The bundled worker runs queued tasks from the database queue, sweeps
tasks abandoned by a killed worker, and stops when asked. Outliving a
database outage: tests/production/test_database_outage.py."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from shop_accounts.conf import shop_settings
from shop_accounts.core.models import OutboundEmail
from shop_accounts.core.outbox import queue_email
from shop_accounts.core.worker import BackgroundWorker


@pytest.mark.django_db(transaction=True)
def test_worker_round_sends_emails_queued_by_committed_transactions(smtp_sink):
    with transaction.atomic():
        email = queue_email(
            recipient="bernd@example.com", subject="Willkommen", body_text="Hallo", language="de"
        )

    call_command("run_worker", once=True)

    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    assert [m["Subject"] for m in smtp_sink.to("bernd@example.com")] == ["Willkommen"]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_sends_nothing(smtp_sink):
    with pytest.raises(RuntimeError), transaction.atomic():
        queue_email(recipient="x@example.com", subject="Never", body_text="-", language="en")
        raise RuntimeError("the action failed")

    call_command("run_worker", once=True)

    assert OutboundEmail.objects.count() == 0
    assert smtp_sink.messages == []


@pytest.mark.django_db(transaction=True)
def test_tasks_left_running_by_a_killed_worker_are_marked_failed_and_their_email_sent(
    smtp_sink,
):
    with transaction.atomic():
        abandoned = queue_email(
            recipient="anna@example.com", subject="Abandoned", body_text="-", language="en"
        )
        live = queue_email(
            recipient="bernd@example.com", subject="Live", body_text="-", language="en"
        )
    # Given one task claimed by a worker killed longer ago than the lease,
    # and one claimed just now by a worker still at it
    lease = timedelta(seconds=shop_settings.TASK_LEASE_SECONDS)
    tasks = {t.args_kwargs["args"][0]: t for t in DBTaskResult.objects.all()}
    DBTaskResult.objects.filter(pk=tasks[abandoned.pk].pk).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now() - lease - timedelta(minutes=1)
    )
    DBTaskResult.objects.filter(pk=tasks[live.pk].pk).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now()
    )

    call_command("run_worker", once=True)

    swept = DBTaskResult.objects.get(pk=tasks[abandoned.pk].pk)
    assert swept.status == TaskResultStatus.FAILED
    assert swept.exception_class_path == "shop_accounts.core.worker.AbandonedTask"
    assert swept.finished_at is not None
    assert DBTaskResult.objects.get(pk=tasks[live.pk].pk).status == TaskResultStatus.RUNNING
    assert DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).count() == 1
    # and the outbox still delivers both emails (it keeps its own state)
    assert sorted(m["Subject"] for m in smtp_sink.messages) == ["Abandoned", "Live"]


@pytest.mark.django_db(transaction=True)
def test_a_worker_asked_to_stop_starts_nothing_new(smtp_sink):
    with transaction.atomic():
        email = queue_email(
            recipient="x@example.com", subject="Later", body_text="-", language="en"
        )
    worker = BackgroundWorker(interval=0)
    worker.stop()  # as SIGTERM does

    worker.run()

    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.QUEUED
    assert DBTaskResult.objects.get().status == TaskResultStatus.READY
    assert smtp_sink.messages == []
