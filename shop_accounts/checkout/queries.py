"""Reads of the checkout, scoped to one store: the shipping rates offered
for a country, and the addresses a signed-in customer used recently."""

from dataclasses import dataclass, replace
from decimal import Decimal

from django.db.models import QuerySet

from shop_accounts.cart.queries import CartContents
from shop_accounts.catalog.models import TaxClass
from shop_accounts.catalog.tax import rate_for, rates_for
from shop_accounts.checkout.models import ShippingRate
from shop_accounts.core.money import TaxBreakdown, line_total, quantize, with_tax
from shop_accounts.customers.models import Customer
from shop_accounts.orders.models import Order
from shop_accounts.orders.tax import vat_treatment
from shop_accounts.stores.models import Store

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class OfferedRate:
    """A shipping rate as the checkout offers it for one cart: `net` is what
    the order is charged without tax (0 when the goods reach the rate's
    free amount), `shown` the same as the store shows prices."""

    rate: ShippingRate
    net: Decimal
    shown: Decimal

    @property
    def pk(self) -> int:
        return self.rate.pk

    @property
    def is_free(self) -> bool:
        return self.net == ZERO


def shipping_rates_of(store: Store) -> QuerySet[ShippingRate]:
    """The store's rates, active or not, in their order (back office)."""
    return ShippingRate.objects.filter(store=store).order_by("position", "id")


def rates_for_country(store: Store, country: str) -> list[ShippingRate]:
    """The store's active rates that serve `country`: those naming it, or,
    when no active rate names it, those naming no country. One query."""
    active = list(shipping_rates_of(store).filter(is_active=True))
    naming = [rate for rate in active if rate.serves(country)]
    return naming or [rate for rate in active if not rate.countries]


def offered_rates(store: Store, country: str, *, goods_shown: Decimal) -> list[OfferedRate]:
    """The rates for `country` priced for goods worth `goods_shown` (as the
    store shows prices), free where they reach the rate's free amount."""
    tax_rate = rate_for(store, TaxClass.STANDARD) if store.prices_include_tax else ZERO
    offered = []
    for rate in rates_for_country(store, country):
        free = rate.free_above is not None and goods_shown >= rate.free_above
        net = ZERO if free else quantize(rate.price, store.currency)
        shown = with_tax(net, tax_rate, store.currency) if store.prices_include_tax else net
        offered.append(OfferedRate(rate=rate, net=net, shown=shown))
    return offered


def recent_order_addresses(
    store: Store, customer: Customer, *, orders: int = 5
) -> list[dict[str, str]]:
    """The distinct billing and shipping addresses of the customer's last
    orders in the store (snapshots, newest first), for "recently used"."""
    snapshots = (
        Order.objects.filter(store=store, customer=customer)
        .order_by("-created_at", "-id")
        .values_list("billing_address", "shipping_address")[:orders]
    )
    seen: set[tuple[tuple[str, str], ...]] = set()
    recent: list[dict[str, str]] = []
    for billing, shipping in snapshots:
        for address in (shipping, billing):
            if not isinstance(address, dict):
                continue
            key = tuple(sorted((k, str(v)) for k, v in address.items()))
            if key not in seen:
                seen.add(key)
                recent.append({k: str(v) for k, v in address.items()})
    return recent


@dataclass(frozen=True)
class SummaryLine:
    """One cart line as the order summary shows it."""

    product_id: int
    name: str
    quantity: int
    unit_shown: Decimal
    line_shown: Decimal
    discount: Decimal
    note: str = ""


@dataclass(frozen=True)
class CheckoutSummary:
    """What the shopper confirms: the lines, the goods, the shipping, the
    tax per rate and the total, computed as `place_order` computes them (net
    line totals, tax once per rate, shipping at the standard rate or 0 %
    under reverse charge)."""

    currency: str
    lines: tuple[SummaryLine, ...]
    goods_shown: Decimal
    discount_total: Decimal
    shipping: OfferedRate | None
    breakdown: TaxBreakdown
    reverse_charge: bool

    @property
    def total(self) -> Decimal:
        return self.breakdown.gross

    def seen(self) -> dict[str, object]:
        """The summary as JSON-safe data, to sign into the checkout form and
        compare with what placement finds (`changes_since`)."""
        return {
            "lines": [
                [line.product_id, line.quantity, str(line.unit_shown)] for line in self.lines
            ],
            "names": {str(line.product_id): line.name for line in self.lines},
            "shipping": str(self.shipping.shown) if self.shipping else None,
            "total": str(self.total),
        }


def checkout_summary(
    store: Store,
    contents: CartContents,
    *,
    shipping: OfferedRate | None,
    is_business: bool,
    vat_number: str,
) -> CheckoutSummary:
    """The order summary for the cart's contents (from
    `cart.queries.cart_contents`, already priced for the customer), the
    chosen shipping and the buyer's VAT status. One query for the rates."""
    treatment = vat_treatment(
        store_country=str(store.country), is_business=is_business, vat_number=vat_number
    )
    rates = rates_for(store)
    nets: list[tuple[Decimal, Decimal]] = []
    lines = []
    discount_total = ZERO
    goods_shown = ZERO
    for line in contents.lines:
        product = line.product
        rate = (
            ZERO
            if treatment.reverse_charge or product.tax_class == TaxClass.ZERO
            else rate_for(store, product.tax_class, rates=rates)
        )
        line_net = line_total(line.unit_net, line.quantity, store.currency)
        nets.append((rate, line_net))
        discount_total += quantize(line.discount * line.quantity, store.currency)
        # Under reverse charge no VAT is charged: the summary shows nets.
        unit_shown = line.unit_net if treatment.reverse_charge else line.unit_shown
        line_shown = line_net if treatment.reverse_charge else line.line_shown
        goods_shown += line_shown or ZERO
        lines.append(
            SummaryLine(
                product_id=product.pk,
                name=product.name,
                quantity=line.quantity,
                unit_shown=unit_shown if unit_shown is not None else ZERO,
                line_shown=line_shown if line_shown is not None else ZERO,
                discount=line.discount,
                note=line.note,
            )
        )
    if shipping is not None:
        shipping_rate = (
            ZERO if treatment.reverse_charge else rate_for(store, TaxClass.STANDARD, rates=rates)
        )
        nets.append((shipping_rate, shipping.net))
        if treatment.reverse_charge:
            shipping = replace(shipping, shown=shipping.net)
    return CheckoutSummary(
        currency=store.currency,
        lines=tuple(lines),
        goods_shown=goods_shown if treatment.reverse_charge else contents.subtotal_shown or ZERO,
        discount_total=discount_total,
        shipping=shipping,
        breakdown=TaxBreakdown.from_lines(store.currency, nets),
        reverse_charge=treatment.reverse_charge,
    )
