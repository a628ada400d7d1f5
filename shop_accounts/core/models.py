"""Base models and the email outbox. No imports from domain apps."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Abstract base: when a row was created and last changed."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class Event(models.Model):
    """Abstract base of every audit trail (a customer's, an order's): what
    happened (`kind`, a TextChoices of the concrete model), who did it
    (`actor`, None for the system), its details (`data`, fixed keys per kind
    holding ids) and when. Each app's `events.py` writes its rows through
    named recorders. Because every trail has these same columns, the back
    office can merge several in one query (see DEVELOPERS.md, "Events"):
    `.values("kind", "actor_id", "data", "created_at")` of each, then
    `union(...)`, ordered by `-created_at`."""

    kind = models.CharField(_("event"), max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return str(self.get_kind_display())  # type: ignore[attr-defined]


class DeliveryState(models.Model):
    """Abstract base of a row that is delivered somewhere by a worker (an
    email, later a webhook call): its state, attempts and back-off, as
    `core.delivery.DeliveryQueue` moves it along."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed, will retry")
        GAVE_UP = "gave_up", _("gave up")

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sending_since = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        abstract = True


class OutboundEmail(TimeStampedModel, DeliveryState):
    """One email, as it was rendered for one recipient, and its delivery state.

    The outbox keeps its own state instead of trusting the task queue: a send
    that failed is retried with back-off, and one whose worker died while
    sending (status SENDING past its lease) is sent again. A `dedup_key`
    names the business event the email is about; the database holds at most
    one email per key, so the same event never queues it twice.
    """

    store = models.ForeignKey(
        "stores.Store", on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("store")
    )
    kind = models.CharField(_("kind"), max_length=80, blank=True)
    from_email = models.CharField(_("from"), max_length=254)
    recipient = models.EmailField(_("recipient"))
    reply_to = models.EmailField(_("reply to"), blank=True)
    language = models.CharField(_("language"), max_length=10)
    subject = models.CharField(_("subject"), max_length=998)
    body_text = models.TextField(_("text body"))
    body_html = models.TextField(_("HTML body"), blank=True)
    # NULL, not "", for "no key": NULLs never collide under the unique constraint.
    dedup_key = models.CharField(  # noqa: DJ001
        _("de-duplication key"), max_length=200, null=True, blank=True
    )

    class Meta:
        verbose_name = _("email")
        verbose_name_plural = _("email outbox")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        constraints = [
            models.UniqueConstraint(fields=["dedup_key"], name="one_email_per_dedup_key")
        ]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.subject}"


class OutboundAttachment(models.Model):
    """A file attached to an outbox email, by reference: the bytes are read
    at send time through a registered loader (`core.attachments`), so an
    invoice PDF is neither copied into the database nor frozen before it is
    sent."""

    email = models.ForeignKey(
        OutboundEmail,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("email"),
    )
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    loader = models.CharField(_("loader"), max_length=80)
    reference = models.CharField(_("reference"), max_length=500)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.filename
