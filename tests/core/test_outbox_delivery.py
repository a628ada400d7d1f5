"""The outbox delivers through a real SMTP server and survives outages."""

from datetime import timedelta

import pytest
from django.utils import timezone

from shop_accounts.core.models import OutboundEmail
from shop_accounts.core.outbox import deliver_due_emails, deliver_email, queue_email


@pytest.fixture
def queued(db) -> OutboundEmail:
    return queue_email(
        recipient="anna@example.com",
        subject="Hello",
        body_text="Hi Anna, follow http://localhost/x",
        language="en",
    )


def test_queued_email_is_delivered_over_smtp(queued, smtp_sink):
    status = deliver_email(queued.pk)

    assert status == OutboundEmail.Status.SENT
    [message] = smtp_sink.to("anna@example.com")
    assert message["Subject"] == "Hello"
    assert "follow http://localhost/x" in smtp_sink.text_of(message)
    queued.refresh_from_db()
    assert (queued.status, queued.attempts) == (OutboundEmail.Status.SENT, 1)


def test_smtp_outage_delays_the_email_and_loses_none(queued, settings, smtp_sink):
    working = settings.MAILERS
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 1, "timeout": 2},
        }
    }

    assert deliver_email(queued.pk) == OutboundEmail.Status.FAILED
    queued.refresh_from_db()
    assert queued.attempts == 1
    assert queued.next_attempt_at > timezone.now()
    assert "ConnectionRefused" in queued.last_error

    # Not due yet: the sweep leaves it alone.
    settings.MAILERS = working
    assert deliver_due_emails() == 0
    assert smtp_sink.messages == []

    # Once the back-off has passed, the server is back and the email goes out.
    OutboundEmail.objects.filter(pk=queued.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )
    assert deliver_due_emails() == 1
    assert len(smtp_sink.to("anna@example.com")) == 1


def test_an_email_abandoned_by_a_dead_worker_is_sent_again(queued, smtp_sink, settings):
    # A worker claimed it and died: SENDING, with a lease long expired.
    OutboundEmail.objects.filter(pk=queued.pk).update(
        status=OutboundEmail.Status.SENDING,
        attempts=1,
        sending_since=timezone.now() - timedelta(hours=1),
    )

    assert deliver_due_emails() == 1
    assert len(smtp_sink.to("anna@example.com")) == 1


def test_an_email_being_sent_is_not_sent_twice(queued, smtp_sink):
    OutboundEmail.objects.filter(pk=queued.pk).update(
        status=OutboundEmail.Status.SENDING, attempts=1, sending_since=timezone.now()
    )

    assert deliver_email(queued.pk) == OutboundEmail.Status.SENDING
    assert deliver_due_emails() == 0
    assert smtp_sink.messages == []


def test_the_outbox_gives_up_after_the_last_attempt(queued, settings, monkeypatch):
    monkeypatch.setenv("SHOP_EMAIL_MAX_ATTEMPTS", "2")
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 1, "timeout": 2},
        }
    }
    assert deliver_email(queued.pk) == OutboundEmail.Status.FAILED
    OutboundEmail.objects.filter(pk=queued.pk).update(next_attempt_at=timezone.now())

    assert deliver_email(queued.pk) == OutboundEmail.Status.GAVE_UP
    queued.refresh_from_db()
    assert queued.attempts == 2
    assert queued.next_attempt_at is None
