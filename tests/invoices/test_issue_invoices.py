"""Issuing invoices and credit notes: one transaction draws the number,
renders the PDF with its Factur-X XML and stores both; an issued document
is never changed; credit notes have their own series and never credit more
than the invoice charged."""

import io
import threading
from datetime import UTC, date, datetime
from decimal import Decimal

import facturx
import pytest
from django.db import connection
from lxml import etree
from pypdf import PdfReader

from shop_accounts.core.attachments import load_attachment
from shop_accounts.invoices import actions, queries
from shop_accounts.invoices.documents import NS, LineInput
from shop_accounts.invoices.errors import (
    CreditExceedsInvoice,
    InvalidInvoice,
    InvoiceImmutable,
    NotCreditable,
)
from shop_accounts.invoices.models import Invoice, InvoiceCounter, InvoiceEvent

MARCH = datetime(2026, 3, 14, 10, 0, tzinfo=UTC)


def issue(store, seller, buyer, lines, **fields) -> Invoice:
    return actions.issue_invoice(
        store=store,
        seller=seller,
        buyer=buyer,
        lines=lines,
        actor=None,
        issued_at=fields.pop("issued_at", MARCH),
        **fields,
    )


def embedded_number(invoice: Invoice) -> tuple[str, str]:
    """The number and type code in the XML embedded in the stored PDF."""
    _filename, xml = facturx.get_facturx_xml_from_pdf(bytes(invoice.pdf), check_xsd=True)
    root = etree.fromstring(xml)
    return (
        root.xpath("//rsm:ExchangedDocument/ram:ID", namespaces=NS)[0].text,
        root.xpath("//rsm:ExchangedDocument/ram:TypeCode", namespaces=NS)[0].text,
    )


def pdf_text(invoice: Invoice) -> str:
    reader = PdfReader(io.BytesIO(bytes(invoice.pdf)))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_an_issued_invoice_stores_its_number_data_and_pdf(store, seller, consumer, lines):
    invoice = issue(store, seller, consumer, lines)

    saved = Invoice.objects.get(pk=invoice.pk)
    assert (saved.number, saved.year, saved.sequence, saved.kind) == (
        "2026-000001",
        2026,
        1,
        "invoice",
    )
    assert (saved.net_total, saved.tax_total, saved.grand_total) == (
        Decimal("1253.37"),
        Decimal("262.13"),
        Decimal("1515.50"),
    )
    assert (saved.currency, saved.language) == ("EUR", "en")  # the store's
    assert saved.seller == seller.to_json()
    assert saved.buyer["name"] == "Anna Jansen"
    assert [line["line_net"] for line in saved.lines] == ["9.90", "1234.50", "8.97"]
    assert saved.tax_breakdown[1] == {
        "category": "S",
        "rate": "21.00",
        "taxable": "1244.40",
        "tax": "261.32",
    }
    assert embedded_number(saved) == ("2026-000001", "380")
    assert "Invoice number 2026-000001" in pdf_text(saved)
    assert list(InvoiceEvent.objects.filter(invoice=saved).values_list("kind", "data")) == [
        ("issued", {"store_id": store.pk})
    ]


def test_the_year_of_issue_is_the_shops_local_year(store, seller, consumer, lines):
    # 23:30 UTC on New Year's Eve is already 2027 in Amsterdam (TIME_ZONE).
    issue(store, seller, consumer, lines, issued_at=datetime(2026, 12, 31, 22, 0, tzinfo=UTC))

    invoice = issue(
        store, seller, consumer, lines, issued_at=datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    )

    assert invoice.number == "2027-000001"


def test_refused_data_draws_no_number_and_writes_nothing(store, seller, consumer, lines):
    with pytest.raises(InvalidInvoice):
        issue(store, seller, consumer, [], language="xx")

    assert not Invoice.objects.exists()
    assert not InvoiceCounter.objects.exists()
    assert issue(store, seller, consumer, lines).number == "2026-000001"


def test_an_issued_invoice_cannot_be_changed_or_deleted(store, seller, consumer, lines):
    invoice = issue(store, seller, consumer, lines)

    invoice.grand_total = Decimal("1.00")
    with pytest.raises(InvoiceImmutable):
        invoice.save()
    with pytest.raises(InvoiceImmutable):
        Invoice.objects.filter(pk=invoice.pk).update(grand_total=Decimal("1.00"))
    with pytest.raises(InvoiceImmutable):
        invoice.delete()
    with pytest.raises(InvoiceImmutable):
        Invoice.objects.filter(pk=invoice.pk).delete()

    saved = Invoice.objects.get(pk=invoice.pk)
    assert saved.grand_total == Decimal("1515.50")


def test_a_full_credit_note_has_its_own_series_and_refers_to_the_invoice(
    store, seller, consumer, lines
):
    invoice = issue(store, seller, consumer, lines)
    issue(store, seller, consumer, lines)

    credit_note = actions.issue_credit_note(invoice, actor=None, issued_at=MARCH)

    assert credit_note.number == "CN-2026-000001"
    assert credit_note.refers_to == invoice
    assert credit_note.grand_total == invoice.grand_total
    assert credit_note.seller == invoice.seller
    assert credit_note.buyer == invoice.buyer
    assert embedded_number(credit_note) == ("CN-2026-000001", "381")
    assert "This credit note corrects invoice 2026-000001 of 03/14/2026." in pdf_text(credit_note)
    assert list(queries.credit_notes_of(invoice)) == [credit_note]
    event = InvoiceEvent.objects.get(invoice=credit_note)
    assert (event.kind, event.data) == (
        "credit_note_issued",
        {"store_id": store.pk, "refers_to_id": invoice.pk},
    )


def test_partial_credit_notes_never_credit_more_than_the_invoice(store, seller, consumer, lines):
    invoice = issue(store, seller, consumer, lines)
    machine = [lines[1]]  # 1,234.50 of the 1,253.37 charged without VAT
    actions.issue_credit_note(invoice, actor=None, lines=machine, issued_at=MARCH)

    with pytest.raises(CreditExceedsInvoice) as refused:
        actions.issue_credit_note(invoice, actor=None, lines=machine, issued_at=MARCH)

    assert refused.value.text() == (
        "This credit note would credit more than the invoice charged "
        "(18.87 EUR without VAT can still be credited)."
    )
    assert Invoice.objects.filter(kind="credit_note").count() == 1
    # The refused credit note's number was given back. The rest is credited
    # in full, though its VAT, rounded on its own, is a cent more than the
    # invoice's share: 2.08 + 0.81 for the cups and beans.
    cups_and_beans = [lines[0], lines[2]]
    rest = actions.issue_credit_note(invoice, actor=None, lines=cups_and_beans, issued_at=MARCH)
    assert (rest.number, rest.grand_total) == ("CN-2026-000002", Decimal("21.76"))
    with pytest.raises(CreditExceedsInvoice):
        actions.issue_credit_note(invoice, actor=None, lines=[lines[2]], issued_at=MARCH)


def test_a_credit_note_is_not_credited_again(store, seller, consumer, lines):
    invoice = issue(store, seller, consumer, lines)
    credit_note = actions.issue_credit_note(invoice, actor=None, issued_at=MARCH)

    with pytest.raises(NotCreditable):
        actions.issue_credit_note(credit_note, actor=None, issued_at=MARCH)

    assert Invoice.objects.filter(kind="credit_note").count() == 1


def test_a_reverse_charge_credit_note_keeps_the_note(store, seller, business, zero_rated_lines):
    invoice = issue(store, seller, business, zero_rated_lines, reverse_charge=True, language="de")

    credit_note = actions.issue_credit_note(invoice, actor=None, issued_at=MARCH)

    assert credit_note.reverse_charge is True
    assert credit_note.reverse_charge_note == invoice.reverse_charge_note
    assert "Steuerschuldnerschaft des Leistungsempfängers" in pdf_text(credit_note)
    assert "Gutschriftsnummer CN-2026-000001" in pdf_text(credit_note)


def test_the_payment_email_reads_the_stored_pdf_by_reference(store, seller, consumer, lines):
    invoice = issue(store, seller, consumer, lines)

    assert load_attachment("invoice_pdf", str(invoice.pk)) == bytes(invoice.pdf)


def test_invoices_are_read_only_within_their_store(store, other_store, seller, consumer, lines):
    invoice = issue(store, seller, consumer, lines)

    assert queries.invoice_of_store(other_store, invoice.pk) is None
    assert list(queries.invoices_of_store(other_store)) == []
    assert queries.invoice_of_store(store, invoice.pk) == invoice
    assert list(queries.invoices_of_store(store)) == [invoice]


@pytest.mark.django_db(transaction=True)
def test_invoices_issued_at_once_get_consecutive_numbers_in_their_pdfs(store, seller, consumer):
    count = 8
    issued: list[Invoice] = []
    errors: list[BaseException] = []
    start = threading.Barrier(count)

    def pay(index: int) -> None:
        line = LineInput(f"Order {index}", Decimal("1"), Decimal(index + 1), Decimal("21"))
        try:
            start.wait()
            issued.append(issue(store, seller, consumer, [line]))
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=pay, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    numbers = sorted(invoice.number for invoice in issued)
    assert numbers == [f"2026-{n:06d}" for n in range(1, count + 1)]
    for invoice in Invoice.objects.all():
        # Each stored PDF carries its own row's number, and its own line.
        assert embedded_number(invoice) == (invoice.number, "380")
        assert invoice.lines[0]["unit_net"] == str(invoice.net_total.quantize(Decimal("0.0001")))


@pytest.mark.django_db(transaction=True)
def test_two_full_refunds_at_once_make_one_credit_note(store, seller, consumer, lines):
    invoice = issue(store, seller, consumer, lines)
    outcomes: list[str] = []
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def refund() -> None:
        try:
            start.wait()
            outcomes.append(actions.issue_credit_note(invoice, actor=None, issued_at=MARCH).number)
        except CreditExceedsInvoice:
            outcomes.append("refused")
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=refund) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(outcomes) == ["CN-2026-000001", "refused"]
    assert list(Invoice.objects.filter(kind="credit_note").values_list("number", flat=True)) == [
        "CN-2026-000001"
    ]


def test_the_delivery_date_is_kept_with_the_invoice(store, seller, consumer, lines):
    invoice = issue(store, seller, consumer, lines, supply_date=date(2026, 3, 10))

    assert Invoice.objects.get(pk=invoice.pk).supply_date == date(2026, 3, 10)
    assert "Date of delivery 03/10/2026" in pdf_text(invoice)
