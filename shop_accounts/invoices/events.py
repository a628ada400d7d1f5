"""Recorders of the invoice trail: one keyword-only function per kind, with
fixed data keys holding ids. Nothing outside this module writes
InvoiceEvent rows; `_record` is private."""

from typing import Any

from shop_accounts.customers.models import Customer
from shop_accounts.invoices.models import Invoice, InvoiceEvent

Kind = InvoiceEvent.Kind


def _record(
    *, invoice: Invoice, kind: str, actor: Customer | None = None, **data: Any
) -> InvoiceEvent:
    return InvoiceEvent.objects.create(invoice=invoice, kind=kind, actor=actor, data=data)


def record_issued(*, invoice: Invoice, actor: Customer | None) -> InvoiceEvent:
    return _record(invoice=invoice, kind=Kind.ISSUED, actor=actor, store_id=invoice.store_id)


def record_credit_note_issued(*, credit_note: Invoice, actor: Customer | None) -> InvoiceEvent:
    """On the credit note's trail, naming the invoice it corrects."""
    return _record(
        invoice=credit_note,
        kind=Kind.CREDIT_NOTE_ISSUED,
        actor=actor,
        store_id=credit_note.store_id,
        refers_to_id=credit_note.refers_to_id,
    )
