"""The email outbox: every email is a row first, then a delivery attempt.

Delivery runs through the shared claim / lease / back-off loop of
`core.delivery` (one conditional UPDATE claims a row, so two workers never
send the same email at once; the send runs outside any transaction; a failed
send is retried with back-off; one whose worker died is sent again by
`deliver_due_emails`).

Rendering happens here too, in one place: subjects and body templates are
plain text, rendered with autoescape off (an "&" in a subject stays "&");
the HTML part is built from that text by `core.email_layout`, which escapes
it, so each email has one template and both parts say the same.
"""

import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.template import Engine
from django.template.context import make_context
from django.utils import translation
from django.utils.translation import gettext

from shop_accounts.conf import shop_settings
from shop_accounts.core.attachments import Attachment, check_loader, load_attachment
from shop_accounts.core.delivery import DeliveryQueue
from shop_accounts.core.email_layout import Branding, build_parts
from shop_accounts.core.models import OutboundAttachment, OutboundEmail

logger = logging.getLogger(__name__)


def render_plain_text(
    template_name: str, context: dict[str, Any], request: HttpRequest | None = None
) -> str:
    """Render a plain-text template (a subject, a text body) with autoescape
    off: plain text is not HTML, so "&" and "'" must stay as they are."""
    template = Engine.get_default().get_template(template_name)
    return template.render(make_context(context, request, autoescape=False))


def default_reason(branding: Branding) -> str:
    """Why a customer gets an email, for the footer (in the active language);
    none for an email that is not sent as a store."""
    if not branding.shop_name:
        return ""
    return gettext(
        "You receive this email because you have an account at %(shop)s or because "
        "something was asked for there with your email address."
    ) % {"shop": branding.shop_name}


def render_email(
    template_prefix: str,
    context: dict[str, Any],
    *,
    language: str,
    body: str = "body",
    request: HttpRequest | None = None,
    branding: Branding | None = None,
    reason: str = "",
    own_subject: str = "",
    own_message: str = "",
) -> tuple[str, str, str]:
    """Render `<prefix>_subject.txt` and `<prefix>_<body>.txt` in `language`,
    the recipient's language, not the request's, and build the text and HTML
    parts from the body (core.email_layout). The subject and body are plain
    text (autoescape off); the HTML part escapes them. `own_subject` and
    `own_message` are the merchant's wording (placeholders filled in); the
    message replaces the template's `{% editable_message %}`. allauth's
    templates name their bodies `_message`."""
    branding = branding or Branding()
    with translation.override(language):
        subject = own_subject or render_plain_text(f"{template_prefix}_subject.txt", context)
        subject = " ".join(subject.split())
        rendered = render_plain_text(
            f"{template_prefix}_{body}.txt", {**context, "own_message": own_message}, request
        )
        parts = build_parts(
            rendered,
            subject=subject,
            branding=branding,
            reason=reason or default_reason(branding),
            language=language,
        )
    return subject, parts.text, parts.html


def default_texts(
    template_prefix: str, context: dict[str, Any], *, language: str, body: str = "body"
) -> tuple[str, str]:
    """The shipped subject and editable message of an email in `language`,
    as the template renders them for `context` (the back office starts a
    merchant's text from them, rendered with {placeholders} as values)."""
    captured: list[str] = []
    with translation.override(language):
        subject = " ".join(render_plain_text(f"{template_prefix}_subject.txt", context).split())
        render_plain_text(
            f"{template_prefix}_{body}.txt", {**context, "_default_message": captured}
        )
    return subject, captured[0] if captured else ""


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
    reply_to: str = "",
    attachments: Sequence[Attachment] = (),
    dedup_key: str | None = None,
) -> OutboundEmail:
    """Store an email in the outbox and have it delivered once the current
    transaction commits (never for a transaction that rolled back).

    `attachments` are stored by reference and read when the email is sent.
    `dedup_key` names the business event the email is about (e.g.
    "invoice:42:issued"): when an email with that key exists already, that
    email is returned and nothing new is queued, also when two transactions
    queue it at the same moment (the unique constraint decides)."""
    for attachment in attachments:
        check_loader(attachment.loader)
    fields = {
        "store_id": store_id,
        "kind": kind,
        "from_email": from_email or settings.DEFAULT_FROM_EMAIL,
        "recipient": recipient,
        "reply_to": reply_to,
        "language": language,
        "subject": subject,
        "body_text": body_text,
        "body_html": body_html,
        "dedup_key": dedup_key,
    }
    try:
        # A savepoint, so a duplicate key leaves the caller's transaction usable.
        with transaction.atomic():
            email = OutboundEmail.objects.create(**fields)
    except IntegrityError:
        existing = OutboundEmail.objects.filter(dedup_key=dedup_key).first() if dedup_key else None
        if existing is None:
            raise
        return existing
    OutboundAttachment.objects.bulk_create(
        OutboundAttachment(
            email=email,
            filename=attachment.filename,
            content_type=attachment.content_type,
            loader=attachment.loader,
            reference=attachment.reference,
        )
        for attachment in attachments
    )
    email_delivery.schedule_on_commit(email.pk)
    return email


def queue_templated_email(
    template_prefix: str,
    context: dict[str, Any],
    *,
    recipient: str,
    language: str,
    store_id: int | None = None,
    kind: str = "",
    from_email: str | None = None,
    reply_to: str = "",
    attachments: Sequence[Attachment] = (),
    dedup_key: str | None = None,
    branding: Branding | None = None,
    reason: str = "",
    own_subject: str = "",
    own_message: str = "",
) -> OutboundEmail:
    """Render `template_prefix` in `language` (the recipient's) and queue it."""
    subject, text, html = render_email(
        template_prefix,
        context,
        language=language,
        branding=branding,
        reason=reason,
        own_subject=own_subject,
        own_message=own_message,
    )
    return queue_email(
        recipient=recipient,
        subject=subject,
        body_text=text,
        body_html=html,
        language=language,
        store_id=store_id,
        kind=kind,
        from_email=from_email,
        reply_to=reply_to,
        attachments=attachments,
        dedup_key=dedup_key,
    )


def _enqueue_delivery(email_id: int, run_after: datetime | None = None) -> None:
    from shop_accounts.core.tasks import deliver_email_task

    task = deliver_email_task
    if run_after is not None:
        task = task.using(run_after=run_after)
    try:
        task.enqueue(email_id)
    except Exception:
        # The row is safe in the outbox; the sweep will send it.
        logger.exception("Could not enqueue delivery of email %s", email_id)


def _send(email: OutboundEmail) -> None:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=email.from_email,
        to=[email.recipient],
        reply_to=[email.reply_to] if email.reply_to else None,
        headers={"Auto-Submitted": "auto-generated"},
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    for attachment in email.attachments.all():
        message.attach(
            attachment.filename,
            load_attachment(attachment.loader, attachment.reference),
            attachment.content_type,
        )
    mailers.default.send_messages([message])


email_delivery: DeliveryQueue[OutboundEmail] = DeliveryQueue(
    model=OutboundEmail,
    send=_send,
    schedule=_enqueue_delivery,
    max_attempts=lambda: shop_settings.EMAIL_MAX_ATTEMPTS,
    retry_base_seconds=lambda: shop_settings.EMAIL_RETRY_BASE_SECONDS,
    lease_seconds=lambda: shop_settings.EMAIL_SENDING_LEASE_SECONDS,
)


def deliver_email(email_id: int) -> str:
    """Try to send one email now, if it is due. Returns its status afterwards."""
    return email_delivery.deliver(email_id)


def deliver_due_emails(limit: int = 500, *, stop: Callable[[], bool] | None = None) -> int:
    """Send every email that is due: new ones whose task was lost, failed ones
    whose back-off has passed, and ones abandoned by a dead worker. `stop`,
    asked before each email, ends the sweep early (the worker is stopping)."""
    return email_delivery.deliver_due(limit, stop=stop)


def retry_email_now(email: OutboundEmail) -> bool:
    """Back-office action: send a failed or given-up email again at once.
    An email already sent is left alone (False): nobody gets it twice."""
    return email_delivery.retry_now(email.pk)
