"""Simultaneous placements, each thread with its own database connection
(SQLite: IMMEDIATE transactions; PostgreSQL: row locks; run the file with
DATABASE_URL pointing to PostgreSQL for the latter): one checkout submitted
ten times makes one order, stock never goes below zero, and each store's
numbers stay distinct and consecutive."""

from collections.abc import Callable
from decimal import Decimal

import pytest

from shop_accounts.catalog.actions import create_product
from shop_accounts.customers import actions as customer_actions
from shop_accounts.orders.actions import place_order
from shop_accounts.orders.errors import OutOfStock
from shop_accounts.orders.models import Order, OrderEvent
from tests.concurrency import all_at_once
from tests.orders.conftest import ADDRESS

pytestmark = pytest.mark.django_db(transaction=True)


def placing(store, customer, lines, key: str) -> Callable[[], Order]:
    return lambda: place_order(
        store,
        customer,
        lines=lines,
        billing=ADDRESS,
        payment_method=Order.PaymentMethod.BANK_TRANSFER,
        idempotency_key=key,
    )


def test_ten_simultaneous_submissions_of_one_checkout_make_one_order(store, customer):
    lamp = create_product(store, name="Lamp", price=Decimal("40.00"), track_stock=True, stock=50)
    submit = placing(store, customer, [(lamp, 2)], "checkout-once")

    results, errors = all_at_once([submit] * 10)

    assert errors == []
    assert len(results) == 10
    order = Order.objects.get()
    assert {result.pk for result in results} == {order.pk}
    assert order.number == 1001
    assert OrderEvent.objects.filter(kind=OrderEvent.Kind.PLACED).count() == 1
    lamp.refresh_from_db()
    assert lamp.stock == 48


def test_simultaneous_orders_never_take_stock_below_zero(store):
    lamp = create_product(store, name="Lamp", price=Decimal("40.00"), track_stock=True, stock=5)
    shoppers = [
        customer_actions.create_customer(store=store, email=f"s{n}@example.com", actor=None)
        for n in range(8)
    ]

    results, errors = all_at_once(
        [
            placing(store, shopper, [(lamp, 1)], f"checkout-{n}")
            for n, shopper in enumerate(shoppers)
        ]
    )

    assert len(results) == 5
    assert len(errors) == 3
    assert all(isinstance(error, OutOfStock) for error in errors)
    lamp.refresh_from_db()
    assert lamp.stock == 0
    assert Order.objects.count() == 5


def test_simultaneous_orders_get_distinct_consecutive_numbers_per_store(store, other_store):
    products = {
        shop.pk: create_product(shop, name="Mug", price=Decimal("9.90"))
        for shop in (store, other_store)
    }
    calls = []
    for shop in (store, other_store):
        for n in range(6):
            shopper = customer_actions.create_customer(
                store=shop, email=f"s{n}@example.com", actor=None
            )
            calls.append(placing(shop, shopper, [(products[shop.pk], 1)], f"checkout-{n}"))

    _results, errors = all_at_once(calls)

    assert errors == []
    for shop in (store, other_store):
        numbers = sorted(Order.objects.filter(store=shop).values_list("number", flat=True))
        assert numbers == list(range(1001, 1007))
