"""The bundled worker runs queued tasks from the database queue."""

import pytest
from django.core.management import call_command
from django.db import transaction

from shop_accounts.core.models import OutboundEmail
from shop_accounts.core.outbox import queue_email


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
