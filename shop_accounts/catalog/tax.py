"""Which VAT rate a product pays: the rate of its tax class in its store's
country (`TaxRate`). Prices are stored net; the rate is looked up when a
price is shown with tax and when an order is placed (which keeps the rate on
its lines, so a later change of the law does not rewrite an old order)."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from shop_accounts.catalog.errors import NoTaxRate
from shop_accounts.catalog.models import TaxClass, TaxRate
from shop_accounts.stores.models import Store


def rates_for(store: Store) -> dict[str, Decimal]:
    """Every tax class's rate in the store's country, in one query (for a
    page or an order with many lines)."""
    rates = dict(TaxRate.objects.filter(country=store.country).values_list("tax_class", "rate"))
    # Zero-rated is 0 % in every country, whether or not a row says so.
    rates.setdefault(TaxClass.ZERO, Decimal("0.00"))
    return rates


def has_rates(country: str) -> bool:
    """Does the country have VAT rates (so a store there can show prices with
    tax and take orders)?"""
    return TaxRate.objects.filter(country=country).exists()


def rate_for(store: Store, tax_class: str, *, rates: dict[str, Decimal] | None = None) -> Decimal:
    """The rate (percent) of `tax_class` in the store's country. `rates`, from
    `rates_for`, saves the query. Raises NoTaxRate when the country has none."""
    known = rates if rates is not None else rates_for(store)
    try:
        return known[tax_class]
    except KeyError:
        raise NoTaxRate(country=str(store.country), tax_class=tax_class) from None


# The legal note of an EU reverse-charge supply, on the order and its invoice.
REVERSE_CHARGE_NOTE = _(
    "Reverse charge: VAT to be accounted for by the recipient, Art. 196 Directive 2006/112/EC"
)
