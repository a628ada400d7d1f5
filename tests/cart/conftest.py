"""Fixtures for carts: products of a Dutch store (21 % standard, 9 %
reduced), one with tracked stock, an account holder, and carts of a guest
and of the customer made through the real actions."""

from decimal import Decimal

import pytest

from shop_accounts.cart import actions
from shop_accounts.cart.models import Cart
from shop_accounts.catalog.actions import create_product
from shop_accounts.catalog.models import Product, TaxClass
from shop_accounts.customers.models import Customer


@pytest.fixture
def towel(store) -> Product:
    """Standard rate (21 % in NL), stock not tracked."""
    return create_product(store, name="Linen towel", price=Decimal("12.40"), sku="TW-1")


@pytest.fixture
def bread(store) -> Product:
    """Reduced rate (9 % in NL)."""
    return create_product(
        store, name="Rye bread", price=Decimal("2.35"), tax_class=TaxClass.REDUCED
    )


@pytest.fixture
def mug(store) -> Product:
    """Tracked stock: 3 left."""
    return create_product(store, name="Mug", price=Decimal("8.00"), track_stock=True, stock=3)


@pytest.fixture
def anna(store, make_account_holder) -> Customer:
    return make_account_holder(store, "anna@example.com", first_name="Anna")


@pytest.fixture
def guest_cart(store) -> Cart:
    return actions.open_cart(store)


@pytest.fixture
def saved_cart(store, anna) -> Cart:
    return actions.open_cart(store, customer=anna)


def quantities(cart: Cart) -> dict[str, int]:
    """What the cart holds: product name → quantity."""
    return {line.product.name: line.quantity for line in cart.lines.select_related("product")}
