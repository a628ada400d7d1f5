"""Invoices and credit notes, their gapless numbers and their trail.

An invoice is written once, when it is issued, with everything it says: the
seller's and buyer's data, its lines, totals and the rendered PDF (with its
Factur-X XML embedded). Later changes to the store, the customer or the
order never rewrite it, and the model refuses any update or delete
(`InvoiceImmutable`)."""

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from shop_accounts.core.models import Event, TimeStampedModel
from shop_accounts.invoices.errors import InvoiceImmutable


class Series(models.TextChoices):
    """A numbering series: invoices and credit notes count separately."""

    INVOICE = "invoice", _("invoice")
    CREDIT_NOTE = "credit_note", _("credit note")


class InvoiceCounter(TimeStampedModel):
    """The last number drawn in one series of one store in one year. Numbers
    are drawn only under this row's lock, inside the transaction that writes
    the invoice (`numbers.draw_invoice_number`), so a rolled-back issue gives
    its number back and two issues never get the same one."""

    store = models.ForeignKey(
        "stores.Store",
        on_delete=models.PROTECT,
        related_name="invoice_counters",
        verbose_name=_("store"),
    )
    series = models.CharField(_("series"), max_length=20, choices=Series.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("invoice counter")
        verbose_name_plural = _("invoice counters")
        ordering = ["store", "series", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["store", "series", "year"], name="one_invoice_counter_per_series_and_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.year}: {self.last_number}"


class InvoiceQuerySet(models.QuerySet["Invoice"]):
    """Refuses bulk updates and deletes: the model's own guard cannot see them."""

    def update(self, **kwargs: Any) -> int:
        raise InvoiceImmutable()

    def delete(self) -> tuple[int, dict[str, int]]:
        raise InvoiceImmutable()


class Invoice(models.Model):
    """An issued invoice or credit note, as it was issued. Never changed."""

    class Kind(models.TextChoices):
        INVOICE = Series.INVOICE.value, _("invoice")
        CREDIT_NOTE = Series.CREDIT_NOTE.value, _("credit note")

    store = models.ForeignKey(
        "stores.Store", on_delete=models.PROTECT, related_name="invoices", verbose_name=_("store")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    number = models.CharField(_("number"), max_length=40)
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence in its year"))
    refers_to = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credit_notes",
        verbose_name=_("credit note for"),
    )
    issued_at = models.DateTimeField(_("issued"), db_index=True)
    seller = models.JSONField(_("seller"))
    buyer = models.JSONField(_("buyer"))
    lines = models.JSONField(_("lines"))
    tax_breakdown = models.JSONField(_("tax per rate"))
    net_total = models.DecimalField(_("total without VAT"), max_digits=14, decimal_places=2)
    tax_total = models.DecimalField(_("VAT"), max_digits=14, decimal_places=2)
    grand_total = models.DecimalField(_("total with VAT"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    language = models.CharField(_("language"), max_length=10)
    reverse_charge = models.BooleanField(_("reverse charge"), default=False)
    reverse_charge_note = models.TextField(_("reverse-charge note"), blank=True)
    supply_date = models.DateField(_("date of delivery"), null=True, blank=True)
    # The PDF/A-3 with its Factur-X XML, rendered once at issue. In the row,
    # not in a file: it is written in the same transaction as the number, so
    # a rolled-back issue leaves no orphan file and a backup holds both.
    pdf = models.BinaryField(_("PDF"), editable=False)

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["store", "kind", "number"], name="invoice_number_unique_in_series"
            ),
            models.UniqueConstraint(
                fields=["store", "kind", "year", "sequence"],
                name="invoice_sequence_unique_in_series_and_year",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="invoice", refers_to__isnull=True)
                | models.Q(kind="credit_note", refers_to__isnull=False),
                name="credit_note_refers_to_an_invoice",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Written once: an issued invoice is corrected by a credit note, never edited.
        if not self._state.adding:
            raise InvoiceImmutable()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise InvoiceImmutable()

    @property
    def is_credit_note(self) -> bool:
        return self.kind == self.Kind.CREDIT_NOTE


class InvoiceEvent(Event):
    """The trail of an invoice; written only by `invoices/events.py`."""

    class Kind(models.TextChoices):
        ISSUED = "issued", _("Invoice issued")
        CREDIT_NOTE_ISSUED = "credit_note_issued", _("Credit note issued")

    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, related_name="events", verbose_name=_("invoice")
    )
    kind = models.CharField(_("event"), max_length=40, choices=Kind.choices)

    class Meta(Event.Meta):
        verbose_name = _("invoice event")
        verbose_name_plural = _("invoice events")
