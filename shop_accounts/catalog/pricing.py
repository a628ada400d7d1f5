"""Which price a shopper sees, if any. The one place that decides it, so the
storefront and the API cannot disagree or leak a hidden price."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from shop_accounts.catalog.models import Product
from shop_accounts.stores.models import Store

CENT = Decimal("0.01")


def prices_visible(store: Store, *, signed_in: bool) -> bool:
    """Guests see prices unless the store hides them; customers always do."""
    return signed_in or store.guest_prices == Store.GuestPrices.SHOWN


def shown_price(product: Product, store: Store) -> Decimal:
    """The product's price as the store shows it: with or without tax."""
    if not store.prices_include_tax:
        return product.price
    gross = product.price * (Decimal(100) + product.tax_rate) / Decimal(100)
    return gross.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class PricedProduct:
    """A product as one shopper may see it: `price` is None when hidden."""

    product: Product
    price: Decimal | None


def priced(products: list[Product], store: Store, *, signed_in: bool) -> list[PricedProduct]:
    visible = prices_visible(store, signed_in=signed_in)
    return [
        PricedProduct(product, shown_price(product, store) if visible else None)
        for product in products
    ]
