"""A business event queues its email once: queueing again with the same
de-duplication key returns the email already queued, also when two
transactions queue it at the same moment."""

import threading

import pytest
from django.db import connection, transaction

from shop_accounts.core.attachments import Attachment
from shop_accounts.core.models import OutboundAttachment, OutboundEmail
from shop_accounts.core.outbox import deliver_due_emails, queue_email

KEY = "invoice:42:issued"


def invoice_email(**fields) -> OutboundEmail:
    return queue_email(
        recipient="anna@example.com",
        subject=fields.pop("subject", "Your invoice 42"),
        body_text="Attached.",
        language="en",
        dedup_key=KEY,
        **fields,
    )


def test_queueing_the_same_event_twice_yields_the_first_email(db, smtp_sink):
    first = invoice_email(attachments=[Attachment("42.pdf", "application/pdf", "invoices/42")])

    again = invoice_email(
        subject="Your invoice 42 (again)",
        attachments=[Attachment("42.pdf", "application/pdf", "invoices/42")],
    )

    assert again.pk == first.pk
    assert list(OutboundEmail.objects.values_list("subject", flat=True)) == ["Your invoice 42"]
    assert OutboundAttachment.objects.count() == 1


def test_a_duplicate_leaves_the_business_transaction_usable(db):
    with transaction.atomic():
        first = invoice_email()
        again = invoice_email()
        # The caller goes on writing in the same transaction.
        other = queue_email(recipient="bert@example.com", subject="-", body_text="-", language="en")

    assert again.pk == first.pk
    assert OutboundEmail.objects.count() == 2
    assert other.pk != first.pk


def test_emails_without_a_key_are_never_merged(db):
    for _ in range(2):
        queue_email(recipient="anna@example.com", subject="Hi", body_text="-", language="en")

    assert OutboundEmail.objects.filter(dedup_key__isnull=True).count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_transactions_queueing_the_same_event_at_once_queue_one_email(smtp_sink):
    results: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def queue() -> None:
        try:
            start.wait()
            with transaction.atomic():
                results.append(invoice_email().pk)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=queue) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    (email,) = OutboundEmail.objects.all()
    assert results == [email.pk, email.pk]
    deliver_due_emails()
    assert len(smtp_sink.to("anna@example.com")) == 1
