"""VAT on an order: the store country's rate per tax class
(`catalog.tax.rate_for`), or 0 % under the EU reverse charge.

Reverse charge (Art. 196 of the VAT Directive 2006/112/EC) applies when an
EU store sells to a business customer established in another EU member
state, who then accounts for the VAT. We take the customer's VAT number as
the proof of both: it must be valid in form (python-stdnum checks the
country's pattern and check digits; an online VIES check is planned) and its
country prefix must be another member state than the store's. A private
customer, a missing or malformed number, a number of the store's own
country, of a non-EU country, or a store outside the EU (Norway) pay the
normal VAT. Northern Ireland's XI numbers are left out: they are not a
member state's."""

from dataclasses import dataclass

from stdnum.eu import vat as eu_vat
from stdnum.exceptions import ValidationError as InvalidVatNumber

from shop_accounts.catalog.tax import REVERSE_CHARGE_NOTE

EU_MEMBER_STATES = frozenset(
    {
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GR",
        "HR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
    }
)
# VAT numbers use EL for Greece where ISO 3166 says GR.
_VAT_PREFIX_COUNTRY = {"EL": "GR"}


@dataclass(frozen=True)
class VatTreatment:
    """How an order is taxed: normally, or 0 % under reverse charge with the
    legal note the order and its invoice carry."""

    reverse_charge: bool
    vat_number: str = ""

    @property
    def note(self) -> str:
        """The legal note in the active language ("" without reverse charge)."""
        return str(REVERSE_CHARGE_NOTE) if self.reverse_charge else ""


def vat_number_country(vat_number: str) -> str | None:
    """The ISO country of a format-valid EU VAT number, None for any other."""
    try:
        compact = eu_vat.validate(vat_number)
    except InvalidVatNumber:
        return None
    prefix = compact[:2].upper()
    return _VAT_PREFIX_COUNTRY.get(prefix, prefix)


def normalized_vat_number(vat_number: str) -> str:
    """The number without spaces and dots, upper-case, when it is valid;
    as given (trimmed) otherwise."""
    try:
        return str(eu_vat.validate(vat_number))
    except InvalidVatNumber:
        return (vat_number or "").strip()


def vat_treatment(*, store_country: str, is_business: bool, vat_number: str) -> VatTreatment:
    """Normal VAT or reverse charge, by the rules in this module's docstring."""
    number = normalized_vat_number(vat_number)
    store_country = str(store_country)
    if not is_business or not number or store_country not in EU_MEMBER_STATES:
        return VatTreatment(reverse_charge=False, vat_number=number)
    country = vat_number_country(number)
    reverse = country is not None and country in EU_MEMBER_STATES and country != store_country
    return VatTreatment(reverse_charge=reverse, vat_number=number)
