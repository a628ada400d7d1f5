"""The email outbox: every email is a row first, then a delivery attempt.

Delivery claims a row with one conditional UPDATE, so two workers never send
the same email twice, and sends outside any transaction. A failed send is
retried with exponential back-off; a send whose worker died (a row left in
SENDING past its lease) is picked up again by `deliver_due_emails`.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import transaction
from django.db.models import F, Q
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation

from shop_accounts.conf import shop_settings
from shop_accounts.core.models import OutboundEmail

logger = logging.getLogger(__name__)


def render_email(template_prefix: str, context: dict, *, language: str) -> tuple[str, str, str]:
    """Render `<prefix>_subject.txt`, `_body.txt` and (if present) `_body.html`
    in `language`, the recipient's language, not the request's."""
    with translation.override(language):
        subject: str = " ".join(render_to_string(f"{template_prefix}_subject.txt", context).split())
        text: str = render_to_string(f"{template_prefix}_body.txt", context).strip() + "\n"
        try:
            html: str = render_to_string(f"{template_prefix}_body.html", context)
        except TemplateDoesNotExist:
            html = ""
    return subject, text, html


def queue_email(
    *,
    recipient: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    language: str,
    store_id: int | None = None,
    kind: str = "",
    from_email: str | None = None,
) -> OutboundEmail:
    """Store an email in the outbox and have it delivered once the current
    transaction commits (never for a transaction that rolled back)."""
    email = OutboundEmail.objects.create(
        store_id=store_id,
        kind=kind,
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        recipient=recipient,
        language=language,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
    )
    transaction.on_commit(lambda: _enqueue_delivery(email.pk))
    return email


def queue_templated_email(
    template_prefix: str,
    context: dict,
    *,
    recipient: str,
    language: str,
    store_id: int | None = None,
    kind: str = "",
    from_email: str | None = None,
) -> OutboundEmail:
    """Render `template_prefix` in `language` (the recipient's) and queue it."""
    subject, text, html = render_email(template_prefix, context, language=language)
    return queue_email(
        recipient=recipient,
        subject=subject,
        body_text=text,
        body_html=html,
        language=language,
        store_id=store_id,
        kind=kind,
        from_email=from_email,
    )


def _enqueue_delivery(email_id: int, run_after=None) -> None:
    from shop_accounts.core.tasks import deliver_email_task

    task = deliver_email_task
    if run_after is not None:
        task = task.using(run_after=run_after)
    try:
        task.enqueue(email_id)
    except Exception:
        # The row is safe in the outbox; the sweep will send it.
        logger.exception("Could not enqueue delivery of email %s", email_id)


def _due_filter(now) -> Q:
    lease = timedelta(seconds=shop_settings.EMAIL_SENDING_LEASE_SECONDS)
    waiting = Q(status__in=[OutboundEmail.Status.QUEUED, OutboundEmail.Status.FAILED]) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    abandoned = Q(status=OutboundEmail.Status.SENDING, sending_since__lt=now - lease)
    return waiting | abandoned


def deliver_email(email_id: int) -> str:
    """Try to send one email now, if it is due. Returns its status afterwards."""
    now = timezone.now()
    claimed = (
        OutboundEmail.objects.filter(pk=email_id)
        .filter(_due_filter(now))
        .update(status=OutboundEmail.Status.SENDING, sending_since=now, attempts=F("attempts") + 1)
    )
    email = OutboundEmail.objects.get(pk=email_id)
    if not claimed:
        return email.status
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=email.from_email,
        to=[email.recipient],
        headers={"Auto-Submitted": "auto-generated"},
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    try:
        mailers.default.send_messages([message])
    except Exception as error:
        return _record_failure(email, error)
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=OutboundEmail.Status.SENT,
        sent_at=timezone.now(),
        sending_since=None,
        last_error="",
        next_attempt_at=None,
    )
    return OutboundEmail.Status.SENT


def _record_failure(email: OutboundEmail, error: Exception) -> str:
    attempts = email.attempts
    error_text = f"{error.__class__.__name__}: {error}"[:2000]
    if attempts >= shop_settings.EMAIL_MAX_ATTEMPTS:
        status, next_attempt_at = OutboundEmail.Status.GAVE_UP, None
        logger.error("Gave up sending email %s after %s attempts", email.pk, attempts)
    else:
        delay = shop_settings.EMAIL_RETRY_BASE_SECONDS * 2 ** (attempts - 1)
        status, next_attempt_at = (
            OutboundEmail.Status.FAILED,
            timezone.now() + timedelta(seconds=delay),
        )
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=status, last_error=error_text, next_attempt_at=next_attempt_at, sending_since=None
    )
    if next_attempt_at is not None:
        _enqueue_delivery(email.pk, run_after=next_attempt_at)
    return status


def deliver_due_emails(limit: int = 500) -> int:
    """Send every email that is due: new ones whose task was lost, failed ones
    whose back-off has passed, and ones abandoned by a dead worker."""
    due_ids = list(
        OutboundEmail.objects.filter(_due_filter(timezone.now()))
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
    sent = 0
    for email_id in due_ids:
        if deliver_email(email_id) == OutboundEmail.Status.SENT:
            sent += 1
    return sent


def retry_email_now(email: OutboundEmail) -> bool:
    """Back-office action: send a failed or given-up email again at once.
    An email already sent is left alone (False): nobody gets it twice."""
    queued = (
        OutboundEmail.objects.filter(pk=email.pk)
        .exclude(status=OutboundEmail.Status.SENT)
        .update(status=OutboundEmail.Status.QUEUED, next_attempt_at=None)
    )
    if queued:
        transaction.on_commit(lambda: _enqueue_delivery(email.pk))
    return bool(queued)
