"""Fixtures for the checkout: a Dutch store with products, shipping rates
and bank details, a guest's record, and carts filled through the cart's
own actions."""

import itertools
from decimal import Decimal

import pytest

from shop_accounts.cart import actions as cart_actions
from shop_accounts.cart import queries as cart_queries
from shop_accounts.cart import sessions as cart_sessions
from shop_accounts.catalog.actions import create_product
from shop_accounts.catalog.models import Product, TaxClass
from shop_accounts.checkout.actions import save_shipping_rate
from shop_accounts.checkout.models import ShippingRate
from shop_accounts.customers import actions as customer_actions
from shop_accounts.customers.models import Customer
from shop_accounts.stores.models import Store

ADDRESS = {
    "name": "Anna Jansen",
    "street": "Keizersgracht",
    "house_number": "12",
    "postal_code": "1015 CJ",
    "city": "Amsterdam",
    "country": "NL",
}
_keys = itertools.count(1)


def new_key() -> str:
    return f"checkout-{next(_keys)}"


@pytest.fixture
def shop(store) -> Store:
    """The default store with bank details, prices shown with tax."""
    # The bank details have no store action yet (the back-office form sets them).
    Store.objects.filter(pk=store.pk).update(
        bank_account_holder="Test Shop B.V.", bank_iban="NL91ABNA0417164300", bank_bic="ABNANL2A"
    )
    store.refresh_from_db()
    return store


@pytest.fixture
def towel(shop) -> Product:
    """Standard rate (21 % in NL)."""
    return create_product(shop, name="Linen towel", price=Decimal("12.40"), sku="TW-1")


@pytest.fixture
def bread(shop) -> Product:
    """Reduced rate (9 % in NL)."""
    return create_product(
        shop, name="Rye bread", price=Decimal("2.35"), sku="BR-1", tax_class=TaxClass.REDUCED
    )


def rate(store: Store, name: str, price: str, countries=(), **fields) -> ShippingRate:
    return save_shipping_rate(
        ShippingRate(
            store=store, name=name, price=Decimal(price), countries=list(countries), **fields
        ),
        actor=None,
    )


@pytest.fixture
def rates(shop) -> dict[str, ShippingRate]:
    """Standard (free from 50.00 shown) and express in NL, one for BE/DE,
    and one for every other country."""
    return {
        "standard": rate(shop, "Standard", "4.00", ["NL"], free_above=Decimal("50.00")),
        "express": rate(shop, "Express", "9.00", ["NL"], position=1),
        "neighbours": rate(shop, "Neighbours", "7.00", ["BE", "DE"], position=2),
        "world": rate(shop, "World", "15.00", [], position=3),
    }


@pytest.fixture
def guest(shop) -> Customer:
    """A guest's record (no account) in the store's realm."""
    return customer_actions.create_customer(
        store=shop, email="anna@example.com", actor=None, source="checkout", first_name="Anna"
    )


def fill_cart(
    store: Store, *items: tuple[Product, int], customer: Customer | None = None, client=None
):
    """A cart of `items` made with the cart's actions: the customer's saved
    cart, or a guest cart that `client`'s session then holds."""
    cart = cart_queries.customer_cart(store, customer) if customer is not None else None
    cart = cart or cart_actions.open_cart(store, customer=customer)
    for product, quantity in items:
        cart_actions.add_to_cart(cart, product, quantity)
    if client is not None and customer is None:
        session = client.session
        cart_sessions.remember_cart(session, cart)
        session.save()
    return cart
