"""Placing an order: idempotent, with stock, prices and availability checked
again under lock at the moment of placement."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import translation
from django_countries import countries

from shop_accounts.catalog.locks import lock_products
from shop_accounts.catalog.models import Product, TaxClass
from shop_accounts.catalog.pricing import CustomerPrice, customer_prices
from shop_accounts.catalog.tax import rate_for, rates_for
from shop_accounts.core.errors import StrOrPromise
from shop_accounts.core.money import TaxBreakdown, line_total, quantize
from shop_accounts.customers.locks import lock_customer
from shop_accounts.customers.models import Address, Customer
from shop_accounts.orders import emails, events
from shop_accounts.orders.errors import (
    CustomerOfAnotherRealm,
    EmptyOrder,
    IdempotencyKeyReused,
    InvalidCheckoutKey,
    InvalidOrderAddress,
    InvalidQuantity,
    InvalidShippingCharge,
    OutOfStock,
    PriceChange,
    ProductUnavailable,
    TotalChanged,
    UnknownPaymentMethod,
)
from shop_accounts.orders.locks import lock_order_counter
from shop_accounts.orders.models import MAX_KEY_LENGTH, MAX_QUANTITY, Order, OrderLine
from shop_accounts.orders.tax import vat_treatment
from shop_accounts.stores.models import Store

# The fields of an address snapshot and their longest value; the required ones.
ADDRESS_FIELDS: dict[str, int] = {
    "name": 200,
    "company": 200,
    "attention_of": 200,
    "street": 200,
    "house_number": 20,
    "house_number_extension": 20,
    "address2": 200,
    "postal_code": 20,
    "city": 100,
    "region": 100,
    "country": 2,
    "phone": 40,
}
REQUIRED_ADDRESS_FIELDS = ("street", "city", "country")

AddressInput = Address | Mapping[str, Any]


@dataclass(frozen=True)
class ShippingCharge:
    """The shipping of an order as the checkout chose it: the rate's name
    and its net amount. It is taxed like a line at the store's standard
    rate (0 % under reverse charge) and counts in the totals."""

    name: str
    net: Decimal


@dataclass(frozen=True)
class _Line:
    """One product and its quantity as the caller asked for it."""

    product: Product
    quantity: int


@transaction.atomic
def place_order(
    store: Store,
    customer: Customer,
    *,
    lines: Iterable[tuple[Product, int]],
    billing: AddressInput,
    shipping: AddressInput | None = None,
    payment_method: str,
    idempotency_key: str,
    expected_total: Decimal | None = None,
    company_name: str | None = None,
    vat_number: str | None = None,
    shipping_charge: ShippingCharge | None = None,
    placed_as_guest: bool = False,
    actor: Customer | None = None,
) -> Order:
    """Place an order of `lines` ((product, quantity) pairs, as the shopper
    saw the products) for `customer`, a record of the store's account realm
    (guests included). `shipping` defaults to the billing address; company
    and VAT number to the customer record's.

    Idempotent: the checkout's `idempotency_key` makes at most one order per
    store, so a double click, a reload or ten simultaneous submissions all
    return the same order. Availability, stock and prices are taken from the
    products' rows under lock, not from the objects given; when
    `expected_total` (the gross total the shopper confirmed) differs from
    the total now, TotalChanged names the products whose prices changed and
    nothing is ordered. Tracked stock is taken in the same transaction and
    never goes below zero. `shipping_charge` adds the shipping to the totals
    and the tax per rate; `placed_as_guest` marks an order placed without
    signing in (it joins an account only once claimed).

    Raises InvalidCheckoutKey, EmptyOrder, InvalidQuantity, ProductUnavailable, OutOfStock,
    TotalChanged, UnknownPaymentMethod, InvalidOrderAddress,
    CustomerOfAnotherRealm or IdempotencyKeyReused; nothing is saved then."""
    if not idempotency_key or len(idempotency_key) > MAX_KEY_LENGTH:
        raise InvalidCheckoutKey()
    # The customer's lock makes simultaneous submissions of one checkout wait
    # for each other; the one that comes second finds the first's order.
    locked_customer = lock_customer(customer.pk)
    if locked_customer.realm_id != store.account_realm_id:
        raise CustomerOfAnotherRealm()
    placed = _order_of_key(store, idempotency_key, locked_customer)
    if placed is not None:
        return placed

    wanted = _merged(lines)
    if payment_method not in Order.PaymentMethod.values:
        raise UnknownPaymentMethod()
    company_name = locked_customer.company_name if company_name is None else company_name.strip()
    vat_number = locked_customer.vat_number if vat_number is None else vat_number.strip()
    address_errors: dict[str, list[StrOrPromise]] = {}
    for field, value, limit in (
        ("company_name", company_name, 200),
        ("vat_number", vat_number, 40),
    ):
        if len(value) > limit:
            address_errors[field] = [InvalidOrderAddress.too_long % {"limit": limit}]
    billing_snapshot = _address_snapshot(billing, prefix="billing", errors=address_errors)
    shipping_snapshot = (
        billing_snapshot
        if shipping is None
        else _address_snapshot(shipping, prefix="shipping", errors=address_errors)
    )
    if address_errors:
        raise InvalidOrderAddress(errors=address_errors)

    products = lock_products(line.product.pk for line in wanted)
    for line in wanted:
        _check_available(store, line, products.get(line.product.pk))

    treatment = vat_treatment(
        store_country=str(store.country),
        is_business=locked_customer.is_business,
        vat_number=vat_number,
    )
    rates = rates_for(store)
    # What this customer pays (their customer group's price), from the locked rows.
    prices = customer_prices(list(products.values()), store, locked_customer)
    order_lines = [
        _order_line(
            store,
            products[line.product.pk],
            line.quantity,
            rates,
            treatment.reverse_charge,
            prices[line.product.pk],
        )
        for line in wanted
    ]
    shipping_name, shipping_net, shipping_rate = _shipping(
        store, shipping_charge, rates, treatment.reverse_charge
    )
    breakdown = TaxBreakdown.from_lines(
        store.currency,
        [(line.tax_rate, line.line_net) for line in order_lines]
        + ([(shipping_rate, shipping_net)] if shipping_charge is not None else []),
    )
    if expected_total is not None and breakdown.gross != expected_total:
        # What the shopper saw: the customer's price of the products as given.
        seen_prices = customer_prices([line.product for line in wanted], store, locked_customer)
        raise TotalChanged(
            expected=expected_total,
            total=breakdown.gross,
            currency=store.currency,
            changes=[
                PriceChange(line.product.pk, products[line.product.pk].name, seen, now)
                for line in wanted
                if (seen := seen_prices[line.product.pk].net)
                != (now := prices[line.product.pk].net)
            ],
        )

    for line in wanted:
        _take_stock(products[line.product.pk], line.quantity)

    counter = lock_order_counter(store.pk)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    with translation.override(locked_customer.language):
        note = treatment.note
    order = Order(
        store=store,
        customer=locked_customer,
        number=counter.last_number,
        idempotency_key=idempotency_key,
        currency=store.currency,
        language=locked_customer.language,
        email=locked_customer.email,
        company_name=company_name,
        vat_number=treatment.vat_number,
        billing_address=billing_snapshot,
        shipping_address=shipping_snapshot,
        reverse_charge=treatment.reverse_charge,
        reverse_charge_note=note,
        discount_total=sum((line.discount for line in order_lines), Decimal("0.00")),
        shipping_name=shipping_name,
        shipping_net=shipping_net,
        shipping_tax_rate=shipping_rate,
        placed_as_guest=placed_as_guest,
        total_net=breakdown.net,
        total_tax=breakdown.tax,
        total_gross=breakdown.gross,
        tax_breakdown=breakdown.as_data(),
        payment_method=payment_method,
    )
    try:
        with transaction.atomic():
            order.save()
    except IntegrityError as error:
        # The customer's lock already serialises one customer's submissions;
        # a clash here is the key of another customer's checkout.
        raise IdempotencyKeyReused() from error
    for order_line in order_lines:
        order_line.order = order
    OrderLine.objects.bulk_create(order_lines)
    events.record_placed(order=order, actor=actor)
    emails.email_order_placed(order)
    return order


def _order_of_key(store: Store, idempotency_key: str, customer: Customer) -> Order | None:
    placed = Order.objects.filter(store=store, idempotency_key=idempotency_key).first()
    if placed is not None and placed.customer_id != customer.pk:
        raise IdempotencyKeyReused()
    return placed


def _merged(lines: Iterable[tuple[Product, int]]) -> list[_Line]:
    """The lines with one per product (quantities added), in the order
    given, each quantity within 1..MAX_QUANTITY."""
    merged: dict[int, _Line] = {}
    for product, quantity in lines:
        if isinstance(quantity, bool) or not isinstance(quantity, int):
            raise InvalidQuantity(product_id=product.pk, product=product.name)
        if product.pk in merged:
            quantity += merged[product.pk].quantity
        if not 1 <= quantity <= MAX_QUANTITY:
            raise InvalidQuantity(product_id=product.pk, product=product.name)
        merged[product.pk] = _Line(product, quantity)
    if not merged:
        raise EmptyOrder()
    return list(merged.values())


def _check_available(store: Store, line: _Line, current: Product | None) -> None:
    if current is None or current.store_id != store.pk or not current.is_published:
        raise ProductUnavailable(product_id=line.product.pk, product=line.product.name)
    if current.track_stock and current.stock < line.quantity:
        raise OutOfStock(product_id=current.pk, product=current.name, available=current.stock)


def _order_line(
    store: Store,
    product: Product,
    quantity: int,
    rates: dict[str, Decimal],
    reverse: bool,
    price: CustomerPrice,
) -> OrderLine:
    """The line as the order keeps it: `unit_price_net` is what the customer
    pays for one (their customer group's price, `price`, read from the
    locked product), `discount` what the line saves against the regular
    price (per unit × quantity, for display: it is already out of the unit
    price), `line_net` the unit price × quantity."""
    rate = (
        Decimal("0.00")
        if reverse or product.tax_class == TaxClass.ZERO
        else rate_for(store, product.tax_class, rates=rates)
    )
    return OrderLine(
        product=product,
        sku=product.sku,
        name=product.name,
        quantity=quantity,
        unit_price_net=price.net,
        tax_rate=rate,
        discount=quantize(price.discount * quantity, store.currency),
        line_net=line_total(price.net, quantity, store.currency),
    )


def _shipping(
    store: Store, charge: ShippingCharge | None, rates: dict[str, Decimal], reverse: bool
) -> tuple[str, Decimal, Decimal]:
    """The order's shipping name, net amount and tax rate (the store's
    standard rate, 0 % under reverse charge); nothing without a charge."""
    if charge is None:
        return "", Decimal("0.00"), Decimal("0.00")
    name = charge.name.strip()[:100]
    net = quantize(charge.net, store.currency)
    if net < 0:
        raise InvalidShippingCharge()
    rate = Decimal("0.00") if reverse else rate_for(store, TaxClass.STANDARD, rates=rates)
    return name, net, rate


def _take_stock(product: Product, quantity: int) -> None:
    if not product.track_stock:
        return
    # Conditional, so stock cannot go below zero even where the row lock is
    # a no-op: the UPDATE itself checks what is left.
    taken = Product.objects.filter(pk=product.pk, stock__gte=quantity).update(
        stock=F("stock") - quantity
    )
    if not taken:
        raise OutOfStock(product_id=product.pk, product=product.name, available=product.stock)


def _address_snapshot(
    address: AddressInput, *, prefix: str, errors: dict[str, list[StrOrPromise]]
) -> dict[str, str]:
    """The address as the order keeps it, checked: street, city and a known
    country required, no field longer than its limit, no unknown field.
    What breaks a rule goes into `errors`, under `<prefix>.<field>`."""
    if isinstance(address, Address):
        given: dict[str, Any] = {
            field: getattr(address, field) for field in ADDRESS_FIELDS if field != "name"
        }
        given["name"] = address.customer.full_name
        given["country"] = str(address.country)
    else:
        given = dict(address)
    for field in sorted(set(given) - set(ADDRESS_FIELDS)):
        errors[f"{prefix}.{field}"] = [InvalidOrderAddress.unknown_field]
    snapshot: dict[str, str] = {}
    for field, limit in ADDRESS_FIELDS.items():
        value = given.get(field)
        text = "" if value is None else str(value).strip()
        if field == "country":
            text = text.upper()
        if field in REQUIRED_ADDRESS_FIELDS and not text:
            errors[f"{prefix}.{field}"] = [InvalidOrderAddress.required]
        elif field == "country" and text not in countries:
            errors[f"{prefix}.{field}"] = [InvalidOrderAddress.unknown_country]
        elif len(text) > limit:
            errors[f"{prefix}.{field}"] = [InvalidOrderAddress.too_long % {"limit": limit}]
        snapshot[field] = text
    return snapshot
