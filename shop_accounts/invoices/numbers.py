"""Gapless invoice numbers (EU VAT Directive art. 226(2)): sequential per
store, series and year, without gaps or repeats.

A number is drawn from the counter row under its lock, in the transaction
that writes the invoice. If that transaction rolls back, the counter rolls
back with it, so the number is drawn again by the next invoice: no gap. The
unique constraints on `Invoice` make a repeat impossible even if a caller
got this wrong."""

from dataclasses import dataclass

from django.db import connection
from django.utils.translation import gettext_lazy as _

from shop_accounts.invoices.errors import InvalidInvoice, NumberOutsideTransaction
from shop_accounts.invoices.locks import lock_invoice_counter
from shop_accounts.invoices.models import Series
from shop_accounts.stores.models import Store

# How each series writes its numbers: credit notes carry a prefix, so no
# credit note is ever read as an invoice of the same year and sequence.
PREFIXES = {Series.INVOICE: "", Series.CREDIT_NOTE: "CN-"}
DIGITS = 6


@dataclass(frozen=True)
class InvoiceNumber:
    """A drawn number: its series, year and place in the year, and how it is written."""

    series: str
    year: int
    sequence: int

    @property
    def text(self) -> str:
        return f"{PREFIXES[Series(self.series)]}{self.year}-{self.sequence:0{DIGITS}d}"

    def __str__(self) -> str:
        return self.text


def draw_invoice_number(store: Store, series: str, year: int) -> InvoiceNumber:
    """The next number of `series` in `year` for the store ("2026-000123",
    "CN-2026-000007"). Must be called inside the transaction that issues the
    invoice, after every other lock it takes: it holds the counter's lock to
    the end of that transaction."""
    if not connection.in_atomic_block:
        raise NumberOutsideTransaction()
    if series not in Series.values:
        raise InvalidInvoice(
            errors={"series": [_("An invoice is either an invoice or a credit note.")]}
        )
    counter = lock_invoice_counter(store_id=store.pk, series=Series(series), year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number", "updated_at"])
    return InvoiceNumber(series=counter.series, year=year, sequence=counter.last_number)
