"""Issuing invoices and credit notes. Both are written once, with their
number, their data and their rendered PDF, in one transaction; nothing
changes them afterwards (`Invoice` refuses it).

Call these inside the transaction of the business step that issues them
(an order paid, a refund), after that step's own locks: the invoice
counter's lock is the last of the lock order and is held until the
transaction ends. Rendering runs under it, because the PDF carries the
number, so issues of one store and series queue behind each other for the
time of one render (DEVELOPERS.md, "Invoices")."""

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from shop_accounts.customers.models import Customer
from shop_accounts.invoices import events
from shop_accounts.invoices.documents import (
    CREDIT_NOTE,
    INVOICE,
    DocumentLine,
    InvoiceDocument,
    LineInput,
    Party,
    money,
    render_invoice_pdf,
)
from shop_accounts.invoices.errors import CreditExceedsInvoice, NotCreditable
from shop_accounts.invoices.models import Invoice, Series
from shop_accounts.invoices.numbers import draw_invoice_number
from shop_accounts.stores.models import Store


def _write(
    *, store: Store, document: InvoiceDocument, issued_at: datetime, refers_to: Invoice | None
) -> Invoice:
    """Draw the number, render and store the invoice: the part under the
    counter's lock. The caller holds the transaction."""
    series = Series.CREDIT_NOTE if refers_to else Series.INVOICE
    number = draw_invoice_number(store, series, document.issue_date.year)
    document = replace(document, number=number.text)
    invoice = Invoice.objects.create(
        store=store,
        kind=document.kind,
        number=number.text,
        year=number.year,
        sequence=number.sequence,
        refers_to=refers_to,
        issued_at=issued_at,
        seller=document.seller.to_json(),
        buyer=document.buyer.to_json(),
        lines=[line.to_json() for line in document.lines],
        tax_breakdown=[subtotal.to_json() for subtotal in document.tax_breakdown],
        net_total=document.totals.net,
        tax_total=document.totals.tax,
        grand_total=document.totals.gross,
        currency=document.currency,
        language=document.language,
        reverse_charge=document.reverse_charge,
        reverse_charge_note=document.reverse_charge_note,
        supply_date=document.supply_date,
        pdf=render_invoice_pdf(document),
    )
    return invoice


def issue_invoice(
    *,
    store: Store,
    seller: Party,
    buyer: Party,
    lines: Sequence[LineInput],
    actor: Customer | None,
    currency: str | None = None,
    language: str | None = None,
    reverse_charge: bool = False,
    issued_at: datetime | None = None,
    supply_date: date | None = None,
) -> Invoice:
    """Issue an invoice of `store`: the next number of its invoice series in
    the year of issue (in TIME_ZONE), the PDF with its Factur-X XML rendered
    and stored; `supply_date` is the delivery date, printed when it is not
    the date of issue. `currency` and `language` default to the store's; under
    `reverse_charge` every line's rate is 0 and the legal note is printed.
    Raises InvalidInvoice (nothing drawn, nothing written) for bad data."""
    issued_at = issued_at or timezone.now()
    # Checked before the number is drawn, so a refusal never takes the lock.
    document = InvoiceDocument.compose(
        kind=INVOICE,
        number="",
        issue_date=timezone.localdate(issued_at),
        seller=seller,
        buyer=buyer,
        lines=lines,
        currency=currency or store.currency,
        language=language or store.default_language,
        reverse_charge=reverse_charge,
        supply_date=supply_date,
    )
    with transaction.atomic():
        invoice = _write(store=store, document=document, issued_at=issued_at, refers_to=None)
        events.record_issued(invoice=invoice, actor=actor)
    return invoice


def issue_credit_note(
    invoice: Invoice,
    *,
    actor: Customer | None,
    lines: Sequence[LineInput] | None = None,
    issued_at: datetime | None = None,
) -> Invoice:
    """Issue a credit note correcting `invoice`: its own series
    ("CN-2026-000007"), the invoice's seller, buyer, currency, language and
    reverse charge, and `lines` (by default every line of the invoice, a
    full refund). Refuses crediting a credit note (NotCreditable) or more
    than the invoice charged, counting earlier credit notes
    (CreditExceedsInvoice)."""
    if invoice.kind != Invoice.Kind.INVOICE:
        raise NotCreditable()
    issued_at = issued_at or timezone.now()
    credited = lines if lines is not None else _lines_of(invoice)
    document = InvoiceDocument.compose(
        kind=CREDIT_NOTE,
        number="",
        issue_date=timezone.localdate(issued_at),
        seller=Party.from_json(invoice.seller),
        buyer=Party.from_json(invoice.buyer),
        lines=credited,
        currency=invoice.currency,
        language=invoice.language,
        reverse_charge=invoice.reverse_charge,
        refers_to_number=invoice.number,
        refers_to_date=timezone.localdate(invoice.issued_at),
    )
    with transaction.atomic():
        credit_note = _write(
            store=invoice.store, document=document, issued_at=issued_at, refers_to=invoice
        )
        # Counted under the counter's lock, so two refunds issued at once
        # cannot both pass on the same remainder.
        _check_credit_left(invoice, credit_note)
        events.record_credit_note_issued(credit_note=credit_note, actor=actor)
    return credit_note


def _check_credit_left(invoice: Invoice, credit_note: Invoice) -> None:
    """Refuse `credit_note` if, with the invoice's earlier credit notes, it
    credits more net amount at some rate than the invoice charged at it.
    Net amounts, not totals: each line's net is the same cent amount on the
    invoice and on its credit notes, while VAT is rounded per document, so
    crediting the lines one by one may differ from the invoice by a cent."""
    left: dict[tuple[str, Decimal], Decimal] = {}
    for subtotal in invoice.tax_breakdown:
        left[(subtotal["category"], Decimal(subtotal["rate"]))] = Decimal(subtotal["taxable"])
    earlier = invoice.credit_notes.exclude(pk=credit_note.pk).only("tax_breakdown")
    for note in earlier:
        for subtotal in note.tax_breakdown:
            key = (subtotal["category"], Decimal(subtotal["rate"]))
            left[key] = left.get(key, Decimal("0.00")) - Decimal(subtotal["taxable"])
    for subtotal in credit_note.tax_breakdown:
        key = (subtotal["category"], Decimal(subtotal["rate"]))
        if Decimal(subtotal["taxable"]) > left.get(key, Decimal("0.00")):
            remaining = sum((max(amount, Decimal("0.00")) for amount in left.values()), Decimal())
            raise CreditExceedsInvoice(
                params={"left": money(remaining), "currency": invoice.currency}
            )


def _lines_of(invoice: Invoice) -> list[LineInput]:
    lines = [DocumentLine.from_json(line) for line in invoice.lines]
    return [
        LineInput(
            description=line.description,
            sku=line.sku,
            quantity=line.quantity,
            unit_net=line.unit_net,
            tax_rate=line.tax_rate,
        )
        for line in lines
    ]
