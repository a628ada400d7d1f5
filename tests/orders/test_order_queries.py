"""Reads of orders are scoped: a customer's history, a store's order by
number, a guest's order by its link token only in its own store; a page of
history costs the same queries for 3 orders as for 30."""

from decimal import Decimal

from django.core.paginator import Paginator

from shop_accounts.catalog.actions import create_product
from shop_accounts.customers import actions as customer_actions
from shop_accounts.orders.queries import (
    events_for,
    order_for_token,
    order_in_store,
    orders_for_customer,
)


def test_a_customer_sees_only_their_orders_newest_first(place, store, customer, towel):
    first = place((towel, 1))
    second = place((towel, 2))
    bert = customer_actions.create_customer(store=store, email="bert@example.com", actor=None)
    place((towel, 1), customer=bert)

    assert list(orders_for_customer(customer)) == [second, first]


def test_a_page_of_orders_with_lines_costs_the_same_for_3_and_30(
    place, customer, towel, bread, django_assert_num_queries
):
    def read_page() -> list[tuple[int, list[str]]]:
        page = Paginator(orders_for_customer(customer), 25).page(1)
        return [
            (order.number, [line.name for line in order.lines.all()], order.store.name)
            for order in page
        ]

    for _ in range(3):
        place((towel, 1), (bread, 2))
    with django_assert_num_queries(3):  # count, orders with their store, lines
        assert len(read_page()) == 3

    for _ in range(27):
        place((towel, 1), (bread, 2))
    with django_assert_num_queries(3):
        assert len(read_page()) == 25


def test_a_guests_link_finds_the_order_only_in_its_store(place, store, other_store, towel):
    order = place((towel, 1))

    assert order_for_token(store, order.public_token) == order
    assert order_for_token(other_store, order.public_token) is None
    assert order_for_token(store, "") is None
    assert order_for_token(store, order.public_token[:-1]) is None


def test_an_order_by_number_only_in_its_store_and_junk_finds_nothing(
    place, store, other_store, towel
):
    order = place((towel, 1))
    guest = customer_actions.create_customer(store=other_store, email="bo@example.com", actor=None)
    elsewhere = place(
        (create_product(other_store, name="Chair", price=Decimal("80.00")), 1),
        store=other_store,
        customer=guest,
    )

    assert order_in_store(store, 1001) == order
    assert order_in_store(store, "1001") == order
    assert order_in_store(other_store, 1001) == elsewhere
    for junk in ("", "abc", "-1", "0", None, "1001; DROP TABLE"):
        assert order_in_store(store, junk) is None


def test_the_trail_is_newest_first(place, towel):
    from shop_accounts.orders.actions import mark_paid

    order = place((towel, 1))
    mark_paid(order)

    assert [event.kind for event in events_for(order)] == ["paid", "placed"]


def test_a_customers_trail_merges_with_their_orders_in_one_query(
    place, customer, towel, django_assert_num_queries
):
    """The shape DEVELOPERS.md §3 (i) promises the back office."""
    from django.db.models import Value

    from shop_accounts.customers.models import CustomerEvent
    from shop_accounts.orders.models import OrderEvent

    place((towel, 1))
    columns = ("kind", "actor_id", "data", "created_at")
    # .order_by() drops each trail's own ordering: SQLite refuses ORDER BY
    # inside the parts of a UNION.
    customer_rows = (
        CustomerEvent.objects.filter(customer=customer)
        .order_by()
        .values(*columns, trail=Value("customer"))
    )
    order_rows = (
        OrderEvent.objects.filter(order__customer=customer)
        .order_by()
        .values(*columns, trail=Value("order"))
    )

    with django_assert_num_queries(1):
        trail = list(customer_rows.union(order_rows, all=True).order_by("-created_at")[:50])

    assert [(row["trail"], row["kind"]) for row in trail] == [
        ("order", "placed"),
        ("customer", "created"),
    ]
