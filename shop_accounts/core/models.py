"""Base models and the email outbox. No imports from domain apps."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Abstract base: when a row was created and last changed."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class OutboundEmail(TimeStampedModel):
    """One email, as it was rendered for one recipient, and its delivery state.

    The outbox keeps its own state instead of trusting the task queue: a send
    that failed is retried with back-off, and one whose worker died while
    sending (status SENDING past its lease) is sent again.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed, will retry")
        GAVE_UP = "gave_up", _("gave up")

    store = models.ForeignKey(
        "stores.Store", on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("store")
    )
    kind = models.CharField(_("kind"), max_length=80, blank=True)
    from_email = models.CharField(_("from"), max_length=254)
    recipient = models.EmailField(_("recipient"))
    language = models.CharField(_("language"), max_length=10)
    subject = models.CharField(_("subject"), max_length=998)
    body_text = models.TextField(_("text body"))
    body_html = models.TextField(_("HTML body"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sending_since = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("email")
        verbose_name_plural = _("email outbox")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.subject}"
