"""Reads of carts, always scoped to their store and owner, and what a cart
holds as one shopper may see it (`cart_contents`): the one place the cart
page and the checkout read a cart's prices and totals from."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _

from shop_accounts.cart.models import CAPPED_AT_MAXIMUM, CAPPED_BY_STOCK, Cart, CartLine
from shop_accounts.catalog import queries as catalog_queries
from shop_accounts.catalog.models import Product
from shop_accounts.catalog.pricing import customer_prices, prices_visible
from shop_accounts.catalog.tax import rate_for, rates_for
from shop_accounts.core.money import TaxBreakdown, line_total, quantize, with_tax
from shop_accounts.customers.models import Customer
from shop_accounts.orders.models import MAX_QUANTITY
from shop_accounts.stores.models import Store


def guest_cart(store: Store, token: str) -> Cart | None:
    """The guest cart of `token` (from the guest's session) in `store`."""
    if not token:
        return None
    return Cart.objects.filter(store=store, token=token, customer__isnull=True).first()


def customer_cart(store: Store, customer: Customer) -> Cart | None:
    """The customer's saved cart in `store`, if they have one."""
    return Cart.objects.filter(store=store, customer=customer).first()


def items_in_guest_cart(store: Store, token: str) -> int:
    """How many items (quantities added) the guest's cart holds: one query."""
    total = CartLine.objects.filter(
        cart__store=store, cart__token=token, cart__customer__isnull=True
    ).aggregate(total=Sum("quantity"))["total"]
    return total or 0


def items_in_customer_cart(store: Store, customer: Customer, cart_id: int) -> int:
    """How many items the customer's cart `cart_id` holds (0 when that is
    not their cart in `store`): one query."""
    total = CartLine.objects.filter(
        cart_id=cart_id, cart__store=store, cart__customer=customer
    ).aggregate(total=Sum("quantity"))["total"]
    return total or 0


def product_to_add(store: Store, product_id: object) -> Product | None:
    """The published product of `store` with this id (as a form sent it),
    or None: unknown, unpublished, another store's, or not an id at all."""
    text = str(product_id).strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 18:
        return None
    return catalog_queries.published_products(store).filter(pk=int(text)).first()


@dataclass(frozen=True)
class CartItem:
    """One line of a cart as one shopper may see it. Amounts without tax
    are `_net`; `_shown` ones are with or without tax as the store shows
    prices, and None where the store hides prices from this shopper.
    `discount` is the customer's discount per unit (net). A line with a
    `note` (product no longer sold, sold out, less in stock than in the
    cart) is left out of the totals and refused at checkout."""

    line_id: int
    product: Product
    quantity: int
    unit_net: Decimal
    regular_unit_net: Decimal
    discount: Decimal
    tax_rate: Decimal
    line_net: Decimal
    unit_shown: Decimal | None
    regular_unit_shown: Decimal | None
    line_shown: Decimal | None
    note: str

    @property
    def orderable(self) -> bool:
        return not self.note


@dataclass(frozen=True)
class CartContents:
    """What a cart holds for one shopper, priced through
    `catalog.pricing.customer_prices` and the store's tax rates. Totals
    count the orderable lines only; each line's net total is rounded on its
    own and the tax once per rate (`TaxBreakdown`), as `place_order` does,
    so `subtotal_gross` is what placing these lines costs before shipping
    (with tax-inclusive prices the lines' shown totals may add up to a cent
    more or less than it). `notes` are what a merge at sign-in changed,
    shown once. With prices hidden the totals are None."""

    cart: Cart | None
    lines: tuple[CartItem, ...]
    currency: str
    prices_visible: bool
    prices_include_tax: bool
    breakdown: TaxBreakdown
    notes: tuple[str, ...]

    @property
    def is_empty(self) -> bool:
        return not self.lines

    @property
    def item_count(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def orderable_lines(self) -> tuple[CartItem, ...]:
        return tuple(line for line in self.lines if line.orderable)

    @property
    def has_unorderable_lines(self) -> bool:
        return any(not line.orderable for line in self.lines)

    @property
    def subtotal_net(self) -> Decimal | None:
        return self.breakdown.net if self.prices_visible else None

    @property
    def subtotal_gross(self) -> Decimal | None:
        return self.breakdown.gross if self.prices_visible else None

    @property
    def subtotal_shown(self) -> Decimal | None:
        return self.subtotal_gross if self.prices_include_tax else self.subtotal_net


def cart_contents(cart: Cart | None, store: Store, customer: Customer | None) -> CartContents:
    """The cart's lines with the prices `customer` (None for a guest) pays,
    as the store shows them: two queries (the lines with their products,
    the tax rates) plus what `customer_prices` needs, whatever the number
    of lines; none for no cart."""
    visible = prices_visible(store, signed_in=customer is not None)
    rows = (
        list(CartLine.objects.filter(cart=cart).select_related("product").order_by("pk"))
        if cart is not None
        else []
    )
    prices = customer_prices([row.product for row in rows], store, customer) if rows else {}
    rates = rates_for(store) if rows else {}
    lines = tuple(_item(row, store, prices, rates, visible) for row in rows)
    breakdown = TaxBreakdown.from_lines(
        store.currency, ((line.tax_rate, line.line_net) for line in lines if line.orderable)
    )
    notes = tuple(_merge_note(note) for note in cart.notes) if cart is not None else ()
    return CartContents(
        cart=cart,
        lines=lines,
        currency=store.currency,
        prices_visible=visible,
        prices_include_tax=store.prices_include_tax,
        breakdown=breakdown,
        notes=tuple(note for note in notes if note),
    )


def _item(row: CartLine, store: Store, prices: dict, rates: dict, visible: bool) -> CartItem:
    product = row.product
    price = prices[product.pk]
    rate = rate_for(store, product.tax_class, rates=rates)
    line_net = line_total(price.net, row.quantity, store.currency)

    def shown(net: Decimal) -> Decimal | None:
        if not visible:
            return None
        if store.prices_include_tax:
            return with_tax(net, rate, store.currency)
        return quantize(net, store.currency)

    return CartItem(
        line_id=row.pk,
        product=product,
        quantity=row.quantity,
        unit_net=price.net,
        regular_unit_net=price.regular_net,
        discount=price.discount,
        tax_rate=rate,
        line_net=line_net,
        unit_shown=shown(price.net),
        regular_unit_shown=shown(price.regular_net),
        line_shown=shown(line_net),
        note=_line_note(row, store),
    )


def _line_note(row: CartLine, store: Store) -> str:
    product = row.product
    if not product.is_published or product.store_id != store.pk:
        return _("“%(product)s” is no longer available. Remove it to check out.") % {
            "product": product.name
        }
    if product.track_stock and product.stock == 0:
        return _("“%(product)s” is sold out. Remove it to check out.") % {"product": product.name}
    if product.track_stock and product.stock < row.quantity:
        return _(
            "“%(product)s”: only %(available)s left in stock. Lower the quantity to check out."
        ) % {
            "product": product.name,
            "available": product.stock,
        }
    return ""


def _merge_note(note: dict) -> str:
    params = {"product": note.get("product", ""), "quantity": note.get("quantity", "")}
    if note.get("kind") == CAPPED_BY_STOCK:
        return (
            _("Only %(quantity)s of “%(product)s” left: your cart now has %(quantity)s.") % params
        )
    if note.get("kind") == CAPPED_AT_MAXIMUM:
        return _(
            "Your cart can hold at most %(maximum)s of “%(product)s”: it now has %(maximum)s."
        ) % {
            **params,
            "maximum": MAX_QUANTITY,
        }
    return ""
