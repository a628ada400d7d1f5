"""An outbox email may carry a reply-to address and attachments; attachments
are stored by reference and read when the email is sent, so a document
changed (or regenerated) before the send goes out as it is then."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from shop_accounts.core.attachments import (
    Attachment,
    UnknownAttachmentLoader,
    register_attachment_loader,
)
from shop_accounts.core.models import OutboundAttachment, OutboundEmail
from shop_accounts.core.outbox import deliver_due_emails, deliver_email, queue_email

PDF = b"%PDF-1.4\n% an invoice\n1 0 obj << >> endobj\n%%EOF\n"


def test_the_reply_to_address_reaches_the_recipient(db, smtp_sink):
    queue_email(
        recipient="shop@example.com",
        subject="Contact form",
        body_text="A question",
        language="en",
        reply_to="anna@example.com",
    )
    deliver_due_emails()

    (message,) = smtp_sink.to("shop@example.com")
    assert message["Reply-To"] == "anna@example.com"


def test_an_email_without_reply_to_has_no_such_header(db, smtp_sink):
    queue_email(recipient="anna@example.com", subject="Hi", body_text="-", language="en")
    deliver_due_emails()

    (message,) = smtp_sink.to("anna@example.com")
    assert message["Reply-To"] is None


def test_a_stored_file_is_attached_as_it_is_at_send_time(db, settings, tmp_path, smtp_sink):
    settings.MEDIA_ROOT = tmp_path
    path = default_storage.save("invoices/2026-0001.pdf", ContentFile(b"draft"))
    email = queue_email(
        recipient="anna@example.com",
        subject="Your invoice",
        body_text="Your invoice is attached.",
        language="en",
        attachments=[Attachment("invoice-2026-0001.pdf", "application/pdf", path)],
    )
    # The row holds the reference, not the bytes.
    (row,) = OutboundAttachment.objects.filter(email=email)
    assert (row.filename, row.content_type, row.loader, row.reference) == (
        "invoice-2026-0001.pdf",
        "application/pdf",
        "storage",
        path,
    )
    # The document is final by the time the worker sends the email.
    default_storage.delete(path)
    default_storage.save(path, ContentFile(PDF))

    assert deliver_email(email.pk) == OutboundEmail.Status.SENT

    (message,) = smtp_sink.to("anna@example.com")
    (attached,) = list(message.iter_attachments())
    assert attached.get_filename() == "invoice-2026-0001.pdf"
    assert attached.get_content_type() == "application/pdf"
    assert attached.get_content() == PDF
    assert smtp_sink.text_of(message).strip() == "Your invoice is attached."


def test_a_registered_loader_supplies_the_bytes_by_reference(db, smtp_sink):
    documents = {"42": PDF.replace(b"an invoice", b"packing slip 42")}
    register_attachment_loader("test_documents", lambda reference: documents[reference])
    email = queue_email(
        recipient="anna@example.com",
        subject="Packing slip",
        body_text="Attached.",
        language="en",
        attachments=[
            Attachment("slip-42.pdf", "application/pdf", reference="42", loader="test_documents")
        ],
    )

    assert deliver_email(email.pk) == OutboundEmail.Status.SENT

    (message,) = smtp_sink.to("anna@example.com")
    (attached,) = list(message.iter_attachments())
    assert attached.get_filename() == "slip-42.pdf"
    assert attached.get_content() == documents["42"]


def test_a_missing_file_fails_the_send_and_is_retried_later(db, settings, tmp_path, smtp_sink):
    settings.MEDIA_ROOT = tmp_path
    email = queue_email(
        recipient="anna@example.com",
        subject="Your invoice",
        body_text="Attached.",
        language="en",
        attachments=[Attachment("invoice.pdf", "application/pdf", "invoices/not-yet.pdf")],
    )

    assert deliver_email(email.pk) == OutboundEmail.Status.FAILED

    email.refresh_from_db()
    assert email.attempts == 1
    assert email.next_attempt_at is not None
    assert email.last_error.startswith("FileNotFoundError")
    assert smtp_sink.messages == []


def test_an_attachment_with_an_unknown_loader_is_refused_when_queued(db):
    with pytest.raises(UnknownAttachmentLoader):
        queue_email(
            recipient="anna@example.com",
            subject="Your invoice",
            body_text="Attached.",
            language="en",
            attachments=[Attachment("x.pdf", "application/pdf", "1", loader="no_such_loader")],
        )

    assert OutboundEmail.objects.count() == 0
