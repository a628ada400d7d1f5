"""Which price a shopper sees, if any. The one place that decides it, so the
storefront and the API cannot disagree or leak a hidden price."""

from dataclasses import dataclass
from decimal import Decimal

from shop_accounts.catalog.models import CustomerGroup, Product
from shop_accounts.catalog.queries import customer_group, group_prices
from shop_accounts.catalog.tax import rate_for, rates_for
from shop_accounts.core.money import HUNDRED, quantize, with_tax
from shop_accounts.customers.models import Customer
from shop_accounts.stores.models import Store

ZERO = Decimal("0")


def prices_visible(store: Store, *, signed_in: bool) -> bool:
    """Guests see prices unless the store hides them; customers always do."""
    return signed_in or store.guest_prices == Store.GuestPrices.SHOWN


def shown_price(
    product: Product, store: Store, *, rates: dict[str, Decimal] | None = None
) -> Decimal:
    """The product's price as the store shows it: with or without the tax of
    its class in the store's country. `rates` (from `catalog.tax.rates_for`)
    saves a query per product on a list."""
    return shown_amount(product.price, product, store, rates=rates)


def shown_amount(
    net: Decimal, product: Product, store: Store, *, rates: dict[str, Decimal] | None = None
) -> Decimal:
    """A net unit price of `product` (its own or a customer's) as the store
    shows prices: with or without the tax of the product's class."""
    if not store.prices_include_tax:
        return quantize(net, store.currency)
    rate = rate_for(store, product.tax_class, rates=rates)
    return with_tax(net, rate, store.currency)


@dataclass(frozen=True)
class PricedProduct:
    """A product as one shopper may see it: `price` is None when hidden.

    For a member of a customer group who pays less than the product's price,
    `price` is what they pay and `regular_price` the product's own price
    (both as the store shows prices); `discount_percent` is the group's
    percentage when that made the price, None for a fixed group price. For
    everyone else `regular_price` and `discount_percent` are None."""

    product: Product
    price: Decimal | None
    regular_price: Decimal | None = None
    discount_percent: Decimal | None = None

    @property
    def is_discounted(self) -> bool:
        return self.regular_price is not None


@dataclass(frozen=True)
class CustomerPrice:
    """What one unit of a product costs one customer, without tax: `net`
    after their customer group's price or discount, `regular_net` the
    product's own price. `discount_percent` is the group's percentage when
    it made `net` (None for the regular price or a fixed group price)."""

    net: Decimal
    regular_net: Decimal
    discount_percent: Decimal | None = None

    @property
    def discount(self) -> Decimal:
        return self.regular_net - self.net


def customer_prices(
    products: list[Product], store: Store, customer: Customer | None
) -> dict[int, CustomerPrice]:
    """The net unit price of each product (by pk) for `customer`, the one
    place cart, checkout and placement read it from. Guests and customers
    outside a group pay the product's price.

    A member pays the group's fixed price of the product where it has one
    (it wins over the percentage), otherwise the product's price less the
    group's percentage, rounded per unit half up to the currency's minor
    unit; never below 0, never above the product's own price. Queries: none
    for a guest, one for a customer (their group), two for a member (the
    group's fixed prices of all `products` at once)."""
    group = customer_group(store, customer) if products else None
    if group is None:
        return {product.pk: CustomerPrice(product.price, product.price) for product in products}
    return group_prices_of(products, store, group)


def group_prices_of(
    products: list[Product], store: Store, group: CustomerGroup
) -> dict[int, CustomerPrice]:
    """`customer_prices` for a member of `group` (one query: its fixed prices)."""
    fixed = group_prices(group, products)
    percent = group.discount_percent
    prices: dict[int, CustomerPrice] = {}
    for product in products:
        regular = product.price
        if product.pk in fixed:
            net, made_by = quantize(fixed[product.pk].price, store.currency), None
        elif percent:
            net = quantize(regular * (HUNDRED - percent) / HUNDRED, store.currency)
            made_by = percent
        else:
            net, made_by = regular, None
        net = min(max(net, ZERO), regular)
        if net == regular:
            made_by = None
        prices[product.pk] = CustomerPrice(net, regular, made_by)
    return prices


def priced(
    products: list[Product], store: Store, *, signed_in: bool, customer: Customer | None = None
) -> list[PricedProduct]:
    """The products with the price each shopper may see: for a signed-in
    `customer` in a customer group, their price and the regular one. Queries:
    one for the tax rates (prices with tax) and those of `customer_prices`
    (none for a guest), whatever the number of products; none at all when
    prices are hidden."""
    if not prices_visible(store, signed_in=signed_in):
        return [PricedProduct(product, None) for product in products]
    rates = rates_for(store) if store.prices_include_tax and products else None
    # Group prices are for the signed-in customer only, never for a guest.
    theirs = customer_prices(products, store, customer if signed_in else None)
    shown: list[PricedProduct] = []
    for product in products:
        regular = shown_price(product, store, rates=rates)
        price = theirs[product.pk]
        if price.net == price.regular_net:
            shown.append(PricedProduct(product, regular))
            continue
        shown.append(
            PricedProduct(
                product,
                shown_amount(price.net, product, store, rates=rates),
                regular_price=regular,
                discount_percent=price.discount_percent,
            )
        )
    return shown
