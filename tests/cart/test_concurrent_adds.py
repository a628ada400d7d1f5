"""Adds to one cart at once, each thread with its own database connection
(SQLite: IMMEDIATE transactions; PostgreSQL: the cart's row lock; run the
file with DATABASE_URL pointing to PostgreSQL for the latter): no add is
lost, and one line per product stays."""

from decimal import Decimal

import pytest

from shop_accounts.cart import actions
from shop_accounts.cart.models import Cart, CartLine
from shop_accounts.catalog.actions import create_product
from tests.concurrency import all_at_once

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_adds_at_once_of_a_new_product_end_with_the_sum(store):
    towel = create_product(store, name="Linen towel", price=Decimal("12.40"))
    cart = actions.open_cart(store)

    _, errors = all_at_once(
        [lambda: actions.add_to_cart(cart, towel, 2), lambda: actions.add_to_cart(cart, towel, 3)]
    )

    assert errors == []
    assert list(CartLine.objects.values_list("quantity", flat=True)) == [5]


def test_eight_adds_at_once_to_an_existing_line_all_count(store):
    towel = create_product(store, name="Linen towel", price=Decimal("12.40"))
    cart = actions.open_cart(store)
    actions.add_to_cart(cart, towel, 1)

    _, errors = all_at_once([lambda: actions.add_to_cart(cart, towel, 1)] * 8)

    assert errors == []
    assert list(CartLine.objects.values_list("quantity", flat=True)) == [9]


def test_first_adds_of_a_customer_on_two_devices_at_once_make_one_saved_cart(
    store, make_account_holder
):
    anna = make_account_holder(store, "anna@example.com")
    towel = create_product(store, name="Linen towel", price=Decimal("12.40"))

    def add_on_a_device() -> None:
        actions.add_to_cart(actions.open_cart(store, customer=anna), towel, 1)

    _, errors = all_at_once([add_on_a_device] * 4)

    assert errors == []
    cart = Cart.objects.get(customer=anna)
    assert list(cart.lines.values_list("quantity", flat=True)) == [4]
