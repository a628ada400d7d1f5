"""Which price a shopper sees, if any. The one place that decides it, so the
storefront and the API cannot disagree or leak a hidden price."""

from dataclasses import dataclass
from decimal import Decimal

from shop_accounts.catalog.models import Product
from shop_accounts.catalog.tax import rate_for, rates_for
from shop_accounts.core.money import quantize, with_tax
from shop_accounts.customers.models import Customer
from shop_accounts.stores.models import Store


def prices_visible(store: Store, *, signed_in: bool) -> bool:
    """Guests see prices unless the store hides them; customers always do."""
    return signed_in or store.guest_prices == Store.GuestPrices.SHOWN


def shown_price(
    product: Product, store: Store, *, rates: dict[str, Decimal] | None = None
) -> Decimal:
    """The product's price as the store shows it: with or without the tax of
    its class in the store's country. `rates` (from `catalog.tax.rates_for`)
    saves a query per product on a list."""
    if not store.prices_include_tax:
        return quantize(product.price, store.currency)
    rate = rate_for(store, product.tax_class, rates=rates)
    return with_tax(product.price, rate, store.currency)


@dataclass(frozen=True)
class PricedProduct:
    """A product as one shopper may see it: `price` is None when hidden."""

    product: Product
    price: Decimal | None


@dataclass(frozen=True)
class CustomerPrice:
    """What one unit of a product costs one customer, without tax: `net`
    after their customer group's price or discount, `regular_net` the
    product's own price."""

    net: Decimal
    regular_net: Decimal

    @property
    def discount(self) -> Decimal:
        return self.regular_net - self.net


def customer_prices(
    products: list[Product], store: Store, customer: Customer | None
) -> dict[int, CustomerPrice]:
    """The net unit price of each product (by pk) for `customer`, the one
    place cart, checkout and placement read it from. Guests and customers
    outside a group pay the product's price. Customer groups (issue 13)
    fill this in; a fixed number of queries whatever the number of products."""
    return {product.pk: CustomerPrice(product.price, product.price) for product in products}


def priced(
    products: list[Product], store: Store, *, signed_in: bool, customer: Customer | None = None
) -> list[PricedProduct]:
    """The products with the price each shopper may see (one query for the
    tax rates, whatever the number of products)."""
    if not prices_visible(store, signed_in=signed_in):
        return [PricedProduct(product, None) for product in products]
    rates = rates_for(store) if store.prices_include_tax and products else None
    return [
        PricedProduct(product, shown_price(product, store, rates=rates)) for product in products
    ]
