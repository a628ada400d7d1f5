"""Adds to one cart at once, each thread with its own database connection
(SQLite: IMMEDIATE transactions; PostgreSQL: the cart's row lock; run the
file with DATABASE_URL pointing to PostgreSQL for the latter): no add is
lost, and one line per product stays."""

import threading
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from shop_accounts.cart import actions
from shop_accounts.cart.models import Cart, CartLine
from shop_accounts.catalog.actions import create_product

pytestmark = pytest.mark.django_db(transaction=True)


def all_at_once(calls: list[Callable[[], Any]]) -> tuple[list[Any], list[BaseException]]:
    """Run the calls in threads released together; what each returned or raised."""
    results: list[Any] = []
    errors: list[BaseException] = []
    start = threading.Barrier(len(calls))

    def run(call: Callable[[], Any]) -> None:
        try:
            start.wait()
            results.append(call())
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


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
