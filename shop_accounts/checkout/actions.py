"""Placing an order from a cart: the one action the storefront's checkout
(and later the API) calls."""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django_countries import countries

from shop_accounts.cart import actions as cart_actions
from shop_accounts.cart import queries as cart_queries
from shop_accounts.cart.models import Cart
from shop_accounts.checkout.errors import (
    EmptyCart,
    InvalidShippingRate,
    NoShippingToCountry,
    PaymentMethodNotOffered,
    SignInRequired,
    UnknownShippingRate,
)
from shop_accounts.checkout.models import ShippingRate
from shop_accounts.checkout.queries import OfferedRate, offered_rates
from shop_accounts.customers import actions as customer_actions
from shop_accounts.customers import queries as customer_queries
from shop_accounts.customers.errors import EmailTaken
from shop_accounts.customers.locks import lock_customer
from shop_accounts.customers.models import Address, Customer
from shop_accounts.orders import payments
from shop_accounts.orders.actions import ShippingCharge, place_order
from shop_accounts.orders.actions.placement import AddressInput
from shop_accounts.orders.errors import InvalidOrderAddress
from shop_accounts.orders.models import Order
from shop_accounts.stores.models import Store

# The fields of a typed address that the address book keeps (its name is the
# customer's own).
BOOK_FIELDS = (
    "company",
    "street",
    "house_number",
    "house_number_extension",
    "address2",
    "postal_code",
    "city",
    "region",
    "country",
    "phone",
)


def order_of_checkout(store: Store, idempotency_key: str) -> Order | None:
    """The order a checkout's key already placed in the store, if any."""
    if not idempotency_key:
        return None
    return Order.objects.filter(store=store, idempotency_key=idempotency_key).first()


def shipping_country(billing: AddressInput, shipping: AddressInput | None) -> str:
    """The country the parcel goes to, upper-case ("" when none is given)."""
    address = billing if shipping is None else shipping
    if isinstance(address, Address):
        return str(address.country)
    return str(address.get("country") or "").strip().upper()


def chosen_rate(
    store: Store, country: str, rate_id: int | None, *, goods_shown: Decimal
) -> OfferedRate:
    """The offered rate `rate_id` for `country`. Raises NoShippingToCountry
    when no rate serves it, UnknownShippingRate for any other id."""
    offered = offered_rates(store, country, goods_shown=goods_shown)
    if not offered:
        raise NoShippingToCountry(country=country, country_name=countries.name(country) or country)
    for rate in offered:
        if rate.pk == rate_id:
            return rate
    raise UnknownShippingRate()


def guest_record(
    store: Store, *, email: str, first_name: str, last_name: str, language: str, company: str
) -> Customer:
    """The realm's record for a guest's email: the existing one, untouched
    (an account holder's profile, addresses and consent never change by a
    guest order), or a new guest record without an account."""
    found = customer_queries.customer_by_email(store, email)
    if found is not None:
        return found
    try:
        return customer_actions.create_customer(
            store=store,
            email=email,
            actor=None,
            source="checkout",
            first_name=first_name[:150],
            last_name=last_name[:150],
            language=language,
            customer_type=(
                Customer.CustomerType.BUSINESS if company else Customer.CustomerType.PRIVATE
            ),
            company_name=company[:200],
        )
    except EmailTaken:  # a simultaneous checkout with this email made it
        found = customer_queries.customer_by_email(store, email)
        if found is None:
            raise
        return found


@transaction.atomic
def place_checkout_order(
    store: Store,
    *,
    cart: Cart,
    customer: Customer | None,
    idempotency_key: str,
    billing: AddressInput,
    shipping: AddressInput | None,
    shipping_rate_id: int | None,
    payment_method: str,
    expected_total: Decimal,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    language: str = "",
    company_name: str = "",
    vat_number: str = "",
    save_to_address_book: bool = False,
) -> Order:
    """Place the order of `cart` for the signed-in `customer`, or, when None,
    for a guest's record of `email` (made if the realm has none). Saves a
    typed address to the signed-in customer's book when asked, places the
    order with the cart's lines, the chosen shipping and the total the
    shopper confirmed, starts the payment and empties the cart, all in one
    transaction: a refusal saves nothing and keeps the cart.

    Idempotent: `idempotency_key` (the checkout page's) makes one order,
    whatever the number of submissions; each gets that order back.

    Raises SignInRequired, EmptyCart, NoShippingToCountry,
    UnknownShippingRate, PaymentMethodNotOffered, InvalidEmail and every
    refusal of `orders.actions.place_order` (TotalChanged, OutOfStock,
    ProductUnavailable, InvalidOrderAddress, ...)."""
    if customer is None and store.checkout_accounts == Store.CheckoutAccounts.REQUIRED:
        raise SignInRequired()
    placed = order_of_checkout(store, idempotency_key)
    if placed is not None and (customer is None or placed.customer_id == customer.pk):
        return placed
    if customer is None:
        record = guest_record(
            store,
            email=email,
            first_name=first_name,
            last_name=last_name,
            language=language or store.default_language,
            company=company_name,
        )
    else:
        record = customer
    # Simultaneous submissions of one checkout queue here; the later ones
    # find the first one's order.
    lock_customer(record.pk)
    placed = order_of_checkout(store, idempotency_key)
    if placed is not None and placed.customer_id == record.pk:
        return placed

    contents = cart_queries.cart_contents(cart, store, customer)
    if contents.is_empty:
        raise EmptyCart()
    country = shipping_country(billing, shipping)
    if country not in countries:
        raise InvalidOrderAddress(
            errors={
                f"{'billing' if shipping is None else 'shipping'}.country": [
                    InvalidOrderAddress.unknown_country
                ]
            }
        )
    rate = chosen_rate(
        store, country, shipping_rate_id, goods_shown=contents.subtotal_shown or Decimal(0)
    )
    if payment_method not in {p.code for p in payments.offered_providers(store, customer)}:
        raise PaymentMethodNotOffered()

    order = place_order(
        store,
        record,
        lines=[(line.product, line.quantity) for line in contents.lines],
        billing=billing,
        shipping=shipping,
        payment_method=payment_method,
        idempotency_key=idempotency_key,
        expected_total=expected_total,
        company_name=company_name,
        vat_number=vat_number,
        shipping_charge=ShippingCharge(name=rate.rate.name, net=rate.net),
        placed_as_guest=customer is None,
        actor=customer,
    )
    if customer is not None and save_to_address_book:
        _save_typed_addresses(customer, billing, shipping)
    payments.start_payment(order)
    cart_actions.clear_cart(cart)
    return order


def _save_typed_addresses(
    customer: Customer, billing: AddressInput, shipping: AddressInput | None
) -> None:
    """Add the typed (not picked) addresses to the customer's book, once
    each: the same address typed for billing and shipping is one entry."""
    typed: list[tuple[dict[str, Any], str]] = []
    for address, use in ((billing, "billing"), (shipping, "shipping")):
        if address is None or isinstance(address, Address):
            continue
        fields = _book_fields(address)
        for existing, uses in typed:
            if existing == fields:
                typed[typed.index((existing, uses))] = (existing, "both")
                break
        else:
            typed.append((fields, use))
    for fields, use in typed:
        customer_actions.add_address(
            customer,
            actor=customer,
            use_for_billing=use in ("billing", "both") or shipping is None,
            use_for_shipping=use in ("shipping", "both") or shipping is None,
            **fields,
        )


def _book_fields(address: Mapping[str, Any]) -> dict[str, Any]:
    return {field: str(address.get(field) or "").strip() for field in BOOK_FIELDS}


@transaction.atomic
def save_shipping_rate(rate: ShippingRate, *, actor: Customer | None) -> ShippingRate:
    """Create or change a store's shipping rate after checking its rules
    (a price and free amount of zero or more); raises InvalidShippingRate
    with each field's messages."""
    try:
        rate.full_clean()
    except ValidationError as error:
        raise InvalidShippingRate.from_validation_error(error) from error
    rate.save()
    return rate
