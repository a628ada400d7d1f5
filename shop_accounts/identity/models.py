"""Sign-in state that is ours, not allauth's: emailed sign-in links and the
per-factor failure counters."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SignInLink(models.Model):
    """A personal, single-use sign-in link (first factor only). Only a hash of
    the token is stored; following the link shows a button that spends it, so
    a mail scanner opening the URL does not."""

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="+", verbose_name=_("customer")
    )
    store = models.ForeignKey("stores.Store", on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("sign-in link")
        verbose_name_plural = _("sign-in links")

    def __str__(self) -> str:
        return f"{self.customer_id} until {self.expires_at:%Y-%m-%d}"

    @property
    def is_usable(self) -> bool:
        return self.used_at is None and self.expires_at > timezone.now()


class FactorFailures(models.Model):
    """Consecutive failures of one sign-in factor of one customer. At the cap
    (NIST 800-63B: 100) the factor is locked until an emailed reset; the
    customer's other ways in keep working."""

    class Factor(models.TextChoices):
        PASSWORD = "password", _("Password")
        TOTP = "totp", _("Authenticator app")
        RECOVERY_CODE = "recovery_code", _("Recovery code")
        EMAIL_CODE = "email_code", _("Emailed code")

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="+", verbose_name=_("customer")
    )
    factor = models.CharField(_("sign-in method"), max_length=20, choices=Factor.choices)
    consecutive = models.PositiveIntegerField(_("consecutive failures"), default=0)
    locked_at = models.DateTimeField(_("locked"), null=True, blank=True)

    class Meta:
        verbose_name = _("sign-in failures")
        verbose_name_plural = _("sign-in failures")
        constraints = [
            models.UniqueConstraint(fields=["customer", "factor"], name="one_counter_per_factor")
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.factor}: {self.consecutive}"
