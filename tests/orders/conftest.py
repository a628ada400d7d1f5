"""Fixtures for orders: a Dutch store's products of each tax class, a
customer record, and `place`, which places an order the way a checkout
would (billing address, bank transfer, a fresh idempotency key)."""

import itertools
from decimal import Decimal

import pytest

from shop_accounts.catalog.actions import create_product
from shop_accounts.catalog.models import Product, TaxClass
from shop_accounts.customers import actions as customer_actions
from shop_accounts.customers.models import Customer
from shop_accounts.orders.actions import place_order
from shop_accounts.orders.models import Order

ADDRESS = {
    "name": "Anna Jansen",
    "street": "Keizersgracht",
    "house_number": "12",
    "postal_code": "1015 CJ",
    "city": "Amsterdam",
    "country": "NL",
}
_keys = itertools.count(1)


@pytest.fixture
def towel(store) -> Product:
    """Standard rate (21 % in NL)."""
    return create_product(store, name="Linen towel", price=Decimal("12.40"), sku="TW-1")


@pytest.fixture
def bread(store) -> Product:
    """Reduced rate (9 % in NL)."""
    return create_product(
        store, name="Rye bread", price=Decimal("2.35"), sku="BR-1", tax_class=TaxClass.REDUCED
    )


@pytest.fixture
def stamp(store) -> Product:
    """Zero-rated."""
    return create_product(
        store, name="Stamp", price=Decimal("1.00"), sku="ST-1", tax_class=TaxClass.ZERO
    )


@pytest.fixture
def customer(store) -> Customer:
    """A guest's record (no account) in the store's realm."""
    return customer_actions.create_customer(
        store=store,
        email="anna@example.com",
        actor=None,
        source="checkout",
        first_name="Anna",
        last_name="Jansen",
    )


def new_key() -> str:
    return f"checkout-{next(_keys)}"


@pytest.fixture
def place(store, customer):
    """Place an order of (product, quantity) pairs, by default for `customer`
    in `store`, paid by bank transfer."""

    def place(*lines: tuple[Product, int], **options) -> Order:
        options.setdefault("billing", ADDRESS)
        options.setdefault("payment_method", Order.PaymentMethod.BANK_TRANSFER)
        options.setdefault("idempotency_key", new_key())
        return place_order(
            options.pop("store", store),
            options.pop("customer", customer),
            lines=list(lines),
            **options,
        )

    return place
