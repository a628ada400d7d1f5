"""Reads of invoices, always scoped to one store."""

from django.db.models import QuerySet

from shop_accounts.invoices.models import Invoice
from shop_accounts.stores.models import Store


def invoices_of_store(store: Store) -> QuerySet[Invoice]:
    """The store's invoices and credit notes, newest first, without their
    PDFs (a list never needs the bytes)."""
    return Invoice.objects.filter(store=store).defer("pdf").order_by("-issued_at", "-id")


def invoice_of_store(store: Store, pk: int) -> Invoice | None:
    """One invoice or credit note of the store, with its PDF; None if the
    store has no such invoice."""
    return Invoice.objects.filter(store=store, pk=pk).first()


def credit_notes_of(invoice: Invoice) -> QuerySet[Invoice]:
    """The credit notes that correct `invoice`, oldest first."""
    return invoice.credit_notes.defer("pdf").order_by("issued_at", "id")


def invoice_pdf_bytes(reference: str) -> bytes:
    """The stored PDF of the invoice whose id is `reference`: the attachment
    loader "invoice_pdf" of the outbox (the reference is written by our own
    code when the email is queued, never taken from a request)."""
    return bytes(Invoice.objects.values_list("pdf", flat=True).get(pk=int(reference)))
